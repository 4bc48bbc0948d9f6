// What the browser scripts share (console.mjs, board.mjs, follow.mjs, audit.mjs): their settings from
// the environment, Debian's chromium, and axe-core's source to inject in pages.

import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A reader of the variables `script` needs: a missing one stops it (exit code 2). */
export function envOf(script) {
  return (name) => {
    const value = process.env[name];
    if (!value) {
      console.error(`${script}: the environment variable ${name} is missing`);
      process.exit(2);
    }
    return value;
  };
}

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const switches = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'];

/** Debian's chromium (or CHROMIUM_PATH), headless, off the network but for the page; `extra` switches too. */
export function launch(extra = []) {
  return chromium.launch({ executablePath, args: [...switches, ...extra] });
}

/** The same browser on a profile folder of its own (`options`: playwright's context options). */
export function launchWithProfile(profile, options, extra = []) {
  return chromium.launchPersistentContext(profile, { executablePath, ...options, args: [...switches, ...extra] });
}

/** axe-core's source (the pinned package), to evaluate in a page. */
export const axeSource = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), 'node_modules/axe-core/axe.min.js'),
  'utf8',
);

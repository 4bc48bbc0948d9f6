// What the browser scripts share (console.mjs, desk.mjs, board.mjs, follow.mjs, audit.mjs): their
// settings from the environment, Debian's chromium, a watched page, and axe-core's source to
// inject in pages.

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

/**
 * The staff console's browser (`extra` switches too) and a page at `options` (playwright's
 * context options) whose problems are collected in `problems`: console errors, uncaught
 * exceptions and Content-Security-Policy violations (listened to in every document, and
 * printed to the console as errors). `init`: a script for every document as well.
 */
export async function watchedPage(options, { extra = [], init } = {}) {
  const browser = await launch(['--disable-quic', '--disable-component-update', ...extra]);
  const context = await browser.newContext(options);
  // Listening is not changing the page: each violation is printed to the console too.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'an inline block'}`),
    );
  });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const problems = [];
  watch(page, problems);
  return { browser, context, page, problems };
}

/** Collects `page`'s console errors, CSP messages and uncaught exceptions in `problems`. */
export function watch(page, problems) {
  page.setDefaultTimeout(10_000);
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' || /Content.Security.Policy/i.test(text)) {
      const from = message.location().url;
      problems.push(`console ${message.type()} on ${page.url()}: ${text}${from ? ` (${from})` : ''}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception on ${page.url()}: ${error.message}`));
}

/** axe-core's source (the pinned package), to evaluate in a page. */
export const axeSource = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), 'node_modules/axe-core/axe.min.js'),
  'utf8',
);

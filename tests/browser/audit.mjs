// Every page of the staff console judged by tools no one here wrote, as staff see it:
// logged in (as an admin, who sees every page), in Debian's chromium.
//   - html-validate (its "recommended" rules) on the HTML the console sends: no error;
//   - axe-core (every WCAG 2.x A/AA rule and best practice, every impact) at desktop
//     size (1366×768), at 200 % zoom and on a phone (360×740): no violation;
//   - Lighthouse's accessibility category, in its phone and its desktop settings: 100.
// Any finding fails the run (exit code 1) with the page, the tool and the element.
//
// Run by tests/integration/browser_audit.rs, which starts the console and passes:
//   GUICHET_BASE_URL, GUICHET_STAFF_NAME, GUICHET_STAFF_PASSWORD
//   GUICHET_PAGES      the pages to judge, one path a line ("/login" is judged logged out)
//   GUICHET_SHOTS_DIR  where the Lighthouse reports go (<page>-<form>.json)
//   GUICHET_SHOOT      optional, pages (among GUICHET_PAGES) also photographed whole at
//                      desktop size and on a phone (<page>-desktop.png, <page>-phone.png)
//   CHROMIUM_PATH      optional, /usr/bin/chromium by default

import { axeSource, envOf, launchWithProfile } from './launch.mjs';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { HtmlValidate } from 'html-validate';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DESKTOP = { width: 1366, height: 768 };
const ZOOM_200 = { width: DESKTOP.width / 2, height: DESKTOP.height / 2 };
const PHONE = { width: 360, height: 740 };

const env = envOf('audit.mjs');
const base = new URL(env('GUICHET_BASE_URL'));
const pages = env('GUICHET_PAGES').split('\n').filter(Boolean);
const shotsDir = env('GUICHET_SHOTS_DIR');
mkdirSync(shotsDir, { recursive: true });
const shoot = (process.env.GUICHET_SHOOT ?? '').split('\n').filter(Boolean);
const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });

// A profile of its own, so that Lighthouse (which opens its own tab through the DevTools
// port) shares the logged-in session's cookie.
const profile = mkdtempSync(join(tmpdir(), 'guichet-audit-'));
const context = await launchWithProfile(profile, { viewport: DESKTOP, locale: 'fr-FR' }, ['--remote-debugging-port=0']);
const port = Number(readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0]);
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(15_000);

const findings = [];
const found = (where, what) => findings.push(`${where}: ${what}`);

async function htmlValid(path) {
  const response = await page.request.get(new URL(path, base).href);
  const html = await response.text();
  const report = await validator.validateString(html, path);
  for (const result of report.results) {
    for (const m of result.messages.filter((m) => m.severity === 2)) {
      found(`html-validate ${path}:${m.line}:${m.column}`, `${m.ruleId}: ${m.message}`);
    }
  }
  return report.valid;
}

async function axe(path) {
  for (const [size, viewport] of [['desktop', DESKTOP], ['200 %', ZOOM_200], ['phone', PHONE]]) {
    await page.setViewportSize(viewport);
    await page.evaluate(axeSource);
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    for (const v of result.violations) {
      found(`axe-core ${path} (${size})`, `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  }
  await page.setViewportSize(DESKTOP);
}

/** A page's name in file names. */
function nameOf(path) {
  return path.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'queue';
}

/** The page whole, at desktop size and on a phone. */
async function photograph(path) {
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: join(shotsDir, `${nameOf(path)}-${size}.png`), fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}

async function lighthouseScore(path, form) {
  const flags = { port, output: 'json', logLevel: 'error', onlyCategories: ['accessibility'], disableStorageReset: true, maxWaitForLoad: 15_000 };
  const run = await lighthouse(new URL(path, base).href, flags, form === 'desktop' ? desktopConfig : undefined);
  const lhr = run.lhr;
  writeFileSync(join(shotsDir, `${nameOf(path)}-${form}.json`), run.report);
  const category = lhr.categories.accessibility;
  if (lhr.runtimeError) found(`Lighthouse ${path} (${form})`, `${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
  for (const ref of category.auditRefs) {
    const audit = lhr.audits[ref.id];
    if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
      const items = (audit.details?.items ?? []).map((i) => i.node?.selector ?? '').filter(Boolean);
      found(`Lighthouse ${path} (${form})`, `${ref.id}: ${audit.title} ${items.join(', ')}`);
    }
  }
  return Math.round((category.score ?? 0) * 100);
}

async function logIn() {
  await page.goto(new URL('/login', base).href);
  await page.getByLabel('Votre nom').fill(env('GUICHET_STAFF_NAME'));
  await page.getByLabel('Mot de passe').fill(env('GUICHET_STAFF_PASSWORD'));
  await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.getByRole('button', { name: 'Se connecter' }).click()]);
}

let status = 0;
let loggedIn = false;
try {
  for (const path of pages) {
    if (path === '/login') {
      await context.clearCookies();
      loggedIn = false;
    } else if (!loggedIn) {
      await logIn();
      loggedIn = true;
    }
    const began = Date.now();
    const before = findings.length;
    const valid = await htmlValid(path);
    const response = await page.goto(new URL(path, base).href);
    if (!response || response.status() !== 200) found(path, `answered ${response?.status()}, not 200`);
    await axe(path);
    if (shoot.includes(path)) await photograph(path);
    const phone = await lighthouseScore(path, 'mobile');
    const desktop = await lighthouseScore(path, 'desktop');
    const verdict = findings.length === before ? 'ok  ' : 'FAIL';
    console.log(`${verdict} ${path}: html-validate ${valid ? 'valid' : 'errors'}, axe-core 3 sizes, Lighthouse accessibility ${phone} (phone) ${desktop} (desktop) (${Date.now() - began} ms)`);
  }
  if (findings.length) {
    console.error(`${findings.length} findings:\n  ${findings.join('\n  ')}`);
    status = 1;
  }
} catch (e) {
  console.error(`audit.mjs stopped: ${e.stack ?? e}`);
  status = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(status);

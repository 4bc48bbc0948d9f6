// "Suivre mon tour" on a visitor's phone (Debian's chromium, driven by playwright-core,
// a 360x740 touch screen): the page opens from the ticket's second QR code, the visitor
// touches "Activer le son", staff call the tickets ahead (the Rust test does it once this
// script says it is ready): the place changes live, the note shows when the turn is near,
// and the phone rings and vibrates when the number is called, and again at a recall.
// axe-core (with the 7:1 contrast rule) checks the page at each step, at 200 % zoom too,
// and the "not found" page.
// Any console error or CSP violation fails the run.
//
// Run by tests/integration/browser_follow.rs, which passes:
//   GUICHET_FOLLOW_URL    the ticket's follow address (what the QR code holds)
//   GUICHET_NUMBER        the ticket's number
//   GUICHET_DESK          the desk the ticket will be called to
//   GUICHET_READY_FILE    written once the page follows the queue and the sound is on
//   GUICHET_RESULT_FILE   where to write what the page showed and did (JSON)
//   GUICHET_SHOTS_DIR     screenshots (follow-*.png)
//   CHROMIUM_PATH         optional, /usr/bin/chromium by default

import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { axeSource, envOf, launch } from './launch.mjs';

const env = envOf('follow.mjs');
const followUrl = env('GUICHET_FOLLOW_URL');
const number = env('GUICHET_NUMBER');
const desk = env('GUICHET_DESK');
const shotsDir = env('GUICHET_SHOTS_DIR');
mkdirSync(shotsDir, { recursive: true });
const PHONE = { width: 360, height: 740 };
/** The phone at 200 % zoom: the page lays out in half the CSS pixels. */
const ZOOM_200 = { width: PHONE.width / 2, height: PHONE.height / 2 };
/** 20 mm in CSS pixels (96 per inch). */
const MM20 = (20 / 25.4) * 96;
const problems = [];

const browser = await launch(['--autoplay-policy=user-gesture-required']);
const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
// The phone's vibration motor: each pattern asked for is recorded.
await context.addInitScript(() => {
  window.vibrations = [];
  navigator.vibrate = (pattern) => { window.vibrations.push(pattern); return true; };
  document.addEventListener('securitypolicyviolation', (e) =>
    console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'an inline block'}`));
});
const page = await context.newPage();
page.setDefaultTimeout(15_000);
/** Set while opening an unknown link on purpose: its 404 is the browser's one expected error. */
let expect404 = false;
page.on('console', (m) => {
  if (m.type() !== 'error') return;
  if (expect404 && m.text().includes('status of 404')) return;
  problems.push(`console error: ${m.text()}`);
});
page.on('pageerror', (e) => problems.push(`uncaught exception: ${e.message}`));

/** axe-core's serious and critical violations, the 7:1 contrast rule on. */
async function axe(name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    resultTypes: ['violations'],
    rules: { 'color-contrast-enhanced': { enabled: true } },
  }));
  const found = result.violations.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length})`);
  const grave = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (grave.length) problems.push(`axe-core on ${name}:\n  ${found.join('\n  ')}`);
  console.log(`axe-core on ${name}: ${found.length ? found.join('; ') : 'no violation'}`);
}

/** Shoots the page at phone size and at 200 % zoom; nothing may stick out sideways. */
async function sizes(name) {
  for (const [size, viewport] of [['phone', PHONE], ['zoom200', ZOOM_200]]) {
    await page.setViewportSize(viewport);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) problems.push(`${name} at ${size}: ${overflow} px wider than the screen`);
    // Nothing sticks out of its own box either (the number out of its frame).
    const spilled = await page.evaluate(() => [...document.querySelectorAll('main, main *')]
      .filter((e) => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${e.scrollWidth} > ${e.clientWidth})`));
    if (spilled.length) problems.push(`${name} at ${size}: wider than its box: ${spilled.join(', ')}`);
    await axe(`${name} (${size})`);
    await page.screenshot({ path: join(shotsDir, `follow-${name}-${size}.png`), fullPage: true });
  }
  await page.setViewportSize(PHONE);
}

let status = 0;
try {
  const response = await page.goto(followUrl);
  if (response.status() !== 200) throw new Error(`the follow page answered ${response.status()}`);
  const dir = await page.evaluate(() => document.documentElement.dir);
  const shown = (await page.locator('.number').textContent()).trim();
  if (shown !== number) throw new Error(`the page shows ${shown}, not ${number}`);
  await page.waitForFunction(() => window.guichetFollow && window.guichetFollow.connected);
  const button = page.locator('#sound');
  const box = await button.boundingBox();
  if (box.height < MM20 - 0.5) problems.push(`the sound button is ${box.height.toFixed(1)} px high, under 20 mm`);
  await sizes('waiting');
  await button.tap();
  const pressed = await button.getAttribute('aria-pressed');
  if (pressed !== 'true') problems.push('the sound button does not say it is on');
  writeFileSync(env('GUICHET_READY_FILE'), 'ready');
  // Staff call the tickets ahead: the place goes down live, the note shows when near.
  await page.waitForFunction(() => window.guichetFollow.kinds.includes('near'), null, { timeout: 60_000 });
  await sizes('near');
  await page.waitForFunction(() => window.guichetFollow.kinds.includes('called'), null, { timeout: 60_000 });
  // Called, then recalled: the chime rings twice, each to its end.
  await page.waitForFunction(() => window.guichetFollow.played.filter((p) => p.end !== '').length >= 2, null,
    { timeout: 20_000 });
  const deskShown = (await page.locator('.desk').textContent()).trim();
  if (deskShown !== desk) problems.push(`called to "${deskShown}", not "${desk}"`);
  await sizes('called');
  const result = await page.evaluate(() => ({
    kinds: window.guichetFollow.kinds,
    played: window.guichetFollow.played,
    vibrations: window.vibrations,
    live: document.getElementById('live').textContent,
  }));
  writeFileSync(env('GUICHET_RESULT_FILE'), JSON.stringify({ ...result, dir, soundButton: box.height }, null, 1));
  // An unknown link: the "not found" page, in every language.
  expect404 = true;
  const missing = await page.goto(new URL('/s/00000000000000000000000000000000', followUrl).href);
  if (missing.status() !== 404) problems.push(`an unknown link answered ${missing.status()}`);
  await sizes('not-found');
  if (problems.length) throw new Error(problems.join('\n'));
  console.log('follow: all steps passed');
} catch (e) {
  console.error(`follow.mjs: ${e.message}`);
  await page.screenshot({ path: join(shotsDir, 'follow-failure.png') }).catch(() => {});
  status = 1;
} finally {
  await browser.close();
}
process.exit(status);

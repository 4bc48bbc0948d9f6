// The waiting-room board in a real browser (Debian's chromium, driven by playwright-core).
//
// A TV opens the board's address, someone touches "Activer le son des appels" once, then
// two desks call at the same moment (the Rust test does that when this script says it is
// ready): both calls must be shown and said, one after the other, none skipped.
//
// Run by tests/integration/browser_board.rs, which passes:
//   GUICHET_BOARD_URL    the board's address with its key
//   GUICHET_READY_FILE   written once the board listens (the test then makes the calls)
//   GUICHET_CALLS        how many calls to wait for
//   GUICHET_RESULT_FILE  where to write what was shown and played (JSON)
//   GUICHET_SHOTS_DIR    screenshots (board-tv.png, board-small.png)
//   CHROMIUM_PATH        optional, /usr/bin/chromium by default

import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { axeSource, envOf, launch } from './launch.mjs';

const env = envOf('board.mjs');
const boardUrl = env('GUICHET_BOARD_URL');
const calls = Number(env('GUICHET_CALLS'));
const shotsDir = env('GUICHET_SHOTS_DIR');
mkdirSync(shotsDir, { recursive: true });
const problems = [];

const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'fr-FR' });
page.setDefaultTimeout(10_000);
page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
page.on('pageerror', (e) => problems.push(`uncaught exception: ${e.message}`));
let status = 0;
try {
  await page.goto(boardUrl);
  await page.getByRole('status').getByText('Appel en cours').waitFor();
  await page.getByRole('button', { name: 'Activer le son des appels' }).click();
  await page.waitForFunction(() => window.guichetBoard && window.guichetBoard.connected);
  writeFileSync(env('GUICHET_READY_FILE'), 'ready');
  // The first call shows at once; shoot it while it is being said.
  await page.waitForFunction(() => window.guichetBoard.shown.length >= 1, null, { timeout: 15_000 });
  await page.screenshot({ path: join(shotsDir, 'board-tv.png') });
  await page.waitForFunction((n) => window.guichetBoard.done >= n, calls, { timeout: 90_000 });
  await page.evaluate(axeSource);
  const axe = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const found = axe.violations.map((v) => `${v.impact} ${v.id}: ${v.help}`);
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length) problems.push(`axe-core on the board:\n  ${found.join('\n  ')}`);
  console.log(`axe-core on the board: ${found.length ? found.join('; ') : 'no violation'}`);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.screenshot({ path: join(shotsDir, 'board-small.png') });
  const heard = await page.evaluate(() => window.guichetBoard);
  const shown = await page.evaluate(() => ({
    number: document.querySelector('#now .number').textContent,
    desk: document.querySelector('#now .desk').textContent,
    before: [...document.querySelectorAll('#before li')].map((li) => li.textContent),
  }));
  writeFileSync(env('GUICHET_RESULT_FILE'), JSON.stringify({ ...heard, screen: shown }, null, 1));
  if (problems.length) throw new Error(problems.join('\n'));
  console.log('board: all steps passed');
} catch (e) {
  console.error(`board.mjs: ${e.message}`);
  await page.screenshot({ path: join(shotsDir, 'board-failure.png') }).catch(() => {});
  status = 1;
} finally {
  await browser.close();
}
process.exit(status);

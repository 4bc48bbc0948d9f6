// The console as a desk tool, in a real browser (Debian's chromium, driven by playwright-core).
//
// With twelve people waiting, a member of staff logs in and the script measures what the
// queue page shows: the waiting rows whose whole box is on screen at 1366×768, and where
// the first waiting ticket is on a phone (360×740). Then, counting every click, it calls,
// serves and ends visits at both sizes, does the same with the keyboard shortcuts only,
// notes a visitor absent through the confirmation, backs out of a cancel, and plays the
// kiosk (a call for help, the paper running out, the printer back) to see the tab's title
// and the tone. The figures go to the result file before any check, so a failed check
// still leaves them. Any console error or CSP violation fails the run (exit code 1).
//
// Run by tests/integration/browser_desk.rs, which starts the console and passes:
//   GUICHET_BASE_URL, GUICHET_STAFF_NAME, GUICHET_STAFF_PASSWORD, GUICHET_DESK
//   GUICHET_WAITING     the waiting tickets' numbers, separated by spaces
//   GUICHET_KIOSK_DIR   where to write "help", "paper-out" or "printer-ready" for the test
//                       to play the kiosk (it answers with "<what>.done")
//   GUICHET_RESULT_FILE, GUICHET_SHOTS_DIR, CHROMIUM_PATH

import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envOf, launch } from './launch.mjs';

const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 360, height: 740 };

const env = envOf('desk.mjs');
const base = new URL(env('GUICHET_BASE_URL'));
const desk = env('GUICHET_DESK');
const waiting = env('GUICHET_WAITING').split(' ');
const kioskDir = env('GUICHET_KIOSK_DIR');
const resultFile = env('GUICHET_RESULT_FILE');
const shotsDir = env('GUICHET_SHOTS_DIR');
mkdirSync(shotsDir, { recursive: true });

const result = { served: [] };
const save = () => writeFileSync(resultFile, JSON.stringify(result, null, 1));
const problems = [];
class StepFailed extends Error {}
const fail = (message) => {
  throw new StepFailed(message);
};

const browser = await launch(['--disable-quic', '--disable-component-update']);
const context = await browser.newContext({ viewport: DESKTOP, locale: 'fr-FR' });
await context.addInitScript(() => {
  document.addEventListener('securitypolicyviolation', (e) =>
    console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'an inline block'}`),
  );
  // Counts the tones the page starts (the browser has no loudspeaker here).
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    sessionStorage.setItem('tones', String(Number(sessionStorage.getItem('tones') || 0) + 1));
    return start.apply(this, args);
  };
});
const page = await context.newPage();
page.setDefaultTimeout(10_000);
page.on('console', (m) => {
  if (m.type() === 'error') problems.push(`console error on ${page.url()}: ${m.text()}`);
});
page.on('pageerror', (e) => problems.push(`uncaught exception on ${page.url()}: ${e.message}`));

/** Pages the browser loaded since the last `count()`, and clicks made. */
let loads = 0;
let clicks = 0;
const paths = new Set();
page.on('load', () => {
  loads += 1;
  paths.add(new URL(page.url()).pathname);
});
function count() {
  loads = 0;
  clicks = 0;
  paths.clear();
}
/** A click as staff make it, counted; waits for the page it leads to, if any. */
async function click(locator) {
  clicks += 1;
  await Promise.all([page.waitForEvent('load'), locator.click()]);
}
/** A key as staff press it, with no field focused. */
async function key(name) {
  await Promise.all([page.waitForEvent('load'), page.keyboard.press(name)]);
}

async function see(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible' });
  } catch {
    const text = (await page.locator('main').innerText().catch(() => '')).slice(0, 800);
    fail(`expected to see ${what} on ${page.url()}; the page says:\n${text}`);
  }
}
const notice = (text) => page.getByRole('status').filter({ hasText: text });
const panel = () => page.getByRole('region', { name: /^À ce bureau/ });

/** The waiting tickets' rows, with their boxes (the row, or the card on a phone). */
async function rowBoxes() {
  return page.evaluate((numbers) => {
    const links = [...document.querySelectorAll('#live a[href^="/t/"]')].filter((a) => numbers.includes(a.textContent.trim()));
    return links.map((a) => {
      const r = (a.closest('tr') || a.closest('li') || a).getBoundingClientRect();
      return { number: a.textContent.trim(), top: r.top, bottom: r.bottom };
    });
  }, waiting);
}

let current = 'starting';
async function step(name, action) {
  current = name;
  await action();
  if (problems.length) fail(`the page reported problems:\n  ${problems.join('\n  ')}`);
  console.log(`ok   ${name}`);
}

/** Asks the test to play the kiosk, and waits for it to have done so. */
async function kiosk(what) {
  const done = join(kioskDir, `${what}.done`);
  rmSync(done, { force: true });
  writeFileSync(join(kioskDir, what), '');
  for (let i = 0; i < 200 && !existsSync(done); i++) await page.waitForTimeout(50);
  if (!existsSync(done)) fail(`the test did not play "${what}"`);
}
const tones = () => page.evaluate(() => Number(sessionStorage.getItem('tones') || 0));
async function titleBecomes(pattern, why) {
  try {
    await page.waitForFunction((source) => new RegExp(source).test(document.title), pattern.source, { timeout: 10_000 });
  } catch {
    fail(`the tab's title is "${await page.title()}", not ${pattern} (${why})`);
  }
}

/** Calls, serves and ends one visit by clicks, at the window's size; returns the figures. */
async function visitByClicks(size, outcome, code) {
  count();
  await click(page.getByRole('button', { name: /^Appeler le suivant/ }));
  const number = (await panel().locator('a.number').first().innerText()).trim();
  await see(notice(`${number} est appelé au bureau « ${desk} »`), `"${number} est appelé"`);
  await click(panel().getByRole('button', { name: /^Commencer/ }));
  await see(notice(`${number} : accompagnement commencé`), '"accompagnement commencé"');
  // Nothing chosen for staff: no outcome list with a first choice, no ticked outcome.
  const preset = await page.locator('select[name=outcome], input[name=outcome]:checked').count();
  if (preset) fail(`an outcome is preselected on the ${size} page`);
  await page.screenshot({ path: join(shotsDir, `serving-${size}.png`) });
  await click(panel().getByRole('button', { name: new RegExp(`^${outcome}`) }));
  await see(notice(`${number} : terminé (${outcome})`), `"${number} : terminé (${outcome})"`);
  result.served.push([number, code]);
  return { clicks, pages: paths.size, loads };
}

try {
  await step('logging in leads to the queue', async () => {
    await page.goto(new URL('/login', base).href);
    await page.getByLabel('Votre nom').fill(env('GUICHET_STAFF_NAME'));
    await page.getByLabel('Mot de passe').fill(env('GUICHET_STAFF_PASSWORD'));
    await click(page.getByRole('button', { name: 'Se connecter' }));
    await see(page.getByRole('heading', { name: "File d'attente" }), 'the queue page');
  });

  await step('the queue shows ten waiting rows at 1366×768 and the first ticket on a phone', async () => {
    await page.screenshot({ path: join(shotsDir, 'queue-desktop.png') });
    const desktop = await rowBoxes();
    result.rows_visible_desktop = desktop.filter((r) => r.top >= 0 && r.bottom <= DESKTOP.height).length;
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(shotsDir, 'queue-phone.png') });
    const phone = await rowBoxes();
    result.first_ticket_phone = phone.length ? { top: Math.round(phone[0].top), bottom: Math.round(phone[0].bottom) } : null;
    await page.setViewportSize(DESKTOP);
    save();
    console.log(`     rows wholly visible at 1366×768: ${result.rows_visible_desktop} of ${desktop.length}`);
    console.log(`     first waiting ticket on a 360×740 phone: ${JSON.stringify(result.first_ticket_phone)}`);
    if (result.rows_visible_desktop < 10) fail(`${result.rows_visible_desktop} waiting rows visible at 1366×768, not 10`);
    if (!phone.length || phone[0].bottom > PHONE.height) fail('the first waiting ticket is below the first phone screen');
  });

  await step('a visit from "call next" to its outcome takes three clicks on one page (desktop)', async () => {
    await page.getByLabel('Votre bureau').fill(desk);
    result.desktop = await visitByClicks('desktop', 'Démarche faite', 'done');
    save();
    console.log(`     desktop: ${JSON.stringify(result.desktop)}`);
    if (result.desktop.clicks > 3 || result.desktop.pages !== 1) fail(`desktop: ${JSON.stringify(result.desktop)}`);
  });

  await step('and on a phone', async () => {
    await page.setViewportSize(PHONE);
    result.phone = await visitByClicks('phone', 'Information seulement', 'information');
    save();
    console.log(`     phone: ${JSON.stringify(result.phone)}`);
    if (result.phone.clicks > 3 || result.phone.pages !== 1) fail(`phone: ${JSON.stringify(result.phone)}`);
    await page.setViewportSize(DESKTOP);
  });

  await step('the keyboard alone calls, recalls, starts and ends (keys ignored in a field)', async () => {
    await see(page.getByText(/Raccourcis/), 'the shortcuts legend');
    await see(page.getByRole('button', { name: /^Appeler le suivant N$/ }), 'the key on "Appeler le suivant"');
    await key('n');
    const number = (await panel().locator('a.number').first().innerText()).trim();
    await see(notice(`${number} est appelé`), `"${number} est appelé" after N`);
    await see(panel().getByRole('button', { name: /^Rappeler R$/ }), 'the key on "Rappeler"');
    await key('r');
    await see(panel().getByText('appelé 2 fois'), `${number} called twice after R`);
    // A key typed in a field is text, not a shortcut.
    await panel().getByText('(changer)').click();
    const field = page.getByLabel('Votre bureau');
    await field.focus();
    await page.keyboard.press('c');
    await page.waitForTimeout(500);
    if (await notice('accompagnement commencé').count()) fail('"c" typed in a field started the visit');
    if (!(await field.inputValue()).includes('c')) fail('"c" typed in the desk field did not go into it');
    await field.fill(desk);
    await panel().getByText('(changer)').click();
    await page.locator('h1').click();
    await key('c');
    await see(notice(`${number} : accompagnement commencé`), '"accompagnement commencé" after C');
    await see(panel().getByRole('button', { name: /^Démarche faite 1$/ }), 'the key on the first outcome');
    await key('1');
    await see(notice(`${number} : terminé (Démarche faite)`), '"terminé" after 1');
    result.served.push([number, 'done']);
    save();
  });

  await step('"Absent" and "Annuler" ask first, and do nothing when staff go back', async () => {
    await click(page.getByRole('button', { name: /^Appeler le suivant/ }));
    const number = (await panel().locator('a.number').first().innerText()).trim();
    if (await panel().getByRole('button', { name: /^(Absent|Annuler)/ }).count()) fail('a one-click "Absent" or "Annuler" button beside the routine ones');
    await click(panel().getByRole('button', { name: /^Rappeler/ }));
    await click(panel().getByRole('link', { name: /^Absent/ }));
    await see(page.getByRole('heading', { name: new RegExp(`Noter ${number} absent`) }), 'the question before "Absent"');
    await page.screenshot({ path: join(shotsDir, 'confirm-absent-desktop.png') });
    await click(page.getByRole('link', { name: /Non/ }));
    await see(panel().getByText(number), `${number} still at the desk after "Non"`);
    await click(panel().getByRole('link', { name: /^Absent/ }));
    await click(page.getByRole('button', { name: /^Oui, noter absent/ }));
    await see(notice(`${number} : noté absent`), `"${number} : noté absent"`);
    result.absent = number;
    await click(page.getByRole('button', { name: /^Appeler le suivant/ }));
    const kept = (await panel().locator('a.number').first().innerText()).trim();
    await click(panel().getByRole('link', { name: /^Annuler/ }));
    await see(page.getByRole('heading', { name: new RegExp(`Annuler ${kept}`) }), 'the question before "Annuler"');
    await click(page.getByRole('link', { name: /Non/ }));
    await see(panel().getByText(kept), `${kept} still at the desk after "Non"`);
    result.kept = kept;
    save();
  });

  await step('a call for help and a printer alert show in the title, with a tone, until handled', async () => {
    const title = await page.title();
    if (/^\(\d+\)/.test(title)) fail(`the title already counts alerts: ${title}`);
    const toggle = page.getByRole('button', { name: /^Son/ });
    await see(toggle, 'the sound toggle');
    if ((await toggle.getAttribute('aria-pressed')) !== 'false') fail('the sound is on before staff turn it on');
    await toggle.click();
    if ((await toggle.getAttribute('aria-pressed')) !== 'true') fail('the sound toggle did not turn on');
    const before = await tones();
    await kiosk('help');
    await titleBecomes(/^\(1\) Appel à l'aide – /, 'the kiosk calls for help');
    await page.waitForFunction((n) => Number(sessionStorage.getItem('tones') || 0) > n, before).catch(() => fail('no tone for the call for help'));
    const html = await (await page.request.get(new URL('/', base).href)).text();
    if (!/<title>\(1\) Appel à l'aide – /.test(html)) fail('without the script, the page title does not count the call');
    await page.screenshot({ path: join(shotsDir, 'help-desktop.png') });
    result.title_with_help = await page.title();
    await click(page.getByRole('button', { name: /J'y vais/ }));
    await titleBecomes(/^File d'attente – /, 'the call is answered');
    const again = await tones();
    await kiosk('paper-out');
    await titleBecomes(/^\(1\) Imprimante/, 'the paper is out');
    result.title_with_printer = await page.title();
    result.tone_after_reload = await page.waitForFunction((n) => Number(sessionStorage.getItem('tones') || 0) > n, again, { timeout: 3000 }).then(() => true, () => false);
    await kiosk('printer-ready');
    await titleBecomes(/^File d'attente – /, 'the printer is back');
    save();
    console.log(`     titles: "${result.title_with_help}", "${result.title_with_printer}"; tone after a page load: ${result.tone_after_reload}`);
  });
  console.log(`all steps passed; screenshots in ${shotsDir}`);
} catch (error) {
  const what = error instanceof StepFailed ? error.message : error.stack;
  console.error(`FAILED at "${current}":\n${what}`);
  await page.screenshot({ path: join(shotsDir, 'failure.png'), fullPage: true }).catch(() => {});
  process.exitCode = 1;
} finally {
  save();
  await browser.close();
}

// The console as a desk tool, in a real browser (Debian's chromium, driven by playwright-core).
//
// With twelve people waiting, a member of staff logs in and the script measures what the
// queue page shows: the waiting rows whose whole box is on screen at 1366×768, and where
// the first waiting ticket is on a phone (360×740). Then, counting every click and every
// page the browser loads, it calls, serves and ends visits at both sizes, does the same
// with the keyboard shortcuts only, notes a visitor absent through the confirmation, backs
// out of a cancel, goes Back and Forward, meets a refusal and a console that does not
// answer — all without a page load: the document stays (a mark left on `window` and the
// one navigation entry survive), the focus goes to the visitor called, then to "Appeler
// le suivant". It plays the kiosk (a call for help, the paper
// running out and the printer back, the disk full and fixed) to see the tab's title and
// hear the tone: a tone counts as played when the browser played its notes to their end,
// which Chromium does only in a document someone touched (autoplay policy) — after a
// desk's action, yes; after a page load, no (checked too, or the first check proves
// nothing). Last, a browser without JavaScript serves a visit by its plain forms. The
// figures go to the result file before any check, so a failed check still leaves them.
// Any console error or CSP violation fails the run (exit code 1).
//
// Run by tests/integration/browser_desk.rs, which starts the console and passes:
//   GUICHET_BASE_URL, GUICHET_STAFF_NAME, GUICHET_STAFF_PASSWORD, GUICHET_DESK
//   GUICHET_WAITING     the waiting tickets' numbers, separated by spaces
//   GUICHET_KIOSK_DIR   where to write "help", "paper-out", "printer-ready", "disk-full" or
//                       "disk-fixed" for the test to play the kiosk (it answers "<what>.done")
//   GUICHET_RESULT_FILE, GUICHET_SHOTS_DIR, CHROMIUM_PATH

import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envOf, watchedPage } from './launch.mjs';
import { arrival, documentOf, focusOf, keysShownBy, touchScreen, untouchedTab, withoutScript } from './desk-tabs.mjs';

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
class StepFailed extends Error {}
const fail = (message) => {
  throw new StepFailed(message);
};

// Chromium as on a desktop: sound only in a document the person touched.
const { browser, context, page, problems } = await watchedPage(
  { viewport: DESKTOP, locale: 'fr-FR' },
  {
    extra: ['--autoplay-policy=document-user-activation-required'],
    init: () => {
      // Counts the oscillators the page starts (two per tone) and those the browser played
      // to their end: an oscillator ends only while its AudioContext runs.
      const bump = (name) => sessionStorage.setItem(name, String(Number(sessionStorage.getItem(name) || 0) + 1));
      const start = OscillatorNode.prototype.start;
      // Also said on the console, so that a tab can be watched without evaluating anything
      // in it (playwright's evaluations count as a gesture on the page).
      OscillatorNode.prototype.start = function (...args) {
        bump('tones');
        console.debug('tone:started');
        this.addEventListener('ended', () => {
          bump('played');
          console.debug('tone:played');
        });
        return start.apply(this, args);
      };
      // Tells the test when the page script has put a new page in place.
      document.addEventListener('guichet:page', () => console.debug('guichet:page'));
    },
  },
);

/** Pages the browser loaded and pages the script put in place since `count()`, clicks made. */
let loads = 0;
let swaps = 0;
let clicks = 0;
const paths = new Set();
page.on('load', () => {
  loads += 1;
});
function count() {
  loads = 0;
  swaps = 0;
  clicks = 0;
  paths.clear();
}
/** Does `act` and waits for the page it leads to. */
async function arrive(act, what) {
  const arrived = arrival(page);
  await act();
  const how = await arrived;
  if (!how) fail(`${what} led to no page on ${page.url()}: none loaded, none put in place`);
  if (how === 'swap') swaps += 1;
  paths.add(new URL(page.url()).pathname);
}
/** A click as staff make it, counted; waits for the page it leads to. */
async function click(locator) {
  clicks += 1;
  await arrive(() => locator.click(), 'a click');
}
/** A key as staff press it, with no field focused. */
async function key(name) {
  await arrive(() => page.keyboard.press(name), `the key ${name}`);
}
const [documentNow, focused, keysShown] = [documentOf, focusOf, keysShownBy].map((probe) => () => probe(page));

async function see(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible' });
  } catch {
    const text = (await page.locator('main').innerText().catch(() => '')).slice(0, 800);
    fail(`expected to see ${what} on ${page.url()}; the page says:\n${text}`);
  }
}
const notice = (text) => page.locator('main').getByRole('status').filter({ hasText: text });
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
const played = (tab = page) => tab.evaluate(() => Number(sessionStorage.getItem('played') || 0));
/** Whether the browser plays a tone (both notes to their end) in `tab` within `ms`. */
async function tonePlayed(before, ms, tab = page) {
  return tab
    .waitForFunction((n) => Number(sessionStorage.getItem('played') || 0) >= n + 2, before, { timeout: ms })
    .then(() => true, () => false);
}
async function titleBecomes(pattern, why, tab = page) {
  try {
    await tab.waitForFunction((source) => new RegExp(source).test(document.title), pattern.source, { timeout: 10_000 });
  } catch {
    fail(`the tab's title is "${await tab.title()}", not ${pattern} (${why})`);
  }
}

/** Calls, serves and ends one visit by clicks, at the window's size; returns the figures. */
async function visitByClicks(size, outcome, code) {
  count();
  await click(page.getByRole('button', { name: /^Appeler le suivant/ }));
  const number = (await panel().locator('a.number').first().innerText()).trim();
  await see(notice(`${number} est appelé au bureau « ${desk} »`), `"${number} est appelé"`);
  const afterCall = await focused();
  await click(panel().getByRole('button', { name: /^Commencer/ }));
  await see(notice(`${number} : accompagnement commencé`), '"accompagnement commencé"');
  // Nothing chosen for staff: no outcome list with a first choice, no ticked outcome.
  const preset = await page.locator('select[name=outcome], input[name=outcome]:checked').count();
  if (preset) fail(`an outcome is preselected on the ${size} page`);
  await page.screenshot({ path: join(shotsDir, `serving-${size}.png`) });
  const keys = await keysShown();
  await click(panel().getByRole('button', { name: new RegExp(`^${outcome}`) }));
  await see(notice(`${number} : terminé (${outcome})`), `"${number} : terminé (${outcome})"`);
  const afterEnd = await focused();
  // The live update that follows the action (its event) keeps the focus where it is.
  await page.waitForTimeout(1000);
  const later = await focused();
  result.served.push([number, code]);
  const focus = { after_call: afterCall, after_end: afterEnd, a_second_later: later };
  if (afterCall !== `a ${number}`) fail(`after the call the focus is on "${afterCall}", not on ${number}`);
  if (!/^button Appeler le suivant/.test(afterEnd) || later !== afterEnd) fail(`after the end the focus is on ${JSON.stringify(focus)}, not on "Appeler le suivant"`);
  return { clicks, pages: paths.size, loads, swaps, keys_shown: keys, focus };
}

try {
  await step('logging in leads to the queue', async () => {
    await page.goto(new URL('/login', base).href);
    await page.getByLabel('Votre nom').fill(env('GUICHET_STAFF_NAME'));
    await page.getByLabel('Mot de passe').fill(env('GUICHET_STAFF_PASSWORD'));
    await click(page.getByRole('button', { name: 'Se connecter' }));
    await see(page.getByRole('heading', { name: "File d'attente" }), 'the queue page');
    await page.evaluate(() => {
      window.deskMark = 'the queue page as loaded after the login';
    });
    result.document_at_start = await documentNow();
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
    if (result.desktop.clicks > 3 || result.desktop.pages !== 1 || result.desktop.loads) fail(`desktop: ${JSON.stringify(result.desktop)}`);
    if (!result.desktop.keys_shown) fail('no key hint on the desktop page');
  });

  await step('and on a phone', async () => {
    await page.setViewportSize(PHONE);
    result.phone = await visitByClicks('phone', 'Information seulement', 'information');
    save();
    console.log(`     phone: ${JSON.stringify(result.phone)}`);
    if (result.phone.clicks > 3 || result.phone.pages !== 1 || result.phone.loads) fail(`phone: ${JSON.stringify(result.phone)}`);
    if (result.phone.keys_shown) fail(`${result.phone.keys_shown} key hints shown on a 360 px phone`);
    await page.setViewportSize(DESKTOP);
  });

  await step('the keyboard alone calls, recalls, starts and ends (keys ignored in a field)', async () => {
    count();
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
    result.keyboard = { loads, swaps };
    save();
    if (loads) fail(`the keys loaded ${loads} pages`);
  });

  await step('"Absent" and "Annuler" ask first, and do nothing when staff go back', async () => {
    count();
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
    // The browser's Back and Forward go through the same pages, without a load either.
    await arrive(() => page.goBack(), 'Back');
    await see(page.getByRole('heading', { name: new RegExp(`Annuler ${kept}`) }), 'the question again after Back');
    await arrive(() => page.goForward(), 'Forward');
    await see(panel().getByText(kept), 'the queue again after Forward');
    result.kept = kept;
    result.confirmations = { clicks, loads, swaps, pages: [...paths] };
    save();
    if (loads) fail(`the questions before "Absent" and "Annuler" loaded ${loads} pages`);
  });

  await step('a refusal shows the console\'s page, no answer says so: never nothing', async () => {
    count();
    await page.route('**/call-next', (route) => route.abort('connectionfailed'));
    await page.getByRole('button', { name: /^Appeler le suivant/ }).click();
    await see(page.locator('main').getByRole('alert').filter({ hasText: "La console n'a pas répondu" }), 'the "no answer" message');
    await page.unroute('**/call-next');
    await page.locator('form.call input[name=csrf]').evaluate((field) => {
      field.value = 'a form from another day';
    });
    await click(page.getByRole('button', { name: /^Appeler le suivant/ }));
    await see(page.getByRole('heading', { name: 'Action refusée' }), "the console's refusal");
    await click(page.getByRole('link', { name: "Retour à la file d'attente" }));
    await see(page.getByRole('heading', { name: "File d'attente" }), 'the queue again');
    // The browser's own lines for the two failures made on purpose; nothing else may be said.
    const made = problems.filter((line) => /Failed to load resource: (net::ERR_CONNECTION_FAILED|.*status of 403).*\/call-next\)$/.test(line));
    if (made.length === 2) problems.splice(0, problems.length, ...problems.filter((line) => !made.includes(line)));
    result.errors = { loads, swaps };
    save();
    if (loads) fail(`the errors loaded ${loads} pages`);
  });

  await step('the document is the one loaded after the login: no page was reloaded', async () => {
    result.document_at_end = await documentNow();
    save();
    const [start, end] = [result.document_at_start, result.document_at_end];
    console.log(`     document at the start ${JSON.stringify(start)}, at the end ${JSON.stringify(end)}`);
    if (end.mark !== start.mark || end.navigations !== 1 || end.origin !== start.origin) fail('the page was reloaded');
  });

  await step('a call for help and the kiosk\'s alerts show in the title, with a tone played, until handled', async () => {
    const title = await page.title();
    if (/^\(\d+\)/.test(title)) fail(`the title already counts alerts: ${title}`);
    const toggle = page.getByRole('button', { name: /^Son/ });
    await see(toggle, 'the sound toggle');
    if ((await toggle.getAttribute('aria-pressed')) !== 'false') fail('the sound is on before staff turn it on');
    await toggle.click();
    if ((await toggle.getAttribute('aria-pressed')) !== 'true') fail('the sound toggle did not turn on');
    let before = await played();
    await kiosk('help');
    await titleBecomes(/^\(1\) Appel à l'aide – /, 'the kiosk calls for help');
    if (!(await tonePlayed(before, 5000))) fail('no tone played for the call for help');
    const html = await (await page.request.get(new URL('/', base).href)).text();
    if (!/<title>\(1\) Appel à l'aide – /.test(html)) fail('without the script, the page title does not count the call');
    await page.screenshot({ path: join(shotsDir, 'help-desktop.png') });
    result.title_with_help = await page.title();
    // The last gesture: "J'y vais". Every alert after it must sound.
    count();
    await click(page.getByRole('button', { name: /J'y vais/ }));
    await titleBecomes(/^File d'attente – /, 'the call is answered');
    before = await played();
    await kiosk('paper-out');
    await titleBecomes(/^\(1\) Imprimante/, 'the paper is out');
    result.title_with_printer = await page.title();
    result.tone_after_action = await tonePlayed(before, 5000);
    await kiosk('printer-ready');
    await titleBecomes(/^File d'attente – /, 'the printer is back');
    before = await played();
    await kiosk('disk-full');
    await titleBecomes(/^\(1\) Borne – /, 'the disk is full');
    await see(page.getByRole('alert').filter({ hasText: 'Enregistrement des tickets' }), 'the disk banner');
    result.title_with_disk = await page.title();
    result.tone_for_disk = await tonePlayed(before, 5000);
    await kiosk('disk-fixed');
    await titleBecomes(/^File d'attente – /, 'the disk has room again');
    result.answer_loads = loads;
    save();
    console.log(`     titles: "${result.title_with_help}", "${result.title_with_printer}", "${result.title_with_disk}"`);
    console.log(`     tone played after "J'y vais": printer ${result.tone_after_action}, disk ${result.tone_for_disk}`);
    if (loads) fail(`"J'y vais" loaded ${loads} pages`);
    if (!result.tone_after_action || !result.tone_for_disk) fail('an alert after a desk action played no tone');
  });

  await step('in a tab never touched the tone waits; after one desk action it plays', async () => {
    result.new_tab = await untouchedTab({ context, base, kiosk, arrival, problems, fail });
    save();
    const seen = result.new_tab;
    console.log(
      `     tone played in a new tab: before any gesture ${seen.untouched}; after "J'y vais" (a ${seen.answer}) ${seen.after_action}; after a page load that followed a click ${seen.after_page_load}`,
    );
    if (seen.untouched) fail('this browser sounds in a tab never touched: the tone checks prove nothing');
    if (seen.answer !== 'swap') fail(`"J'y vais" led to a ${seen.answer}, not a swap`);
    if (!seen.after_action) fail('no tone played for an alert after a desk action');
  });

  await step('without JavaScript, a visit goes by the plain forms', async () => {
    const who = { name: env('GUICHET_STAFF_NAME'), password: env('GUICHET_STAFF_PASSWORD') };
    const plain = await withoutScript({ browser, viewport: DESKTOP, base, who, desk, problems, fail });
    result.without_script = { loads: plain.loads, said: plain.said };
    result.served.push([plain.number, 'done']);
    save();
    console.log(`     without JavaScript: ${JSON.stringify(result.without_script)}`);
    if (!plain.said.startsWith(`${plain.number} : terminé (Démarche faite)`)) fail(`without JavaScript the page says "${plain.said}"`);
    if (plain.loads !== 3) fail(`without JavaScript the visit loaded ${plain.loads} pages, not 3`);
  });

  await step('a touch screen shows no key hints', async () => {
    const who = { name: env('GUICHET_STAFF_NAME'), password: env('GUICHET_STAFF_PASSWORD') };
    result.touch_1024 = await touchScreen({ browser, base, who, problems });
    save();
    console.log(`     1024×768 touch screen: ${JSON.stringify(result.touch_1024)}`);
    if (!result.touch_1024.coarse) fail('the emulated touch screen does not count as one: nothing checked');
    if (result.touch_1024.keys) fail(`${result.touch_1024.keys} key hints on a touch screen`);
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

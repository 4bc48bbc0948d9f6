// What desk.mjs reads of a page (how the next page came, the document, the focus, the key
// hints), and the browsers it opens beside its own tab: a tab never touched (does the tone
// wait for a gesture, and play after one desk action?), a browser without JavaScript (does
// a visit go by the plain forms?) and a touch screen (are the key hints hidden?).

import { watch } from './launch.mjs';

const wait = async (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(test, ms) {
  for (let left = ms; left > 0 && !test(); left -= 100) await wait(100);
  return test();
}

/** Resolves with "load" or "swap" as the next page comes in `tab` (a new document, or the page script's "guichet:page", which desk.mjs has each document say on its console), null after 10 s. */
export function arrival(tab) {
  return new Promise((resolve) => {
    const done = (how) => {
      tab.off('load', onLoad);
      tab.off('console', onConsole);
      clearTimeout(timer);
      resolve(how);
    };
    const onLoad = () => done('load');
    const onConsole = (m) => m.text() === 'guichet:page' && done('swap');
    const timer = setTimeout(() => done(null), 10_000);
    tab.on('load', onLoad);
    tab.on('console', onConsole);
  });
}

/** What tells `page`'s document from a reloaded one: the mark desk.mjs leaves, its navigations, its time origin. */
export const documentOf = (page) =>
  page.evaluate(() => ({
    mark: window.deskMark ?? null,
    navigations: performance.getEntriesByType('navigation').length,
    origin: performance.timeOrigin,
  }));

/** `page`'s focused element: its tag and text. */
export const focusOf = (page) =>
  page.evaluate(() => {
    const a = document.activeElement;
    return a ? `${a.tagName.toLowerCase()} ${a.textContent.trim()}` : '';
  });

/** How many key hints (N, R, C…, the legend) `page` shows. */
export const keysShownBy = (page) =>
  page.locator('main .key, main .keys-legend').evaluateAll((all) => all.filter((k) => k.offsetParent !== null).length);

/**
 * A new tab of `context` on the queue, watched through its console only (playwright's
 * evaluations count as a gesture on a page): whether a tone played for a call for help
 * before anyone touched it, after "J'y vais" (a click the page script answers without a
 * page load), and after a page load that followed a click (the header's link).
 * `kiosk(what)` plays the kiosk, `arrival(tab)` tells "load" or "swap".
 */
export async function untouchedTab({ context, base, kiosk, arrival, problems, fail }) {
  const tab = await context.newPage();
  watch(tab, problems);
  const heard = { started: 0, played: 0 };
  tab.on('console', (m) => {
    if (m.text() === 'tone:started') heard.started += 1;
    if (m.text() === 'tone:played') heard.played += 1;
  });
  const toneAfter = async (what) => {
    await wait(1500);
    const before = { ...heard };
    await kiosk(what);
    if (!(await until(() => heard.started >= before.started + 2, 8000))) fail(`the new tab started no tone for "${what}"`);
    return until(() => heard.played >= before.played + 2, 3000);
  };
  const seen = {};
  await tab.goto(new URL('/', base).href);
  await wait(1000);
  seen.untouched = await toneAfter('help');
  const answered = arrival(tab);
  await tab.getByRole('button', { name: /J'y vais/ }).click();
  seen.answer = await answered;
  seen.after_action = await toneAfter('paper-out');
  await kiosk('printer-ready');
  const loaded = arrival(tab);
  await tab.getByRole('link', { name: "File d'attente", exact: true }).click();
  seen.after_page_load = (await loaded) === 'load' ? await toneAfter('paper-out') : null;
  await kiosk('printer-ready');
  await tab.close();
  return seen;
}

/** Logs `who` ({ name, password }) in on a new page of `context`, which stays on the queue. */
async function logIn(context, base, who, problems) {
  const page = await context.newPage();
  watch(page, problems);
  await page.goto(new URL('/login', base).href);
  await page.getByLabel('Votre nom').fill(who.name);
  await page.getByLabel('Mot de passe').fill(who.password);
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Se connecter' }).click()]);
  return page;
}

/** A visit called, started and ended with "Démarche faite" with JavaScript off: the pages loaded, the notice. */
export async function withoutScript({ browser, viewport, base, who, desk, problems, fail }) {
  const plain = await browser.newContext({ viewport, locale: 'fr-FR', javaScriptEnabled: false });
  const page = await logIn(plain, base, who, problems);
  let loads = 0;
  page.on('load', () => {
    loads += 1;
  });
  const press = async (locator) => Promise.all([page.waitForEvent('load'), locator.click()]);
  const notice = () => page.locator('main').getByRole('status').innerText();
  await page.getByLabel('Votre bureau').fill(desk);
  await press(page.getByRole('button', { name: 'Appeler le suivant', exact: true }));
  const called = await notice();
  const number = (/^(\S+) est appelé/.exec(called) || fail(`without JavaScript "call next" says "${called}"`))[1];
  const visitor = page
    .getByRole('region', { name: /^À ce bureau/ })
    .locator('.current')
    .filter({ has: page.getByRole('link', { name: number, exact: true }) });
  await press(visitor.getByRole('button', { name: 'Commencer', exact: true }));
  await press(visitor.getByRole('button', { name: 'Démarche faite', exact: true }));
  const said = await notice();
  await plain.close();
  return { number, loads, said };
}

/** The key hints visible on a 1024×768 touch screen, and whether it counts as one (no hover, coarse pointer). */
export async function touchScreen({ browser, base, who, problems }) {
  const touch = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true, isMobile: true, locale: 'fr-FR' });
  const page = await logIn(touch, base, who, problems);
  const coarse = await page.evaluate(() => matchMedia('(hover: none) and (pointer: coarse)').matches);
  const keys = await keysShownBy(page);
  await touch.close();
  return { coarse, keys };
}

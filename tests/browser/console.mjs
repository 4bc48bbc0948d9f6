// The staff console in a real browser (Debian's chromium, driven by playwright-core).
//
// A member of staff scans a ticket's QR code, logs in, comes back to that ticket, goes
// to the queue, calls the next visitor (the priority one), opens its page from the desk's
// column, serves and finishes the visit with an outcome's button, then logs out. Only the page's own links, fields and buttons
// are used: no request or header is made by hand. Any step that does not happen, any
// console error and any Content-Security-Policy violation fails the run (exit code 1).
//
// Run by tests/integration/browser.rs, which starts the console and passes:
//   GUICHET_BASE_URL         http://127.0.0.1:<port>
//   GUICHET_STAFF_NAME, GUICHET_STAFF_PASSWORD
//   GUICHET_TICKET_URL       what the ticket's QR code holds (<base>/t/<token>)
//   GUICHET_TICKET_NUMBER    that ticket's number (A-001)
//   GUICHET_PRIORITY_NUMBER  the waiting ticket with a priority need (called first)
//   GUICHET_DESK             the desk name to type
//   GUICHET_OUTCOME_LABEL    the outcome's button that ends the visit
//   GUICHET_REDIRECT_LABEL   where the visitor is sent ("Orienté vers")
//   GUICHET_AUTONOMY_LABEL   who did the procedure ("Qui a fait la démarche")
//   GUICHET_SHOTS_DIR        where the screenshots go (<page>-desktop.png, <page>-phone.png)
//   CHROMIUM_PATH            optional, /usr/bin/chromium by default

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { axeSource, envOf, watchedPage } from './launch.mjs';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/** The desktop at 200 % zoom (WCAG 1.4.4): the page lays out in half the CSS pixels. */
const ZOOM_200 = { width: DESKTOP.width / 2, height: DESKTOP.height / 2 };

const env = envOf('console.mjs');

const base = new URL(env('GUICHET_BASE_URL'));
const staffName = env('GUICHET_STAFF_NAME');
const password = env('GUICHET_STAFF_PASSWORD');
const ticketUrl = new URL(env('GUICHET_TICKET_URL'));
const ticketNumber = env('GUICHET_TICKET_NUMBER');
const priorityNumber = env('GUICHET_PRIORITY_NUMBER');
const desk = env('GUICHET_DESK');
const outcomeLabel = env('GUICHET_OUTCOME_LABEL');
const redirectLabel = env('GUICHET_REDIRECT_LABEL');
const autonomyLabel = env('GUICHET_AUTONOMY_LABEL');
const shotsDir = env('GUICHET_SHOTS_DIR');
mkdirSync(shotsDir, { recursive: true });
rmSync(join(shotsDir, 'failure.png'), { force: true });

/** Every form the browser POSTed, to check it told the console where it came from. */
const posts = [];

class StepFailed extends Error {}

function fail(message) {
  throw new StepFailed(message);
}

/** The browser and its page; `problems`: console errors, uncaught exceptions, CSP violations. */
const { browser, page, problems } = await watchedPage({ viewport: DESKTOP, locale: 'fr-FR' });
page.on('request', (request) => {
  if (request.method() === 'POST') posts.push(request);
});

const path = () => new URL(page.url()).pathname;

/** Waits until `locator` is visible, or fails saying what was expected and what is there. */
async function see(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible' });
  } catch {
    const text = (await page.locator('main').innerText().catch(() => '')).slice(0, 600);
    fail(`expected to see ${what} on ${page.url()}; the page says:\n${text}`);
  }
}

/** Waits until the browser shows `pathname` (after redirects). */
async function reach(pathname, why) {
  try {
    await page.waitForURL((url) => url.pathname === pathname);
  } catch {
    fail(`expected to be on ${pathname} (${why}), but the browser shows ${page.url()}`);
  }
}

/** Clicks `button`, which POSTs a form to `action`, and waits for the page that follows. */
async function submit(button, action) {
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === action);
  await button.click();
  const response = await answered.catch(() => fail(`pressing the button sent no form to ${action}`));
  await page.waitForLoadState('load');
  const request = posts.findLast((r) => new URL(r.url()).pathname === action);
  const headers = await request.allHeaders();
  if (action === '/login') {
    console.log(`     the login form went with Origin ${headers.origin}, Sec-Fetch-Site ${headers['sec-fetch-site'] ?? '(none)'}`);
  }
  if (headers.origin !== base.origin) {
    fail(`the form to ${action} was sent with Origin ${headers.origin} (Referrer-Policy?), not ${base.origin}`);
  }
  if (response.status() !== 303) {
    const text = (await page.locator('main').innerText().catch(() => '')).slice(0, 400);
    fail(`the console answered ${response.status()} to ${action}, not a redirect; the page says:\n${text}`);
  }
}

/** axe-core, run inside the page through DevTools (the console's CSP allows no other script). */

/** Fails on any serious or critical axe-core violation (WCAG 2.x A and AA rules and best practices). */
async function accessible(name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const grave = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (grave.length) {
    const list = grave.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    fail(`axe-core finds on the ${name} page:\n  ${list.join('\n  ')}`);
  }
  return result.violations.length;
}

/** The page at desktop size, at 200 % zoom and on a phone, whole length, checked by axe-core at each. */
async function shoot(name) {
  const minor = [];
  for (const [size, viewport] of [['desktop', DESKTOP], ['zoom200', ZOOM_200], ['phone', PHONE]]) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: join(shotsDir, `${name}-${size}.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) fail(`the ${name} page is ${overflow}px wider than the ${size} screen: it scrolls sideways`);
    minor.push(`${size} ${await accessible(`${name} (${size})`)}`);
  }
  console.log(`     axe-core on ${name}: no serious or critical violation; minor or moderate: ${minor.join(', ')}`);
  await page.setViewportSize(DESKTOP);
}

let current = 'starting';
async function step(name, action) {
  current = name;
  const began = Date.now();
  await action();
  if (problems.length) fail(`the page reported problems:\n  ${problems.join('\n  ')}`);
  console.log(`ok   ${name} (${Date.now() - began} ms)`);
}

const ticketPath = ticketUrl.pathname;
const liveTable = page.locator('#live');
const rowOf = (number) => liveTable.locator('tr', { has: page.getByRole('link', { name: number, exact: true }) });
const deskColumn = () => page.getByRole('region', { name: /^À ce bureau/ });
const notice = (text) => page.locator('main').getByRole('status').filter({ hasText: text });

try {
  await step('scanning the QR code of a ticket leads to the login page', async () => {
    const response = await page.goto(ticketUrl.href);
    await reach('/login', 'not logged in yet');
    const next = new URL(page.url()).searchParams.get('next');
    if (next !== ticketPath) fail(`the login page would lead to ${next}, not back to ${ticketPath}`);
    await see(page.getByRole('heading', { name: 'Connexion' }), 'the "Connexion" heading');
    const policy = response.headers()['referrer-policy'];
    if (policy !== 'same-origin') fail(`Referrer-Policy is ${policy}, not same-origin`);
    await shoot('login');
  });

  await step('logging in leads back to the scanned ticket', async () => {
    await page.getByLabel('Votre nom').fill(staffName);
    await page.getByLabel('Mot de passe').fill(password);
    await submit(page.getByRole('button', { name: 'Se connecter' }), '/login');
    await reach(ticketPath, 'the login page leads back to the scanned ticket');
    await see(page.getByRole('heading', { name: `Ticket ${ticketNumber}` }), `the heading "Ticket ${ticketNumber}"`);
    await see(page.getByText(`Connecté : ${staffName}`), `"Connecté : ${staffName}"`);
    await shoot('ticket');
  });

  await step('the queue page lists the waiting tickets', async () => {
    await page.getByRole('link', { name: "File d'attente", exact: true }).click();
    await reach('/', 'the link to the queue');
    await see(page.getByRole('heading', { name: "File d'attente" }), `the heading "File d'attente"`);
    for (const number of [ticketNumber, priorityNumber]) {
      await see(rowOf(number), `${number} waiting in the table`);
    }
    await see(rowOf(priorityNumber).getByText('Prioritaire'), `${priorityNumber} marked as a priority`);
  });

  await step('calling the next visitor calls the priority ticket', async () => {
    await page.getByLabel('Votre bureau').fill(desk);
    await page.getByLabel('File', { exact: true }).selectOption({ label: 'Toutes les files' });
    await submit(page.getByRole('button', { name: 'Appeler le suivant' }), '/call-next');
    await reach('/', 'back to the queue after calling');
    await see(notice(`${priorityNumber} est appelé au bureau « ${desk} »`), `"${priorityNumber} est appelé…"`);
    await see(deskColumn().getByRole('link', { name: priorityNumber, exact: true }), `${priorityNumber} at this desk`);
    await see(deskColumn().getByText('appelé', { exact: true }), `${priorityNumber} shown as called`);
    await see(rowOf(ticketNumber), `${ticketNumber} still waiting`);
    await shoot('queue');
  });

  await step('the called visitor is served and the visit finished with an outcome', async () => {
    await deskColumn().getByRole('link', { name: priorityNumber, exact: true }).click();
    // The page script opens it in place (no page load): wait for its address.
    await page.waitForURL((url) => url.pathname.startsWith('/t/')).catch(() => {});
    const priorityPath = path();
    if (!priorityPath.startsWith('/t/')) fail(`the ticket number led to ${page.url()}, not to a ticket page`);
    await see(page.getByRole('heading', { name: `Ticket ${priorityNumber}` }), `the page of ${priorityNumber}`);
    await submit(page.getByRole('button', { name: `Commencer ${priorityNumber}` }), await actionOf('Commencer'));
    await reach(priorityPath, 'back to the ticket after starting');
    await see(notice(`${priorityNumber} : accompagnement commencé`), '"accompagnement commencé"');
    // The outcome is a button of its own (nothing chosen in advance); the details are optional.
    if (await page.locator('select[name=outcome], input[name=outcome]:checked').count()) fail('an outcome is preselected');
    await page.getByText('Précisions (facultatif)').click();
    await page.getByLabel('Orienté vers').selectOption({ label: redirectLabel });
    await page.getByLabel('Qui a fait la démarche').selectOption({ label: autonomyLabel });
    await page.getByLabel('Première visite ici').selectOption({ label: 'Oui' });
    await shoot('ticket-serving');
    const ending = page.getByRole('group', { name: `Terminer ${priorityNumber} avec le résultat` });
    // Its name ends with its key ("4") when the page script opened the page.
    const outcomeButton = ending.getByRole('button', { name: new RegExp(`^${outcomeLabel}( \\d)?$`) });
    await submit(outcomeButton, new URL(await outcomeButton.getAttribute('formaction'), base).pathname);
    await reach(priorityPath, 'back to the ticket after finishing');
    await see(notice(`${priorityNumber} : terminé (${outcomeLabel} : ${redirectLabel})`), `"terminé (${outcomeLabel} : …)"`);
    await see(page.getByRole('definition').filter({ hasText: outcomeLabel }), `the outcome "${outcomeLabel}"`);
    await see(page.getByRole('definition').filter({ hasText: redirectLabel }), `sent to "${redirectLabel}"`);
    await see(page.getByRole('definition').filter({ hasText: autonomyLabel }), `"${autonomyLabel}"`);
  });

  await step('the activity report counts the visit, with no ticket number, and prints on A4', async () => {
    await page.getByRole('link', { name: 'Rapport', exact: true }).click();
    await reach('/rapport', 'the link to the report');
    await see(page.getByRole('heading', { name: "Rapport d'activité" }), 'the report heading');
    const figure = async (term) => (await page.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]').innerText()).trim();
    const visits = await figure("Visites accompagnées jusqu'au bout");
    if (!visits.startsWith('1')) fail(`the report counts ${visits} visits seen to the end, not 1`);
    await see(page.getByRole('figure', { name: 'Qui a fait la démarche' }).getByText(`${autonomyLabel} : 1`), 'the autonomy chart says the visit');
    if ((await page.content()).includes(priorityNumber)) fail(`the report shows the ticket number ${priorityNumber}`);
    await shoot('report');
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: join(shotsDir, 'report-print.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4' });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    if (pages < 1 || pages > 3) fail(`the report prints on ${pages} A4 pages`);
    console.log(`     the report prints on ${pages} A4 page(s)`);
    await page.emulateMedia({ media: 'screen' });
  });

  await step('an administrator adds an agent account and reads the audit log', async () => {
    await page.getByRole('link', { name: 'Comptes', exact: true }).click();
    await reach('/admin', 'the link to the accounts');
    await see(page.getByRole('heading', { name: 'Comptes de la console' }), 'the heading "Comptes de la console"');
    await page.getByLabel('Nom', { exact: true }).fill('Paul');
    await page.getByLabel('Rôle').selectOption({ label: 'Agent' });
    await page.getByLabel(/^Mot de passe/).fill('Lavande et thym 7');
    await page.getByLabel('Le même mot de passe, encore une fois').fill('Lavande et thym 7');
    await submit(page.getByRole('button', { name: 'Créer le compte' }), '/admin/accounts/add');
    await reach('/admin', 'back to the accounts after adding one');
    await see(notice('Le compte « Paul » est créé.'), '"Le compte « Paul » est créé."');
    await shoot('admin');
    await page.getByRole('link', { name: 'Gérer le compte de Paul' }).click();
    await see(page.getByRole('heading', { name: 'Compte de Paul' }), 'the heading "Compte de Paul"');
    await shoot('admin-account');
    await page.getByRole('link', { name: 'Journal', exact: true }).click();
    await reach('/admin/journal', 'the link to the audit log');
    await see(page.getByRole('cell', { name: 'Crée un compte' }).first(), 'the account creation in the log');
    await see(page.getByRole('cell', { name: 'Connexion', exact: true }).first(), 'the login in the log');
    await shoot('journal');
  });

  await step('logging out closes the console', async () => {
    await submit(page.getByRole('button', { name: 'Se déconnecter' }), '/logout');
    await reach('/login', 'logging out leads to the login page');
    await page.goto(new URL('/', base).href);
    await reach('/login', 'the queue page is only for logged-in staff');
    await see(page.getByRole('heading', { name: 'Connexion' }), 'the login page');
  });

  console.log(`all steps passed; screenshots in ${shotsDir}`);
} catch (error) {
  const what = error instanceof StepFailed ? error.message : error.stack;
  console.error(`FAILED at "${current}":\n${what}`);
  await page.screenshot({ path: join(shotsDir, 'failure.png'), fullPage: true }).catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
}

/** The path a button of the ticket form sends to (its `formaction`), read from the page. */
async function actionOf(label) {
  const button = page.getByRole('button', { name: `${label} ${priorityNumber}` });
  const action = await button.getAttribute('formaction');
  if (!action) fail(`the button "${label} ${priorityNumber}" has no form action`);
  return action;
}

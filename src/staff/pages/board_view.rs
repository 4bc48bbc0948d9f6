//! The board page: the call being announced in very large print, the calls before it,
//! and a one-time "sound on" button (browsers play sound only after a touch). White on
//! black (21:1); nothing blinks: a new call is shown once, steadily, while it is said.
//! Also the administrators' page about the board's address.

use super::layout::{self, Chrome};
use super::paths;
use crate::staff::access::auth::Notice;
use crate::store::BoardCall;
use maud::{html, Markup, PreEscaped, DOCTYPE};

const CSS: &str = r#"
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; background: #000; color: #fff;
  font-family: "Atkinson Hyperlegible", "DejaVu Sans", sans-serif; }
body { display: flex; flex-direction: column; padding: 2vh 3vw; gap: 2vh; }
header { font-size: 3.5vh; display: flex; justify-content: space-between; align-items: baseline; gap: 2vw; }
h1 { font-size: 3.5vh; margin: 0; }
main { flex: 1 1 auto; display: flex; flex-direction: column; gap: 2vh; }
#now { flex: 1 1 auto; display: flex; flex-direction: column; justify-content: center;
  align-items: center; border: 0.6vh solid #fff; border-radius: 2vh; padding: 2vh; }
#now .label { font-size: 4.5vh; }
#now .number { font-size: 24vh; font-weight: bold; line-height: 1.05; letter-spacing: 0.04em; }
#now .desk { font-size: 10vh; font-weight: bold; }
#now.idle .number { font-size: 8vh; font-weight: normal; }
h2 { font-size: 4vh; margin: 0; font-weight: normal; }
ol { list-style: none; margin: 0; padding: 0; display: grid;
  grid-template-columns: repeat(auto-fill, minmax(28vw, 1fr)); gap: 1vh 2vw; }
ol li { font-size: 5.5vh; border-top: 0.3vh solid #fff; padding-top: 0.6vh; }
ol li b { margin-inline-end: 1.5vw; }
#sound { position: fixed; inset: auto 3vw 3vh auto; font: inherit; font-size: 4vh;
  background: #ffeb3b; color: #000; border: 0.5vh solid #fff; border-radius: 1.5vh;
  padding: 2vh 3vw; min-height: 12vh; cursor: pointer; }
#sound:focus { outline: 0.6vh solid #fff; outline-offset: 0.6vh; }
#sound[hidden] { display: none; }
"#;

/// Announces calls one after the other, in the order received, none skipped: each is
/// shown as its chime starts and stays up while it is said (French, then the visitor's
/// language, twice). Without sound a call still stays up 4 s before the next.
const JS: &str = r#"
(function () {
  var board = document.getElementById('board');
  var key = board.dataset.key, last = Number(board.dataset.last) || 0;
  var queue = [], busy = false, sound = false;
  // What was shown and played, for the browser test (nothing is sent anywhere).
  var heard = window.guichetBoard = { shown: [], played: [], done: 0, connected: false };
  var now = document.getElementById('now'), before = document.getElementById('before');
  function wait(ms) { return new Promise(function (done) { setTimeout(done, ms); }); }
  function play(url) {
    return new Promise(function (done) {
      var a = new Audio(url), entry = { url: url, end: '' };
      heard.played.push(entry);
      a.onended = function () { entry.end = 'ended'; done(); };
      a.onerror = function () { entry.end = 'error'; done(); };
      var p = a.play();
      if (p && p.catch) { p.catch(function () { entry.end = 'refused'; done(); }); }
    });
  }
  function line(number, desk) {
    var li = document.createElement('li'), b = document.createElement('b');
    b.textContent = number; li.appendChild(b); li.appendChild(document.createTextNode(desk));
    return li;
  }
  function show(c) {
    var shown = now.querySelector('.number').textContent;
    if (!now.classList.contains('idle')) {
      before.insertBefore(line(shown, now.querySelector('.desk').textContent), before.firstChild);
      while (before.children.length > 5) { before.removeChild(before.lastChild); }
    }
    now.classList.remove('idle');
    now.querySelector('.number').textContent = c.number;
    now.querySelector('.desk').textContent = c.desk;
    heard.shown.push(c.id);
  }
  async function announce(c) {
    show(c);
    if (!sound) { await wait(4000); return; }
    await play('/board/chime.wav');
    for (var i = 0; i < c.langs.length; i++) {
      await play('/board/audio/' + c.id + '?key=' + encodeURIComponent(key) + '&lang=' + c.langs[i]);
      await wait(i === 1 ? 900 : 250);
    }
    await wait(1500);
  }
  async function next() {
    if (busy) { return; }
    busy = true;
    while (queue.length) { await announce(queue.shift()); heard.done += 1; }
    busy = false;
  }
  var stream = new EventSource('/board/events?key=' + encodeURIComponent(key) + '&after=' + last);
  stream.onopen = function () { heard.connected = true; };
  stream.addEventListener('call', function (e) {
    var c = JSON.parse(e.data);
    if (c.id <= last) { return; }
    last = c.id; queue.push(c); next();
  });
  var button = document.getElementById('sound');
  button.addEventListener('click', function () {
    sound = true; button.hidden = true;
    play('/board/chime.wav');
  });
})();
"#;

/// The whole board, showing `calls` (oldest first) as they stand.
pub(crate) fn page(nonce: &str, site: &str, key: &str, calls: &[BoardCall]) -> Markup {
    let last = calls.last().map_or(0, |c| c.id);
    let (current, before) = match calls.split_last() {
        Some((current, before)) => (Some(current), before),
        None => (None, calls),
    };
    html! {
        (DOCTYPE)
        html lang="fr" {
            (layout::head(&format!("Appels – {site}"), nonce, CSS))
            body #board data-key=(key) data-last=(last) {
                header { h1 { (site) } span { "Présentez-vous au bureau indiqué" } }
                main {
                    div #now.idle[current.is_none()] role="status" aria-live="assertive" aria-atomic="true" {
                        span.label { "Appel en cours" }
                        span.number { (current.map_or("En attente du prochain appel", |c| c.number.as_str())) }
                        span.desk { (current.map_or("", |c| c.desk.as_str())) }
                    }
                    section aria-labelledby="before-title" {
                        h2 #before-title { "Appels précédents" }
                        ol #before {
                            @for c in before.iter().rev().take(5) {
                                li { b { (c.number) } (c.desk) }
                            }
                        }
                    }
                }
                button #sound type="button" { "Activer le son des appels" }
                script nonce=(nonce) { (PreEscaped(JS)) }
            }
        }
    }
}

/// The administrators' page about the board's address (`/admin/tableau`): the address
/// with its key, or none yet, and the form that makes a new key.
pub(crate) fn admin_page(chrome: &Chrome<'_>, csrf: &str, notice: Option<&Notice>, url: Option<&str>) -> Markup {
    let body = html! {
        h1 { "Tableau de la salle d'attente" }
        (layout::notice(notice))
        p { "Sur une télévision ou un second écran, le tableau montre le numéro appelé et le bureau, "
            "avec un carillon puis l'appel dit en français et dans la langue de la personne. "
            "Il ne montre rien d'autre : ni nom, ni démarche. Il suffit d'ouvrir son adresse dans le navigateur "
            "de l'écran (sans compte) et de toucher une fois « Activer le son des appels »." }
        @match url {
            Some(url) => {
                h2 { "Adresse du tableau" }
                p.address { code { (url) } }
                p { a href=(url) { "Ouvrir le tableau" } }
            }
            None => p { "Aucun tableau n'est encore créé." }
        }
        form.stack method="post" action=(paths::BOARD_ADMIN) {
            input type="hidden" name="csrf" value=(csrf);
            button type="submit" {
                @if url.is_some() { "Nouvelle adresse (l'ancienne ne marchera plus)" } @else { "Créer l'adresse du tableau" }
            }
        }
    };
    layout::page(chrome, "Tableau", false, body)
}

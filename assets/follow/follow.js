// "Suivre mon tour": follows the ticket's live stream, replaces the live part, and
// rings and vibrates when the number is called, and again at each recall (sound only after the visitor
// touched "Activer le son": browsers allow no sound before). Nothing is sent anywhere.
(function () {
  'use strict';
  var main = document.getElementById('follow');
  if (!main) { return; }
  var live = document.getElementById('live');
  var lost = document.getElementById('lost');
  var box = document.getElementById('sound-box');
  var button = document.getElementById('sound');
  var kind = main.dataset.kind;
  var calls = Number(main.dataset.calls) || 0;
  var sound = false;
  // What happened, for the browser test.
  var seen = window.guichetFollow = { kinds: [kind], played: [], vibrated: 0, connected: false };
  var FINAL = { done: true, absent: true, closed: true };

  function ring() {
    if (navigator.vibrate) {
      seen.vibrated += navigator.vibrate([500, 200, 500, 200, 800]) ? 1 : 0;
    }
    if (!sound) { return; }
    var a = new Audio('/chime.wav'), entry = { end: '' };
    seen.played.push(entry);
    a.onended = function () { entry.end = 'ended'; };
    a.onerror = function () { entry.end = 'error'; };
    var p = a.play();
    if (p && p.catch) { p.catch(function () { entry.end = 'refused'; }); }
  }

  if (window.Audio && button) {
    box.hidden = false;
    button.addEventListener('click', function () {
      sound = true;
      button.setAttribute('aria-pressed', 'true');
      button.textContent = main.dataset.soundOn;
      // A first, quiet play unlocks sound for the call; a short buzz shows vibration works.
      var a = new Audio('/chime.wav');
      a.volume = 0.3;
      var p = a.play();
      if (p && p.catch) { p.catch(function () {}); }
      if (navigator.vibrate) { navigator.vibrate(200); }
      if (kind === 'called') { ring(); }
    });
  }

  if (!window.EventSource || FINAL[kind]) { return; }
  var source = new EventSource(main.dataset.events);
  source.onopen = function () { seen.connected = true; lost.hidden = true; };
  source.onerror = function () {
    seen.connected = false;
    if (source.readyState !== EventSource.OPEN) { lost.hidden = false; }
  };
  source.addEventListener('turn', function (e) {
    var turn;
    try { turn = JSON.parse(e.data); } catch (err) { return; }
    lost.hidden = true;
    live.innerHTML = turn.html;
    main.dataset.kind = turn.kind;
    seen.kinds.push(turn.kind);
    if (turn.kind === 'called' && (kind !== 'called' || turn.calls > calls)) { ring(); }
    calls = turn.calls;
    if (turn.kind === 'near' && kind === 'waiting' && navigator.vibrate) { navigator.vibrate(200); }
    kind = turn.kind;
    if (FINAL[kind]) { source.close(); }
  });
  source.addEventListener('gone', function () { source.close(); window.location.reload(); });
})();

//! The queue page's one script (with the page's CSP nonce). Without it the page works by
//! its forms; with it:
//! - live: each server event reloads the queue fragment (at most one fetch at a time; not
//!   while staff are choosing in a list, typing in a field or have details open);
//! - keys: N, R, C and 1 to 4 press the button that shows that key (shown once the
//!   script runs), never while typing in a field or with Ctrl, Alt or Meta;
//! - alerts: the tab's title counts the open calls for help and the kiosk's alerts
//!   ("(1) Appel à l'aide – File d'attente – …", as the server also writes it), and a
//!   short tone made by the browser (WebAudio, no file) sounds for each new one, and
//!   again every minute while one is open, once staff turn the sound on ("Son"). A page
//!   may sound only after a gesture on it: a tone made before waits for the first click or key.

pub(crate) const LIVE_JS: &str = r#"
(function(){
 document.documentElement.classList.add('keys');
 var box=document.getElementById('live');
 document.addEventListener('keydown',function(e){
  if(e.ctrlKey||e.altKey||e.metaKey||e.repeat)return;
  var t=e.target;
  if(t&&(t.isContentEditable||/^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName)))return;
  var k=(e.key||'').toLowerCase();
  if(!/^[nrc1-4]$/.test(k))return;
  var b=document.querySelector('[data-key="'+k+'"]');
  if(!b)return;
  e.preventDefault();b.click();
 });
 var sound=document.getElementById('sound'),ctx=null;
 function on(){try{return localStorage.getItem('guichet-son')==='on';}catch(x){return false;}}
 function show(){sound.setAttribute('aria-pressed',on()?'true':'false');sound.textContent=on()?'Son : activé':'Son : désactivé';}
 function tone(){
  if(!on()||!window.AudioContext)return;
  if(!ctx)ctx=new AudioContext();
  if(ctx.state==='suspended')ctx.resume();
  [0,0.35].forEach(function(at){
   var o=ctx.createOscillator(),g=ctx.createGain(),t=ctx.currentTime+at;
   o.frequency.value=880;
   g.gain.setValueAtTime(0.0001,t);
   g.gain.exponentialRampToValueAtTime(0.3,t+0.02);
   g.gain.exponentialRampToValueAtTime(0.0001,t+0.28);
   o.connect(g);g.connect(ctx.destination);o.start(t);o.stop(t+0.3);
  });
 }
 if(sound&&window.AudioContext){
  sound.hidden=false;show();
  sound.addEventListener('click',function(){
   try{localStorage.setItem('guichet-son',on()?'off':'on');}catch(x){}
   show();tone();
  });
  ['pointerdown','keydown'].forEach(function(n){
   document.addEventListener(n,function(){if(ctx&&ctx.state==='suspended')ctx.resume();},true);
  });
 }
 if(!box)return;
 var base=box.getAttribute('data-title')||document.title;
 function alerts(){
  var list=box.querySelectorAll('[data-alert]'),seen={},now={},fresh=false;
  try{seen=JSON.parse(sessionStorage.getItem('guichet-alertes')||'{}');}catch(x){}
  for(var i=0;i<list.length;i++){
   var id=list[i].getAttribute('data-alert-id');
   now[id]=1;if(!seen[id])fresh=true;
  }
  try{sessionStorage.setItem('guichet-alertes',JSON.stringify(now));}catch(x){}
  document.title=list.length?'('+list.length+') '+list[0].getAttribute('data-alert')+' – '+base:base;
  if(fresh)tone();
  return list.length;
 }
 alerts();
 setInterval(function(){if(alerts())tone();},60000);
 if(!window.EventSource||!window.fetch)return;
 var busy=false,again=false;
 function refresh(){
  if(busy){again=true;return;}
  var a=document.activeElement;
  if((a&&/^(INPUT|SELECT|TEXTAREA)$/.test(a.tagName)&&box.contains(a))||box.querySelector('details[open]')){
   setTimeout(refresh,3000);return;
  }
  busy=true;
  fetch('/queue',{credentials:'same-origin',cache:'no-store'}).then(function(r){
   if(!r.ok||r.redirected){location.reload();return null;}
   return r.text();
  }).then(function(html){if(html!==null){box.innerHTML=html;alerts();}}).catch(function(){}).then(function(){
   busy=false;if(again){again=false;refresh();}
  });
 }
 var events=new EventSource('/events');
 events.onmessage=refresh;
 events.onopen=refresh;
 setInterval(refresh,60000);
})();
"#;

//! The queue page's one script (with the page's CSP nonce). Without it the page works by
//! its forms and links; with it:
//! - no reload at the desk: the desk's forms (call next, recall, start, end, the answers
//!   to the kiosk and the questions before "Absent" and "Annuler") are sent with `fetch`,
//!   the same body and CSRF token, and the `<main>` of the page the console answers with
//!   takes the place of this one (the title too, the address in the history when it
//!   changes); links to the queue and to a ticket's page open the same way. The document
//!   stays, so the sound staff allowed stays allowed. The focus goes to the visitor the
//!   notice names, else to "Appeler le suivant", else to the page's heading; the notice is
//!   said by a live region of the header. A refusal (4xx, 5xx) shows the console's page; no
//!   answer at all says so at the top of the page (nothing is sent twice). A page that is
//!   not the queue or a ticket (the login page after a session ends) is loaded plainly;
//! - live: each server event reloads the queue fragment (at most one fetch at a time; not
//!   while staff are choosing in a list, typing in a field or have details open), the
//!   focused button or link kept;
//! - keys: N, R, C and 1 to 4 press the button that shows that key (shown once the
//!   script runs), never while typing in a field or with Ctrl, Alt or Meta;
//! - alerts: the tab's title counts the open calls for help and the kiosk's alerts
//!   ("(1) Appel à l'aide – File d'attente – …", as the server also writes it), and a
//!   short tone made by the browser (WebAudio, no file) sounds for each new one, and
//!   again every minute while one is open, once staff turn the sound on ("Son"). A page
//!   may sound only after a gesture on it: since the desk's actions keep the document,
//!   only the first page load waits for one.
//!
//! Everything listens on the document (never on a node a swap replaces). Each swap ends
//! with the event `guichet:page` on the document.

pub(crate) const LIVE_JS: &str = r#"
(function(){
 document.documentElement.classList.add('keys');
 function live(){return document.getElementById('live');}
 function main(){return document.querySelector('main');}
 document.addEventListener('keydown',function(e){
  if(e.ctrlKey||e.altKey||e.metaKey||e.repeat)return;
  var t=e.target;
  if(t&&(t.isContentEditable||/^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName)))return;
  var k=(e.key||'').toLowerCase();
  if(!/^[nrc1-4]$/.test(k))return;
  var b=document.querySelector('main [data-key="'+k+'"]');
  if(!b)return;
  e.preventDefault();b.click();
 });

 var ctx=null,audio=!!window.AudioContext;
 function on(){try{return localStorage.getItem('guichet-son')==='on';}catch(x){return false;}}
 function show(){
  var s=document.getElementById('sound');
  if(!s||!audio)return;
  s.hidden=false;s.setAttribute('aria-pressed',on()?'true':'false');
  s.textContent=on()?'Son : activé':'Son : désactivé';
 }
 function tone(){
  if(!on()||!audio)return;
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
 if(audio){
  document.addEventListener('click',function(e){
   if(!e.target.closest||!e.target.closest('#sound'))return;
   try{localStorage.setItem('guichet-son',on()?'off':'on');}catch(x){}
   show();tone();
  });
  ['pointerdown','keydown'].forEach(function(n){
   document.addEventListener(n,function(){if(ctx&&ctx.state==='suspended')ctx.resume();},true);
  });
 }
 show();

 function alerts(){
  var box=live();
  if(!box)return 0;
  var base=box.getAttribute('data-title')||document.title;
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
 if(!window.fetch)return;

 var said=document.createElement('p');
 said.className='visually-hidden';said.setAttribute('role','status');
 (document.querySelector('header')||document.body).appendChild(said);
 function say(text){said.textContent='';setTimeout(function(){said.textContent=text;},50);}
 function same(u){try{u=new URL(u,location.href);}catch(x){return null;}return u.origin===location.origin?u:null;}
 function swappable(u){return u.pathname==='/'||/^\/t\/[^\/]+$/.test(u.pathname);}
 var ACTIONS=/^\/(call-next$|tickets\/|help\/)/;
 var swapping=false,loading=false,again=false,gen=0;

 function problem(text){
  var m=main(),p=document.createElement('p');
  p.className='notice problem';p.setAttribute('role','alert');p.tabIndex=-1;p.textContent=text;
  var old=m.querySelector('.notice');
  if(old)old.replaceWith(p);else m.insertBefore(p,m.firstChild);
  p.focus();
 }
 function settle(){
  var m=main(),note=m.querySelector('.notice'),text=note?note.textContent.trim():'',target=null;
  if(live()){
   var mine=m.querySelectorAll('.desk .current a.number');
   for(var i=0;i<mine.length&&!target;i++){if(text&&text.indexOf(mine[i].textContent.trim())===0)target=mine[i];}
   if(!target)target=m.querySelector('[data-key="n"]');
  }
  if(!target){target=m.querySelector('h1');if(target)target.tabIndex=-1;}
  if(target)target.focus();
  if(text)say(text);
 }
 function put(doc,next,to){
  var from=location.pathname;
  main().replaceWith(document.adoptNode(next));
  document.title=doc.title;
  if(to&&to.href!==location.href)history.pushState(null,'',to.href);
  if(location.pathname!==from)window.scrollTo(0,0);
  show();alerts();settle();
  document.dispatchEvent(new Event('guichet:page'));
 }
 function go(url,init){
  swapping=true;gen++;
  var m=main();m.setAttribute('aria-busy','true');
  init.credentials='same-origin';init.redirect='follow';init.cache='no-store';
  if(window.AbortSignal&&AbortSignal.timeout)init.signal=AbortSignal.timeout(20000);
  fetch(url,init).then(function(r){
   if(!/^text\/html/.test(r.headers.get('content-type')||''))throw new Error('not a page');
   return r.text().then(function(html){
    // Without the page's style block: its nonce is not this document's (a CSP report).
    var doc=new DOMParser().parseFromString(html.replace(/<style[^>]*>[\s\S]*?<\/style>/,''),'text/html');
    var next=doc.querySelector('main'),to=same(r.url);
    if(!next||!to)throw new Error('not a page');
    if(r.ok&&!swappable(to)){location.assign(to.href);return;}
    put(doc,next,r.ok?to:null);
   });
  }).catch(function(){
   m.removeAttribute('aria-busy');
   problem("La console n'a pas répondu : l'action a peut-être été faite, ou non. Vérifiez le réseau, puis rechargez la page (touche F5) pour voir la file avant de recommencer.");
  }).then(function(){
   swapping=false;var now=main();if(now)now.removeAttribute('aria-busy');
   if(again){again=false;refresh();}
  });
 }
 document.addEventListener('submit',function(e){
  var f=e.target,s=e.submitter||null,m=main();
  if(e.defaultPrevented||!m||!m.contains(f)||!window.DOMParser)return;
  var method=(s&&s.getAttribute('formmethod'))||f.getAttribute('method')||'get';
  var u=same(s&&s.hasAttribute('formaction')?s.formAction:f.action);
  if(method.toLowerCase()!=='post'||!u||!ACTIONS.test(u.pathname))return;
  e.preventDefault();
  if(swapping)return;
  var data;
  try{data=new FormData(f,s);}catch(x){data=new FormData(f);}
  if(s&&s.name&&!data.has(s.name))data.append(s.name,s.value);
  go(u.href,{method:'POST',body:new URLSearchParams(data)});
 });
 document.addEventListener('click',function(e){
  if(e.defaultPrevented||e.button!==0||e.ctrlKey||e.metaKey||e.shiftKey||e.altKey||!window.DOMParser)return;
  var a=e.target.closest&&e.target.closest('a[href]'),m=main();
  if(!a||!m||!m.contains(a)||a.target||a.hasAttribute('download'))return;
  var u=same(a.href);
  if(!u||!swappable(u))return;
  e.preventDefault();
  if(!swapping)go(u.href,{method:'GET'});
 });
 window.addEventListener('popstate',function(){
  var u=same(location.href);
  if(u&&swappable(u)&&!swapping)go(u.href,{method:'GET'});else location.reload();
 });

 function keyOf(el){
  return [el.tagName,el.id,el.getAttribute('data-key'),el.getAttribute('href'),el.getAttribute('formaction'),el.getAttribute('value'),el.textContent].join('|');
 }
 function refresh(){
  var box=live();
  if(!box)return;
  if(swapping||loading){again=true;return;}
  var a=document.activeElement;
  if((a&&/^(INPUT|SELECT|TEXTAREA)$/.test(a.tagName)&&box.contains(a))||box.querySelector('details[open]')){
   setTimeout(refresh,3000);return;
  }
  loading=true;var g=gen;
  fetch('/queue',{credentials:'same-origin',cache:'no-store'}).then(function(r){
   if(!r.ok||r.redirected){location.reload();return null;}
   return r.text();
  }).then(function(html){
   if(html===null||g!==gen||live()!==box)return;
   var f=document.activeElement,k=f&&box.contains(f)?keyOf(f):null;
   box.innerHTML=html;alerts();
   if(k){
    var all=box.querySelectorAll(f.tagName);
    for(var i=0;i<all.length;i++){if(keyOf(all[i])===k){all[i].focus({preventScroll:true});break;}}
   }
  }).catch(function(){}).then(function(){
   loading=false;if(again){again=false;refresh();}
  });
 }
 if(!window.EventSource)return;
 var events=new EventSource('/events');
 events.onmessage=refresh;
 events.onopen=refresh;
 setInterval(refresh,60000);
})();
"#;

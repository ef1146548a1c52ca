import type { CaseStatusView } from '../app/case-status';
import type { SlotList } from '../app/callback-slots';
import { formatDeadline, type Locale } from '../domain/promise-text';
import { formatDateValue } from '../domain/incident-variables';

/**
 * The customer's case-status page: small, server-rendered, readable on a phone, Dutch or English. It shows only
 * customer-visible messages (the view never contains notes). The few actions post JSON through a short inline
 * script (nonce in the CSP); without JavaScript the page still shows everything.
 */
const T = {
  nl: {
    title: 'Je vraag',
    case: 'Zaak',
    status: { waiting_for_us: 'We zijn ermee bezig', waiting_for_you: 'We wachten op jouw reactie', resolved: 'Afgehandeld' },
    promise: 'Je hoort {when} van ons.',
    promiseKept: 'We hebben gereageerd.',
    next: 'Volgende stap',
    nextUs: 'Wij zijn aan zet',
    nextYou: 'Jij bent aan zet: antwoord hieronder of op ons laatste bericht.',
    nextDone: 'Er hoeft niets meer te gebeuren. Toch nog iets? Schrijf het hieronder.',
    when: 'wanneer',
    history: 'Berichten',
    you: 'Jij',
    us: 'Wij',
    none: 'Nog geen berichten.',
    add: 'Iets toevoegen',
    addHint: 'Aanvullende informatie, een foto of een bestand. Het komt direct bij je zaak.',
    send: 'Versturen',
    file: 'Bestand (optioneel)',
    sent: 'Dank je, het is toegevoegd aan je zaak.',
    agreements: 'Wat we hebben afgesproken',
    confirm: 'Klopt',
    correct: 'Klopt niet, dit moet het zijn:',
    correctSend: 'Correctie sturen',
    confirmed: 'Bevestigd',
    corrected: 'Gecorrigeerd',
    callback: 'Liever even bellen?',
    callbackHint: 'Laat je nummer achter en kies wanneer het je past, dan bellen wij jou.',
    phone: 'Telefoonnummer',
    slot: 'Wanneer mogen we bellen?',
    slotPick: 'Kies een moment…',
    slotFull: 'vol',
    noSlots: 'Er zijn de komende dagen geen vrije momenten; we bellen je zo snel mogelijk binnen onze openingstijden.',
    callbackNote: 'Waar gaat het over? (optioneel)',
    callbackSend: 'Bel mij terug',
    callbackDone: 'We bellen je terug.',
    callbackAt: 'We bellen je {when}.',
    callbackScheduled: 'We bellen je terug op {when}.',
    between: '{day} tussen {from} en {to}',
    error: 'Dat lukte niet. Probeer het later nog eens.',
    notFound: 'Deze link werkt niet (meer). Heb je nog een vraag? Neem gerust contact met ons op.',
    lang: 'English',
  },
  en: {
    title: 'Your question',
    case: 'Case',
    status: { waiting_for_us: 'We are working on it', waiting_for_you: 'We are waiting for your reply', resolved: 'Resolved' },
    promise: 'You will hear from us {when}.',
    promiseKept: 'We have replied.',
    next: 'Next step',
    nextUs: 'It is our turn',
    nextYou: 'Your turn: reply below or to our last message.',
    nextDone: 'Nothing left to do. Something after all? Write it below.',
    when: 'when',
    history: 'Messages',
    you: 'You',
    us: 'Us',
    none: 'No messages yet.',
    add: 'Add something',
    addHint: 'More information, a photo or a file. It goes straight to your case.',
    send: 'Send',
    file: 'File (optional)',
    sent: 'Thank you, it was added to your case.',
    agreements: 'What we agreed',
    confirm: 'Correct',
    correct: 'Not right, it should be:',
    correctSend: 'Send correction',
    confirmed: 'Confirmed',
    corrected: 'Corrected',
    callback: 'Rather talk?',
    callbackHint: 'Leave your number and pick a time that suits you, and we will call you.',
    phone: 'Phone number',
    slot: 'When may we call?',
    slotPick: 'Pick a time…',
    slotFull: 'full',
    noSlots: 'There are no free times in the coming days; we will call you as soon as we can within our opening hours.',
    callbackNote: 'What is it about? (optional)',
    callbackSend: 'Call me back',
    callbackDone: 'We will call you back.',
    callbackAt: 'We will call you {when}.',
    callbackScheduled: 'We will call you back on {when}.',
    between: '{day} between {from} and {to}',
    error: 'That did not work. Please try again later.',
    notFound: 'This link does not work (any more). Still have a question? Just contact us.',
    lang: 'Nederlands',
  },
} as const;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const para = (s: string) => esc(s).replace(/\n/g, '<br>');

const CSS = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2433;background:#f5f6f8}
main{max-width:640px;margin:0 auto;padding:16px}h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.05rem;margin:0 0 .5rem}
.card{background:#fff;border-radius:12px;padding:16px;margin:12px 0;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.banner{background:#fff4d6;border:1px solid #f0c36d;border-radius:12px;padding:12px 16px;margin:12px 0}
.status{display:inline-block;padding:2px 10px;border-radius:99px;background:#e6eefc;color:#1d4fb8;font-weight:600}
.status.resolved{background:#e3f5e8;color:#17733a}.muted{color:#5b6472;font-size:.9rem}
.msg{padding:10px 12px;border-radius:10px;margin:8px 0;max-width:92%}.msg.you{background:#eef1f5;margin-left:auto}.msg.us{background:#e9f3ff}
.msg .who{font-size:.8rem;color:#5b6472}textarea,input{width:100%;font:inherit;padding:10px;border:1px solid #c9ced6;border-radius:8px;margin:4px 0 8px}
button{font:inherit;padding:10px 16px;border:0;border-radius:8px;background:#1d4fb8;color:#fff;cursor:pointer}button:disabled{opacity:.55;cursor:default}button.secondary{background:#e6e9ee;color:#1d2433}
select{width:100%;font:inherit;padding:10px;border:1px solid #c9ced6;border-radius:8px;margin:4px 0 8px;background:#fff;min-height:44px}
.ok{color:#17733a}.err{color:#b3261e}a{color:#1d4fb8}header{display:flex;justify-content:space-between;align-items:baseline;gap:8px}`;

export function renderNotFoundPage(locale: Locale): string {
  const t = T[locale];
  return shell(locale, t.title, '', `<div class="card"><p>${esc(t.notFound)}</p></div>`);
}

function shell(locale: Locale, title: string, nonce: string, body: string, script = ''): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow"><meta name="referrer" content="no-referrer"><title>${esc(title)}</title>
<style${nonce ? ` nonce="${nonce}"` : ''}>${CSS}</style></head><body><main>${body}</main>${script}</body></html>`;
}

/**
 * The slot picker: a native select grouped by day (on a phone it opens the system picker, big enough to tap);
 * full slots stay visible but cannot be chosen, so the customer sees the day is busy rather than missing.
 */
function slotPicker(slots: SlotList, locale: Locale): string {
  const t = T[locale];
  if (!slots.slots.length) return `<p class="muted" data-no-slots>${esc(t.noSlots)}</p>`;
  const tag = locale === 'nl' ? 'nl-NL' : 'en-GB';
  const day = new Intl.DateTimeFormat(tag, { timeZone: slots.timeZone, weekday: 'long', day: 'numeric', month: 'long' });
  const time = new Intl.DateTimeFormat(tag, { timeZone: slots.timeZone, hour: '2-digit', minute: '2-digit' });
  // The closed picker shows one option's text only, so it names the day too.
  const shortDay = new Intl.DateTimeFormat(tag, { timeZone: slots.timeZone, weekday: 'short', day: 'numeric', month: 'short' });
  const groups = new Map<string, string[]>();
  for (const s of slots.slots) {
    const label = day.format(new Date(s.start));
    const text = `${shortDay.format(new Date(s.start))} · ${time.format(new Date(s.start))} – ${time.format(new Date(s.end))}${s.available ? '' : ` (${t.slotFull})`}`;
    const when = t.between.replace('{day}', label).replace('{from}', time.format(new Date(s.start))).replace('{to}', time.format(new Date(s.end)));
    const list = groups.get(label) ?? [];
    list.push(`<option value="${esc(s.start)}" data-when="${esc(when)}"${s.available ? '' : ' disabled'}>${esc(text)}</option>`);
    groups.set(label, list);
  }
  const options = [...groups].map(([label, list]) => `<optgroup label="${esc(label)}">${list.join('')}</optgroup>`).join('');
  return `<label>${esc(t.slot)}<select name="slot" required><option value="">${esc(t.slotPick)}</option>${options}</select></label>`;
}

export function renderCaseStatusPage(view: CaseStatusView, opts: { locale: Locale; token: string; nonce: string; timeZone: string; now: Date; slots?: SlotList | null }): string {
  const { locale, nonce } = opts;
  const t = T[locale];
  const other: Locale = locale === 'nl' ? 'en' : 'nl';
  const when = (iso: string) => formatDeadline(new Date(iso), opts.now, opts.timeZone, locale);
  const stamp = (iso: string) =>
    new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', { timeZone: opts.timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

  const banners = view.incidents.map((i) => `<div class="banner" role="status" data-incident="${esc(i.id)}"><strong>${esc(i.title[locale])}</strong><br>${esc(i.banner[locale])}</div>`).join('');
  const promise =
    view.status === 'waiting_for_us' && view.promise
      ? `<p>${view.promise.state === 'kept' ? esc(t.promiseKept) : esc(t.promise.replace('{when}', when(view.promise.firstResponseDueAt)))}</p>`
      : '';
  const nextText =
    view.nextStep.text
      ? `${esc(view.nextStep.text)}${view.nextStep.dueAt ? ` — ${esc(when(view.nextStep.dueAt))}` : ''}`
      : view.nextStep.by === 'us'
        ? `${esc(t.nextUs)}${view.nextStep.dueAt ? ` — ${esc(when(view.nextStep.dueAt))}` : ''}`
        : view.nextStep.by === 'you'
          ? esc(t.nextYou)
          : esc(t.nextDone);
  const messages = view.messages.length
    ? view.messages
        .map(
          (m) =>
            `<div class="msg ${m.from}"><div class="who">${m.from === 'you' ? t.you : t.us} · ${esc(stamp(m.at))}</div>${para(m.content)}${
              m.files.length ? `<div class="muted">📎 ${m.files.map(esc).join(', ')}</div>` : ''
            }</div>`,
        )
        .join('')
    : `<p class="muted">${esc(t.none)}</p>`;
  const agreements = view.agreements.length
    ? `<section class="card"><h2>${esc(t.agreements)}</h2>${view.agreements
        .map(
          (a) => `<div class="agreement" data-id="${esc(a.id)}"><p>${para(a.summary)}${a.nextStep ? `<br><strong>${esc(t.next)}:</strong> ${esc(a.nextStep)}${a.dueAt ? ` — ${esc(when(a.dueAt))}` : ''}` : ''}</p>${
            a.status === 'proposed'
              ? `<button type="button" data-confirm="${esc(a.id)}">${esc(t.confirm)}</button><label>${esc(t.correct)}<textarea data-correction="${esc(a.id)}" maxlength="2000" rows="2"></textarea></label><button type="button" class="secondary" data-correct="${esc(a.id)}">${esc(t.correctSend)}</button>`
              : `<p class="ok">${esc(a.status === 'confirmed' ? t.confirmed : t.corrected)}</p>`
          }</div>`,
        )
        .join('')}</section>`
    : '';
  const scheduled = view.callbackScheduled ? formatDateValue(view.callbackScheduled.dueAt, locale, { timeZone: view.callbackScheduled.timeZone, now: opts.now }) : null;
  const callback = view.callbackRequested
    ? `<section class="card"><h2>${esc(t.callback)}</h2><p class="ok"${scheduled ? ' data-callback-at' : ''}>${esc(scheduled ? t.callbackScheduled.replace('{when}', scheduled) : t.callbackDone)}</p></section>`
    : `<section class="card" id="callback"><h2>${esc(t.callback)}</h2><p class="muted">${esc(t.callbackHint)}</p><form data-action="callback"><label>${esc(t.phone)}<input name="phone" type="tel" autocomplete="tel" maxlength="40" ${view.hasPhone ? '' : 'required'}></label>${opts.slots ? slotPicker(opts.slots, locale) : ''}<label>${esc(t.callbackNote)}<input name="note" maxlength="2000"></label><button>${esc(t.callbackSend)}</button><p class="result" aria-live="polite"></p></form></section>`;

  const body = `${banners}<header><h1>${esc(t.title)}</h1><a href="?lang=${other}">${esc(t.lang)}</a></header>
<p class="muted">${esc(t.case)} #${view.number}${view.subject ? ` · ${esc(view.subject)}` : ''}</p>
<section class="card"><span class="status ${view.status}">${esc(t.status[view.status])}</span>${promise}<p><strong>${esc(t.next)}:</strong> ${nextText}</p></section>
${agreements}
<section class="card"><h2>${esc(t.history)}</h2>${messages}</section>
<section class="card" id="add"><h2>${esc(t.add)}</h2><p class="muted">${esc(t.addHint)}</p><form data-action="messages"><textarea name="content" rows="4" maxlength="10000" required></textarea><label>${esc(t.file)}<input name="file" type="file"></label><button>${esc(t.send)}</button><p class="result" aria-live="polite"></p></form></section>
${callback}`;

  const script = `<script nonce="${nonce}">(()=>{const base=location.pathname.replace(/\\/$/,'');const msg={ok:${JSON.stringify(t.sent)},cb:${JSON.stringify(t.callbackDone)},at:${JSON.stringify(t.callbackAt)},err:${JSON.stringify(t.error)}};
const post=(p,b)=>fetch(base+p+'?lang=${locale}',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(b)}).then(async r=>{const j=await r.json().catch(()=>null);if(!r.ok)throw Object.assign(new Error(j&&j.error?j.error.message:''),{code:j&&j.error?j.error.code:'',status:r.status});return j});
const b64=f=>new Promise((res,rej)=>{const r=new FileReader();r.onload=()=>res(String(r.result).split(',')[1]||'');r.onerror=rej;r.readAsDataURL(f)});
document.querySelectorAll('form[data-action]').forEach(f=>f.addEventListener('submit',async e=>{e.preventDefault();const out=f.querySelector('.result');const d=new FormData(f);try{
if(f.dataset.action==='messages'){const file=d.get('file');const atts=file&&file.size?[{fileName:file.name,contentType:file.type||'application/octet-stream',data:await b64(file)}]:[];await post('/messages',{content:String(d.get('content')||''),attachments:atts});out.textContent=msg.ok;out.className='result ok';setTimeout(()=>location.reload(),600)}
else{const sel=f.querySelector('select[name=slot]');const opt=sel&&sel.selectedOptions[0];const slot=sel&&sel.value?sel.value:undefined;try{await post('/callback',{phone:String(d.get('phone')||''),note:String(d.get('note')||''),slot});}catch(err){
if(err.code==='slot_full'&&opt){opt.disabled=true;sel.value=''}throw err}
out.textContent=opt&&opt.dataset.when?msg.at.replace('{when}',opt.dataset.when):msg.cb;out.className='result ok';f.querySelectorAll('input,select,button').forEach(x=>x.disabled=true)}}catch(err){out.textContent=(err&&/^(slot_|phone_required)/.test(err.code||'')&&err.message)||msg.err;out.className='result err'}}));
document.querySelectorAll('[data-confirm]').forEach(b=>b.addEventListener('click',()=>post('/agreements/'+b.dataset.confirm,{confirm:true}).then(()=>location.reload(),()=>alert(msg.err))));
document.querySelectorAll('[data-correct]').forEach(b=>b.addEventListener('click',()=>{const v=document.querySelector('[data-correction="'+b.dataset.correct+'"]').value.trim();if(v)post('/agreements/'+b.dataset.correct,{correction:v}).then(()=>location.reload(),()=>alert(msg.err))}));})();</script>`;
  return shell(locale, `${t.title} #${view.number}`, nonce, body, script);
}

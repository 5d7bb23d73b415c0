import { type Availability, Connection, type Message, type Pending } from './connection.js';
import { styles } from './styles.js';

/**
 * Steward's chat widget: `<script src="https://steward.example.com/widget.js" data-key="cw_…" async>`.
 * Everything lives in a shadow root on one element at the end of <body>; text is only ever set as text.
 */
type El = HTMLElement;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c);
  return el;
}

function start(script: HTMLScriptElement): void {
  const key = script.dataset.key;
  if (!key) {
    console.warn('Steward chat: the script tag needs data-key="…"');
    return;
  }
  const origin = new URL(script.src, location.href).origin;
  const socketUrl = `${origin.replace(/^http/, 'ws')}/api/v1/chat/socket?key=${encodeURIComponent(key)}`;

  const host = h('div', { id: 'steward-chat' });
  const root = host.attachShadow({ mode: 'open' });
  const style = h('style');
  const launcher = h('button', { class: 'launcher', 'aria-label': 'Open chat', 'aria-expanded': 'false' });
  launcher.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16v12H7l-3 3z"/></svg>'; // static markup
  const title = h('h2', {}, 'Chat');
  const close = h('button', { 'aria-label': 'Close chat' }, '×');
  const notice = h('div', { class: 'notice', role: 'status', hidden: '' });
  const log = h('ul', { class: 'log', 'aria-live': 'polite', 'aria-label': 'Messages' });
  const greeting = h('li', { class: 'msg greeting' });
  log.append(greeting);
  const typing = h('div', { class: 'typing', hidden: '' }, 'Agent is typing…');
  const status = h('div', { class: 'status', hidden: '' });
  const whoText = h('p', {}, 'Leave your name and e-mail so we can reply by e-mail too.');
  const nameInput = h('input', {
    type: 'text',
    name: 'name',
    placeholder: 'Name',
    'aria-label': 'Your name',
    maxlength: '200',
    autocomplete: 'name',
  });
  const emailInput = h('input', {
    type: 'email',
    name: 'email',
    placeholder: 'E-mail',
    'aria-label': 'Your e-mail',
    maxlength: '254',
    autocomplete: 'email',
  });
  const whoSave = h('button', { class: 'primary', type: 'submit' }, 'Save');
  const who = h(
    'form',
    { class: 'who' },
    whoText,
    h('div', { class: 'row' }, nameInput, emailInput, whoSave),
  );
  const input = h('textarea', {
    'aria-label': 'Your message',
    placeholder: 'Write a message…',
    maxlength: '4000',
  });
  const sendButton = h('button', { class: 'primary', type: 'submit' }, 'Send');
  const compose = h('form', { class: 'compose' }, input, sendButton);
  const panel = h(
    'section',
    { class: 'panel', hidden: '', role: 'dialog', 'aria-label': 'Chat' },
    h('header', {}, title, close),
    notice,
    log,
    typing,
    status,
    who,
    compose,
  );
  root.append(style, launcher, panel);
  style.textContent = styles('#2f6fed');

  const shown = new Map<number, El>();
  const pendingEls = new Map<string, El>();
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  /** Stored messages in the server's order (by id), then those not yet sent: the same order for everyone. */
  const scroll = () => {
    for (const id of [...shown.keys()].sort((a, b) => a - b)) log.append(shown.get(id)!);
    for (const el of pendingEls.values()) log.append(el);
    log.scrollTop = log.scrollHeight;
  };
  const line = (from: string, text: string) => h('li', { class: `msg ${from}` }, text);
  const showPending = (p: Pending) => {
    if (pendingEls.has(p.clientId)) return;
    const el = line('visitor pending', p.text);
    el.dataset.clientId = p.clientId;
    pendingEls.set(p.clientId, el);
    log.append(el);
    scroll();
  };
  const showMessages = (list: Message[]) => {
    for (const m of list) {
      if (shown.has(m.id)) continue;
      const pending = m.clientId ? pendingEls.get(m.clientId) : undefined;
      const el = pending ?? line(m.from, m.text);
      el.className = `msg ${m.from}`;
      el.dataset.id = String(m.id);
      if (pending) pendingEls.delete(m.clientId!);
      else log.append(el);
      shown.set(m.id, el);
      if (m.from === 'agent') typing.hidden = true;
    }
    scroll();
  };
  const showAvailability = (a: Availability) => {
    if (a.open) {
      notice.hidden = true;
      return;
    }
    const when = a.nextOpenAt
      ? new Date(a.nextOpenAt).toLocaleString(undefined, {
          weekday: 'long',
          hour: '2-digit',
          minute: '2-digit',
        })
      : undefined;
    notice.textContent =
      a.reason === 'closed' && when
        ? `We are away right now. We will reply from ${when}. Leave your e-mail and we will answer by e-mail.`
        : 'Nobody is available right now. Leave your e-mail and we will answer by e-mail.';
    notice.hidden = false;
    whoText.textContent = 'Your e-mail, so our reply reaches you:';
  };

  const connection = new Connection(socketUrl, `steward-chat:${key}`, {
    welcome(w) {
      style.textContent = styles(/^#[0-9a-f]{6}$/i.test(w.widget.color) ? w.widget.color : '#2f6fed');
      title.textContent = w.widget.name;
      greeting.textContent = w.widget.greeting;
      showAvailability(w.availability);
      if (w.visitor.email) who.hidden = true;
      if (w.visitor.name) nameInput.value = w.visitor.name;
    },
    messages: showMessages,
    availability: showAvailability,
    acked(clientId, id) {
      const el = pendingEls.get(clientId);
      if (!el || shown.has(id)) return;
      el.classList.remove('pending');
      el.dataset.id = String(id);
      pendingEls.delete(clientId);
      shown.set(id, el);
      scroll();
    },
    typing(on) {
      typing.hidden = !on;
      clearTimeout(typingTimer);
      if (on) typingTimer = setTimeout(() => (typing.hidden = true), 6_000);
    },
    identified(v) {
      if (v.email) {
        who.hidden = true;
        status.textContent = `We will reply to ${v.email} if you leave.`;
        status.hidden = false;
      }
    },
    state(s) {
      host.dataset.state = s;
      if (s === 'offline') {
        status.textContent = 'Reconnecting…';
        status.hidden = false;
      } else if (s === 'online' && status.textContent === 'Reconnecting…') status.hidden = true;
    },
    problem(text) {
      status.textContent = text;
      status.hidden = false;
    },
  });
  for (const p of connection.outbox) showPending(p);

  const toggle = (open: boolean) => {
    panel.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
    launcher.setAttribute('aria-label', open ? 'Close chat' : 'Open chat');
    if (open) input.focus();
  };
  launcher.addEventListener('click', () => toggle(panel.hidden));
  close.addEventListener('click', () => toggle(false));
  compose.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    showPending(connection.send(text));
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      compose.requestSubmit();
    }
  });
  input.addEventListener('input', () => {
    connection.typing(input.value.trim() !== '');
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => connection.typing(false), 4_000);
  });
  who.addEventListener('submit', (e) => {
    e.preventDefault();
    const email = emailInput.value.trim();
    if (email && !emailInput.checkValidity()) {
      emailInput.reportValidity();
      return;
    }
    connection.identify(nameInput.value.trim(), email);
  });

  document.body.append(host);
  connection.start();
}

const script =
  (document.currentScript as HTMLScriptElement | null) ??
  document.querySelector<HTMLScriptElement>('script[data-key][src*="widget.js"]');
if (script) {
  if (document.body) start(script);
  else document.addEventListener('DOMContentLoaded', () => start(script));
}

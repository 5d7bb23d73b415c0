/**
 * The widget's side of the visitor socket (see src/modules/chat/protocol.ts on the server): says hello with
 * the visitor id and token kept in localStorage, keeps unacknowledged messages in an outbox (in localStorage
 * too, so a reload resends them), resends them after every (re)connect with the same client ids (the server
 * stores each once), and asks for everything after the last message it has seen. Reconnects with back-off.
 */
export type Message = { id: number; from: 'visitor' | 'agent'; text: string; at: string; clientId?: string };
export type Pending = { clientId: string; text: string };
export type Availability = { open: boolean; reason?: 'closed' | 'no_agent'; nextOpenAt?: string | null };
export type WidgetInfo = { name: string; greeting: string; color: string };
export type Welcome = {
  widget: WidgetInfo;
  availability: Availability;
  visitor: { name: string | null; email: string | null };
};

export type Events = {
  welcome(w: Welcome): void;
  messages(list: Message[]): void;
  acked(clientId: string, id: number): void;
  typing(on: boolean): void;
  identified(who: { name: string | null; email: string | null }): void;
  availability(a: Availability): void;
  state(s: 'connecting' | 'online' | 'offline'): void;
  problem(text: string): void;
};

type Stored = { visitorId?: string; token?: string; outbox: Pending[] };

const PING_MS = 25_000;
const PONG_WAIT_MS = 10_000;

export class Connection {
  private socket?: WebSocket;
  private stored: Stored;
  private lastSeenId = 0;
  private retry = 0;
  private timer?: ReturnType<typeof setTimeout>;
  private pingTimer?: ReturnType<typeof setInterval>;
  private pongTimer?: ReturnType<typeof setTimeout>;
  private greeted = false;
  private typingOn = false;
  private typingAt = 0;

  constructor(
    private readonly url: string,
    private readonly storageKey: string,
    private readonly on: Events,
  ) {
    this.stored = this.load();
  }

  get outbox(): Pending[] {
    return this.stored.outbox;
  }

  start(): void {
    this.open();
  }

  /** Queues a message: shown at once, sent now if connected, else on the next connect. */
  send(text: string): Pending {
    const clientId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
    const pending = { clientId, text };
    this.stored.outbox.push(pending);
    this.save();
    if (this.greeted) this.frame({ type: 'message', clientId, text });
    this.typing(false);
    return pending;
  }

  typing(on: boolean): void {
    const now = Date.now();
    if (on === this.typingOn && (!on || now - this.typingAt < 2_500)) return;
    this.typingOn = on;
    this.typingAt = now;
    if (this.greeted) this.frame({ type: 'typing', typing: on });
  }

  identify(name: string, email: string): void {
    this.frame({ type: 'identify', ...(name ? { name } : {}), ...(email ? { email } : {}) });
  }

  private open(): void {
    this.on.state('connecting');
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.later();
      return;
    }
    this.socket = socket;
    this.greeted = false;
    socket.onopen = () => {
      this.retry = 0;
      this.frame({
        type: 'hello',
        ...(this.stored.visitorId && this.stored.token
          ? { visitorId: this.stored.visitorId, token: this.stored.token }
          : {}),
        lastSeenId: this.lastSeenId,
      });
      this.pingTimer = setInterval(() => {
        this.frame({ type: 'ping' });
        this.pongTimer = setTimeout(() => socket.close(), PONG_WAIT_MS);
      }, PING_MS);
    };
    socket.onmessage = (e) => this.receive(String(e.data));
    socket.onclose = () => {
      clearInterval(this.pingTimer);
      clearTimeout(this.pongTimer);
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.greeted = false;
      this.on.state('offline');
      this.later();
    };
  }

  private later(): void {
    clearTimeout(this.timer);
    const delay = Math.min(10_000, 500 * 2 ** this.retry++) * (0.75 + Math.random() / 2);
    this.timer = setTimeout(() => this.open(), delay);
  }

  private frame(f: Record<string, unknown>): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(f));
  }

  private receive(raw: string): void {
    let f: Record<string, unknown>;
    try {
      f = JSON.parse(raw);
    } catch {
      return;
    }
    switch (f.type) {
      case 'welcome': {
        if (typeof f.token === 'string' && typeof f.visitorId === 'string') {
          // A new visitor (first visit, or the stored one was not recognised): what we showed was someone else's.
          this.stored.visitorId = f.visitorId;
          this.stored.token = f.token;
          this.lastSeenId = 0;
          this.save();
        }
        this.on.welcome(f as unknown as Welcome);
        return;
      }
      case 'messages': {
        const list = (f.messages as Message[]) ?? [];
        if (list.length === 0) return;
        this.lastSeenId = Math.max(this.lastSeenId, ...list.map((m) => m.id));
        const done = new Set(list.map((m) => m.clientId).filter(Boolean));
        if (done.size) this.forget((p) => done.has(p.clientId));
        this.on.messages(list);
        return;
      }
      case 'synced': {
        this.greeted = true;
        this.on.state('online');
        // Unacknowledged messages go again, in order, with their own client ids: stored once however often sent.
        for (const p of this.stored.outbox)
          this.frame({ type: 'message', clientId: p.clientId, text: p.text });
        return;
      }
      case 'ack': {
        const clientId = String(f.clientId);
        this.forget((p) => p.clientId === clientId);
        this.on.acked(clientId, Number(f.id));
        return;
      }
      case 'typing':
        this.on.typing(f.typing === true);
        return;
      case 'identified':
        this.on.identified(f as unknown as { name: string | null; email: string | null });
        return;
      case 'availability':
        this.on.availability(f.availability as Availability);
        return;
      case 'pong':
        clearTimeout(this.pongTimer);
        return;
      case 'error':
        // A message refused for now (too fast, a hiccup) stays in the outbox and goes with the next connect;
        // one refused for what it is would never pass: drop it.
        if (f.code === 'BAD_FRAME' && typeof f.clientId === 'string')
          this.forget((p) => p.clientId === f.clientId);
        if (f.code === 'RATE_LIMITED' && typeof f.clientId === 'string') this.retrySoon(f.clientId);
        this.on.problem(String(f.message ?? 'Something went wrong'));
        return;
    }
  }

  private retrySoon(clientId: string): void {
    setTimeout(() => {
      const p = this.stored.outbox.find((x) => x.clientId === clientId);
      if (p && this.greeted) this.frame({ type: 'message', clientId: p.clientId, text: p.text });
    }, 3_000);
  }

  private forget(match: (p: Pending) => boolean): void {
    const before = this.stored.outbox.length;
    this.stored.outbox = this.stored.outbox.filter((p) => !match(p));
    if (this.stored.outbox.length !== before) this.save();
  }

  private load(): Stored {
    try {
      const s = JSON.parse(localStorage.getItem(this.storageKey) ?? '{}') as Partial<Stored>;
      return { visitorId: s.visitorId, token: s.token, outbox: Array.isArray(s.outbox) ? s.outbox : [] };
    } catch {
      return { outbox: [] };
    }
  }

  private save(): void {
    try {
      localStorage.setItem(this.storageKey, JSON.stringify(this.stored));
    } catch {
      // Storage may be off (private mode): the chat still works for this page.
    }
  }
}

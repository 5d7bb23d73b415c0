import type { AddressInfo, Socket } from 'node:net';
import hoodiecrow from 'hoodiecrow-imap';
import { ImapFlow } from 'imapflow';

/**
 * A remote IMAP server (the outside world: hoodiecrow, a scriptable IMAP server) on loopback, without TLS,
 * with one account. New mail arrives by IMAP APPEND, as a mail provider's delivery would put it there.
 */
export type FakeImap = {
  port: number;
  user: string;
  password: string;
  /** Puts a mail into a folder (INBOX by default); `seen` marks it read. */
  append(raw: string | Buffer, options?: { folder?: string; seen?: boolean }): Promise<void>;
  /** The messages of a folder now: UID, flags (\Deleted ones are expunged) and the Message-ID header. */
  list(folder?: string): Promise<Array<{ uid: number; flags: string[]; messageId: string | undefined }>>;
  /** Gives the folder a new UIDVALIDITY (the server renumbered it). */
  renumber(folder?: string): void;
  close(): Promise<void>;
};

export async function startFakeImap(folders: string[] = []): Promise<FakeImap> {
  const user = 'support@acme.test';
  const password = 'imap-password-1';
  const server = hoodiecrow({
    plugins: ['ID', 'UNSELECT', 'UIDPLUS', 'ENABLE', 'NAMESPACE', 'SPECIAL-USE', 'LITERALPLUS', 'IDLE'],
    users: { [user]: { password } },
    storage: {
      INBOX: { messages: [] },
      '': { separator: '/', folders: Object.fromEntries(folders.map((f) => [f, {}])) },
    },
  });
  const sockets = new Set<Socket>();
  server.server.on('connection', (socket: Socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;

  async function client<T>(fn: (c: ImapFlow) => Promise<T>): Promise<T> {
    const c = new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      doSTARTTLS: false,
      auth: { user, pass: password },
      logger: false,
    });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.logout();
    }
  }

  return {
    port,
    user,
    password,
    append: (raw, options = {}) =>
      client(async (c) => {
        await c.append(options.folder ?? 'INBOX', raw, options.seen ? ['\\Seen'] : []);
      }),
    list: (folder = 'INBOX') =>
      client(async (c) => {
        const lock = await c.getMailboxLock(folder, { readOnly: true });
        try {
          const out: Array<{ uid: number; flags: string[]; messageId: string | undefined }> = [];
          if (!c.mailbox || c.mailbox.exists === 0) return out;
          for await (const m of c.fetch('1:*', { uid: true, flags: true, envelope: true }))
            out.push({ uid: m.uid, flags: [...(m.flags ?? [])], messageId: m.envelope?.messageId });
          return out;
        } finally {
          lock.release();
        }
      }),
    renumber(folder = 'INBOX') {
      const box = server.folderCache[folder];
      if (!box) throw new Error(`no folder ${folder}`);
      box.uidvalidity += 1;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { call, createTestApp, type TestWorkspace } from '../../../test/support/app.js';
import { type FakeImap, startFakeImap } from '../../../test/support/imap.js';
import { rawMail } from '../../../test/support/mail.js';
import { findJobs } from '../../platform/index.js';
import { IMAP_BATCH, IMAP_POLL_JOB, pollMailbox } from './imap.poll.js';
import { findImap } from './imap.repo.js';

// Attachments go to a directory a test can break (a disk that fails for a while) and mend again.
const dir = mkdtempSync(join(tmpdir(), 'steward-imap-'));
const t = await createTestApp({ start: '2026-03-02T10:00:00Z', attachmentsDir: join(dir, 'files') });
const imap = await startFakeImap(['Support']);
after(() => imap.close());

let n = 0;
async function setup(options: { afterFetch?: string; folders?: string[]; server?: FakeImap } = {}) {
  const ws = await t.workspace();
  const address = `imap-${++n}@acme.test`;
  const created = await call(t.app, ws.owner, 'POST', '/api/v1/mailboxes', { address, name: 'Support' });
  assert.equal(created.statusCode, 201, created.body);
  const mailboxId = created.json().mailbox.id as number;
  const server = options.server ?? imap;
  const body = {
    host: '127.0.0.1',
    port: server.port,
    security: 'none',
    username: server.user,
    password: server.password,
    afterFetch: options.afterFetch ?? 'seen',
    folders: options.folders ?? ['INBOX'],
  };
  const saved = await call(t.app, ws.owner, 'PUT', `/api/v1/mailboxes/${mailboxId}/imap`, body);
  return { ws, address, mailboxId, body, saved };
}

async function subjects(ws: TestWorkspace) {
  const res = await call(t.app, ws.owner, 'GET', '/api/v1/conversations?limit=100');
  return (res.json().items as { subject: string }[]).map((c) => c.subject).sort();
}

const status = async (ws: TestWorkspace, mailboxId: number) =>
  (await call(t.app, ws.owner, 'GET', `/api/v1/mailboxes/${mailboxId}/imap`)).json();

let mails = 0;
/** A mail with a Message-ID of its own, from a sender of its own. */
const mail = (subject: string, extra: Partial<Parameters<typeof rawMail>[0]> = {}) =>
  rawMail({
    from: `customer${++mails}@example.org`,
    subject,
    messageId: `<imap-${mails}@example.org>`,
    ...extra,
  });

describe('IMAP polling', () => {
  it('stores the settings with the password sealed, and never shows the password', async () => {
    const { ws, mailboxId, saved } = await setup();
    assert.equal(saved.statusCode, 200, saved.body);
    assert.ok(!saved.body.includes(imap.password));
    const row = await findImap(t.deps.db, ws.id, mailboxId);
    assert.ok(row?.passwordSealed.startsWith('v1.'));
    assert.ok(!row?.passwordSealed.includes(imap.password));
    const shown = await status(ws, mailboxId);
    assert.equal(shown.passwordReadable, true);
    assert.equal(shown.username, imap.user);
    assert.ok(!JSON.stringify(shown).includes(imap.password));
  });

  it('starts at the oldest unread message, then takes each new one once and flags it \\Seen', async () => {
    const server = await startFakeImap();
    try {
      await server.append(mail('Old and read'), { seen: true });
      await server.append(mail('Unread one'));
      await server.append(mail('Read after an unread one'), { seen: true });
      const { ws, mailboxId } = await setup({ server });
      await t.worker.drain();
      assert.deepEqual(await subjects(ws), ['Read after an unread one', 'Unread one']);
      const flags = (await server.list()).map((m) => m.flags.includes('\\Seen'));
      assert.deepEqual(flags, [true, true, true]);

      await server.append(mail('Arrived later'));
      await t.worker.drain(); // the next poll is a minute away
      assert.equal((await subjects(ws)).length, 2);
      t.clock.advance(60_000);
      await t.worker.drain();
      assert.deepEqual(await subjects(ws), ['Arrived later', 'Read after an unread one', 'Unread one']);
      t.clock.advance(60_000);
      await t.worker.drain();
      assert.equal((await subjects(ws)).length, 3, 'nothing is taken twice');

      const shown = await status(ws, mailboxId);
      assert.equal(shown.fetched, 3);
      assert.equal(shown.lastError, null);
      assert.deepEqual(
        shown.folderStates.map((s: { folder: string; lastUid: number }) => [s.folder, s.lastUid]),
        [['INBOX', 4]],
      );
    } finally {
      await server.close();
    }
  });

  it('deletes only after the commit; a temporary failure leaves the message on the server and the UID unremembered', async () => {
    const server = await startFakeImap();
    try {
      const { ws, mailboxId } = await setup({ server, afterFetch: 'delete' });
      await t.worker.drain(); // the first poll: an empty inbox
      await server.append(mail('First'));
      const withFile = rawMail({
        from: 'files@example.org',
        subject: 'With a file',
        messageId: '<imap-file@example.org>',
        headers: { 'MIME-Version': '1.0', 'Content-Type': 'multipart/mixed; boundary="b"' },
        body: [
          '--b',
          'Content-Type: text/plain',
          '',
          'See the file',
          '--b',
          'Content-Type: text/plain; name="note.txt"',
          'Content-Disposition: attachment; filename="note.txt"',
          '',
          'a note',
          '--b--',
        ].join('\n'),
      });
      await server.append(withFile);
      await server.append(mail('Third'));
      // The disk refuses for a while: the attachments directory's place is taken by a file.
      const files = t.deps.settings.attachmentsDir!;
      t.deps.settings.attachmentsDir = join(dir, 'blocked', 'files');
      writeFileSync(join(dir, 'blocked'), 'not a directory');
      t.clock.advance(60_000);
      await t.worker.drain();
      assert.deepEqual(await subjects(ws), ['First']);
      const left = await server.list();
      assert.deepEqual(
        left.map((m) => m.messageId),
        ['<imap-file@example.org>', `<imap-${mails}@example.org>`],
        'the stored one is deleted, the failed one and those after it stay',
      );
      const failing = await status(ws, mailboxId);
      assert.match(failing.lastError, /UID 2|ENOTDIR|not a directory/i);
      assert.equal(failing.folderStates[0].lastUid, 1);

      t.deps.settings.attachmentsDir = files;
      t.clock.advance(60_000);
      await t.worker.drain();
      assert.deepEqual(await subjects(ws), ['First', 'Third', 'With a file']);
      assert.deepEqual(await server.list(), []);
      const mended = await status(ws, mailboxId);
      assert.equal(mended.lastError, null);
      assert.equal(mended.fetched, 3);
    } finally {
      await server.close();
    }
  });

  it('passes over a message it can never take, leaving it untouched on the server', async () => {
    const server = await startFakeImap();
    try {
      const { ws, mailboxId } = await setup({ server, afterFetch: 'delete' });
      await t.worker.drain();
      const blocked = await call(t.app, ws.owner, 'POST', '/api/v1/email/blocked-senders', {
        pattern: '@spammy.example',
      });
      assert.equal(blocked.statusCode, 201, blocked.body);
      await server.append(rawMail({ from: 'x@spammy.example', subject: 'Buy', messageId: '<spammy@x>' }));
      await server.append(mail('Real question'));
      t.clock.advance(60_000);
      await t.worker.drain();
      assert.deepEqual(await subjects(ws), ['Real question']);
      assert.deepEqual(
        (await server.list()).map((m) => [m.messageId, m.flags.includes('\\Seen')]),
        [['<spammy@x>', false]],
      );
      const shown = await status(ws, mailboxId);
      assert.equal(shown.skipped, 1);
      assert.match(shown.lastSkipped, /UID 1 in INBOX: .*refused/);
      assert.equal(shown.lastError, null);
    } finally {
      await server.close();
    }
  });

  it('polls several folders; the same mail in two of them is stored once; a renumbered folder starts over harmlessly', async () => {
    const server = await startFakeImap(['Support']);
    try {
      const { ws, mailboxId } = await setup({ server, folders: ['INBOX', 'Support'], afterFetch: 'keep' });
      await t.worker.drain();
      const same = mail('In both folders');
      await server.append(same);
      await server.append(same, { folder: 'Support' });
      await server.append(mail('Only in Support'), { folder: 'Support' });
      t.clock.advance(60_000);
      await t.worker.drain();
      assert.deepEqual(await subjects(ws), ['In both folders', 'Only in Support']);
      // keep: the server's messages are not even flagged.
      assert.ok((await server.list('Support')).every((m) => !m.flags.includes('\\Seen')));

      server.renumber('Support');
      t.clock.advance(60_000);
      await t.worker.drain();
      assert.equal((await subjects(ws)).length, 2, 'taken again, deduplicated by Message-ID');
      const states = (await status(ws, mailboxId)).folderStates;
      assert.deepEqual(
        states.map((s: { folder: string }) => s.folder),
        ['INBOX', 'Support'],
      );
    } finally {
      await server.close();
    }
  });

  it(`takes at most ${IMAP_BATCH} messages a poll and comes back at once for the rest`, async () => {
    const server = await startFakeImap();
    try {
      const { ws, mailboxId } = await setup({ server });
      await t.worker.drain();
      for (let i = 0; i < IMAP_BATCH + 5; i++)
        await server.append(mail(`Bulk ${String(i).padStart(3, '0')}`));
      t.clock.advance(60_000);
      const first = await pollMailbox(t.deps, ws.id, mailboxId);
      assert.deepEqual(first, { taken: IMAP_BATCH, skipped: 0, more: true, error: null });
      await t.worker.drain();
      assert.equal((await status(ws, mailboxId)).fetched, IMAP_BATCH + 5);
    } finally {
      await server.close();
    }
  });

  it('one poll of a mailbox at a time', async () => {
    const { ws, mailboxId } = await setup();
    const [a, b] = await Promise.all([
      pollMailbox(t.deps, ws.id, mailboxId),
      pollMailbox(t.deps, ws.id, mailboxId),
    ]);
    assert.equal([a, b].filter((o) => o === undefined).length, 1);
  });

  it('records a wrong password as the error, and the connection test says why', async () => {
    const { ws, mailboxId, body } = await setup();
    const wrong = await call(t.app, ws.owner, 'PUT', `/api/v1/mailboxes/${mailboxId}/imap`, {
      ...body,
      password: 'wrong',
    });
    assert.equal(wrong.statusCode, 200);
    await t.worker.drain();
    assert.match((await status(ws, mailboxId)).lastError, /auth|fail|invalid/i);
    const test = await call(t.app, ws.owner, 'POST', `/api/v1/mailboxes/${mailboxId}/imap/test`, {
      host: '127.0.0.1',
      port: imap.port,
      security: 'none',
      username: imap.user,
      password: imap.password,
    });
    assert.deepEqual(test.json(), { ok: true, folders: ['INBOX', 'Support'] });
    const refused = await call(t.app, ws.owner, 'POST', `/api/v1/mailboxes/${mailboxId}/imap/test`, {
      host: '127.0.0.1',
      port: imap.port,
      security: 'none',
      username: imap.user,
    });
    assert.equal(refused.json().ok, false, 'the stored (wrong) password is used without one');
  });

  it('refuses what it must: another account without its password, insecure servers, bad input, other workspaces', async () => {
    const { ws, mailboxId, body } = await setup();
    const { password: _p, ...withoutPassword } = body;
    const moved = await call(t.app, ws.owner, 'PUT', `/api/v1/mailboxes/${mailboxId}/imap`, {
      ...withoutPassword,
      host: '127.0.0.2',
    });
    assert.equal(moved.statusCode, 422);
    assert.equal(moved.json().error.code, 'IMAP_PASSWORD_REQUIRED');
    const test = await call(t.app, ws.owner, 'POST', `/api/v1/mailboxes/${mailboxId}/imap/test`, {
      host: '127.0.0.2',
      port: imap.port,
      security: 'none',
      username: imap.user,
    });
    assert.equal(test.json().error?.code, 'IMAP_PASSWORD_REQUIRED', 'the stored password goes nowhere else');
    const same = await call(t.app, ws.owner, 'PUT', `/api/v1/mailboxes/${mailboxId}/imap`, {
      ...withoutPassword,
      pollSeconds: 120,
    });
    assert.equal(same.statusCode, 200, 'the same account keeps its password');

    t.deps.settings.imapAllowInsecure = false;
    try {
      for (const [host, security] of [
        ['127.0.0.1', 'tls'],
        ['10.1.2.3', 'tls'],
        ['169.254.169.254', 'tls'],
        ['imap.example.com', 'none'],
      ]) {
        const res = await call(t.app, ws.owner, 'PUT', `/api/v1/mailboxes/${mailboxId}/imap`, {
          ...body,
          host,
          security,
        });
        assert.equal(res.statusCode, 422, `${host} ${security}`);
        assert.equal(res.json().error.code, 'INVALID_IMAP_SERVER');
      }
    } finally {
      t.deps.settings.imapAllowInsecure = true;
    }
    for (const bad of [
      { ...body, port: 0 },
      { ...body, port: '993' },
      { ...body, security: 'ssl' },
      { ...body, folders: [] },
      { ...body, host: 'imap.example.com/x' },
      { ...body, pollSeconds: 1 },
      { ...body, extra: true },
    ]) {
      const res = await call(t.app, ws.owner, 'PUT', `/api/v1/mailboxes/${mailboxId}/imap`, bad);
      assert.equal(res.statusCode, 400, JSON.stringify(bad));
    }
    const other = await t.workspace();
    for (const [method, url] of [
      ['GET', `/api/v1/mailboxes/${mailboxId}/imap`],
      ['DELETE', `/api/v1/mailboxes/${mailboxId}/imap`],
      ['POST', `/api/v1/mailboxes/${mailboxId}/imap/poll`],
    ] as const) {
      const res = await call(t.app, other.owner, method, url);
      assert.equal(res.statusCode, 404, `${method} ${url}`);
    }
    const put = await call(t.app, other.owner, 'PUT', `/api/v1/mailboxes/${mailboxId}/imap`, body);
    assert.equal(put.statusCode, 404);
    const agent = await ws.person('agent');
    assert.equal((await call(t.app, agent, 'GET', `/api/v1/mailboxes/${mailboxId}/imap`)).statusCode, 403);
    assert.equal((await status(ws, mailboxId)).pollSeconds, 120, 'nothing refused changed the settings');
  });

  it('switched off or removed, it stops polling', async () => {
    const { ws, mailboxId, body } = await setup();
    const off = await call(t.app, ws.owner, 'PUT', `/api/v1/mailboxes/${mailboxId}/imap`, {
      ...body,
      enabled: false,
    });
    assert.equal(off.statusCode, 200);
    assert.equal(await pollMailbox(t.deps, ws.id, mailboxId), undefined);
    const now = await call(t.app, ws.owner, 'POST', `/api/v1/mailboxes/${mailboxId}/imap/poll`);
    assert.equal(now.statusCode, 422);
    const removed = await call(t.app, ws.owner, 'DELETE', `/api/v1/mailboxes/${mailboxId}/imap`);
    assert.equal(removed.statusCode, 204);
    assert.equal((await call(t.app, ws.owner, 'GET', `/api/v1/mailboxes/${mailboxId}/imap`)).statusCode, 404);
    const queued = await findJobs(t.deps.db, ws.id, { type: IMAP_POLL_JOB, statuses: ['queued'] });
    assert.deepEqual(queued, []);
  });
});

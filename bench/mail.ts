import nodemailer from 'nodemailer';
import { type Benchmark, type Figure, targetFor } from './benchmarks.js';
import { BENCH_TOKEN } from './cache.js';
import { median } from './http.js';

const CONNECTIONS = 8;
const paragraph =
  'My parcel was supposed to arrive last Tuesday, the tracking page has said "in transit" since, and nobody answers the phone. ';
/** About 10 KB of text, as a real customer mail with some quoted history weighs. */
const body = paragraph.repeat(Math.ceil(10_240 / paragraph.length)).slice(0, 10_240);

/**
 * Inbound mail through Steward's own SMTP server: 8 connections (as a busy upstream MTA would hold), each
 * sending 10 KB mails one after another, each a new conversation of a new customer. Counts the mails
 * answered 250 (committed) per second.
 */
export const mail: Benchmark = async (ctx) => {
  if (!ctx.smtpPort) return { figures: [], skipped: [{ benchmark: 'mail', reason: 'no SMTP port logged' }] };
  const run = `${Date.now().toString(36)}${process.pid}`;
  const address = `bench-${run}@acme.test`;
  const res = await fetch(`${ctx.url}/api/v1/mailboxes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ address, name: 'Bench' }),
  });
  if (!res.ok) throw new Error(`mailbox: ${res.status} ${await res.text()}`);
  const transports = Array.from({ length: CONNECTIONS }, () =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port: ctx.smtpPort,
      ignoreTLS: true,
      pool: true,
      maxConnections: 1,
      maxMessages: Number.POSITIVE_INFINITY,
    }),
  );
  let n = 0;
  let failures = 0;
  async function blast(seconds: number): Promise<number> {
    const until = performance.now() + seconds * 1000;
    let ok = 0;
    await Promise.all(
      transports.map(async (t) => {
        while (performance.now() < until) {
          const i = n++;
          try {
            await t.sendMail({
              from: `customer-${run}-${i}@example.org`,
              to: address,
              subject: `Parcel ${i} still not here`,
              text: body,
              messageId: `<bench-${run}-${i}@example.org>`,
            });
            ok++;
          } catch {
            failures++;
          }
        }
      }),
    );
    return ok;
  }
  try {
    // A long warm-up: the first seconds on a fresh copy of the database read its index pages into memory,
    // and a server that has been running is what is measured.
    await blast(20);
    const values: number[] = [];
    const stop = ctx.startCpu();
    for (let r = 0; r < ctx.repeats; r++) {
      const t = performance.now();
      const ok = await blast(ctx.intakeSeconds);
      values.push(ok / ((performance.now() - t) / 1000));
    }
    const id = `mail-smtp-${CONNECTIONS}`;
    const figure: Figure = {
      id,
      benchmark: 'mail',
      label: `inbound mail by SMTP, ${CONNECTIONS} connections`,
      unit: 'mails/s',
      value: median(values),
      repeats: values,
      detail: `${ctx.repeats} × ${ctx.intakeSeconds} s; 10 KB mails, each a new customer + conversation, answered 250 after commit${failures ? `; ${failures} refused or failed` : ''}`,
      target: targetFor(ctx.db, id),
      cpu: stop(),
      measuredAt: new Date().toISOString(),
    };
    return { figures: [figure] };
  } finally {
    for (const t of transports) t.close();
  }
};

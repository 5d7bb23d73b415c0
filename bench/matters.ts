/**
 * Matter assignment per inbound message (issue 7): the cost of the matters consumer's `handle` for a customer
 * message, in process, on this run's copy of the cached database (PostgreSQL only: PGlite's data dir belongs to
 * the Steward child). The cache was generated before matters existed, so the chosen customers' matters are
 * backfilled first by replaying their conversations' events through the consumer, oldest first.
 */
import { sql } from 'drizzle-orm';
import { type Database, openPostgres, schema, type Tx } from '../src/db/index.js';
import { createLogger } from '../src/logger.js';
import { loadCandidates } from '../src/modules/matters/candidates.repo.js';
import { isAcknowledgement } from '../src/modules/matters/contacts.js';
import { mattersConsumer } from '../src/modules/matters/matters.consumer.js';
import { fakeClock, type StoredEvent } from '../src/platform/index.js';
import { type Benchmark, type Figure, targetFor } from './benchmarks.js';
import { median, percentile } from './http.js';

/** Customers whose matters are backfilled and who write the measured messages. */
const CUSTOMERS = 300;
/** Samples per kind and round; the warm-up is the backfill plus this many untimed samples per kind. */
const SAMPLES = 300;
const WARMUP = 50;

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** A small seeded PRNG (mulberry32), so the customers' order and the texts are the same every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rollback extends Error {}

/** Runs `work` in a transaction that is always rolled back: the database does not grow between samples. */
async function rolledBack<T>(database: Database, work: (tx: Tx) => Promise<T>): Promise<T> {
  let out: T | undefined;
  try {
    await database.db.transaction(async (tx) => {
      out = await work(tx);
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return out as T;
}

const rows = async <T>(db: Database['db'] | Tx, query: ReturnType<typeof sql>) =>
  ((await db.execute(query)) as unknown as { rows: T[] }).rows;

export type Customer = {
  id: number;
  /** When the measured messages arrive: an hour after the customer's last message in the data. */
  at: Date;
  /** The customer's latest conversation with a matter (the returning message's conversation). */
  latestConversationId: number;
  channel: string;
  /** The first message of that conversation (a repeat contact about the same thing reuses its words). */
  latestText: string;
  candidates: number;
  texts: number;
};

type Sample = { ms: number; rule: string | null };

const consumerTypes = mattersConsumer.types as readonly string[];

/** The chosen customers' conversations' events through the consumer, oldest first, one transaction each. */
export async function backfill(database: Database, ws: number, customerIds: number[]) {
  const clock = fakeClock();
  const ctx = { clock, log: createLogger('warn') };
  let events = 0;
  let ms = 0;
  for (const [i, customerId] of customerIds.entries()) {
    const list = (await database.db.execute(sql`
      select e.* from events e
      join conversations c on c.workspace_id = e.workspace_id and c.id = e.entity_id
      where c.workspace_id = ${ws} and c.customer_id = ${customerId} and e.workspace_id = ${ws}
        and e.entity_type = 'conversation'
        and e.type in (${sql.join(
          consumerTypes.map((t) => sql`${t}`),
          sql`, `,
        )})
      order by e.created_at, e.id`)) as unknown as { rows: Array<Record<string, unknown>> };
    const stored: StoredEvent[] = list.rows.map((r) => ({
      workspaceId: Number(r.workspace_id),
      id: Number(r.id),
      type: String(r.type),
      entityType: String(r.entity_type),
      entityId: Number(r.entity_id),
      actorType: r.actor_type as StoredEvent['actorType'],
      actorId: r.actor_id === null ? null : Number(r.actor_id),
      data: r.data as Record<string, unknown>,
      createdAt: new Date(r.created_at as string),
      txId: String(r.tx_id),
    }));
    const t = performance.now();
    await database.db.transaction(async (tx) => {
      for (const event of stored) {
        clock.set(event.createdAt);
        await tx.transaction(async (sp) => mattersConsumer.handle(sp, event, ctx));
      }
    });
    ms += performance.now() - t;
    events += stored.length;
    if ((i + 1) % 50 === 0) log(`  matter-assign: backfilled ${i + 1}/${customerIds.length} customers`);
  }
  return { events, ms };
}

/** An inbound message on a new conversation (its first contact) or after a reply on an existing one. */
export async function sample(
  database: Database,
  ws: number,
  customer: Customer,
  kind: 'new' | 'returning',
  text: string,
): Promise<Sample> {
  return rolledBack(database, async (tx) => {
    const at = customer.at;
    let conversationId: number;
    if (kind === 'new') {
      const [c] = await rows<{ id: string }>(
        tx,
        sql`insert into conversations (workspace_id, subject, status, priority, channel, customer_id, created_at,
            updated_at, first_inbound_at, last_inbound_at, message_count, last_message_preview)
          values (${ws}, ${text.slice(0, 60)}, 'new', 'normal', ${customer.channel}, ${customer.id}, ${at}, ${at},
            ${at}, ${at}, 1, ${text.slice(0, 200)})
          returning id`,
      );
      conversationId = Number(c!.id);
    } else {
      conversationId = customer.latestConversationId;
      // The company's reply, then the customer's message: a new contact on the conversation's matter.
      await tx.execute(sql`
        insert into messages (workspace_id, conversation_id, direction, channel, body_text, created_at)
        values (${ws}, ${conversationId}, 'outbound', ${customer.channel},
          'Thank you for your message. We have looked into it and made a change on our side.',
          ${new Date(at.getTime() - 30 * 60_000)})`);
    }
    const [message] = await rows<{ id: string }>(
      tx,
      sql`insert into messages (workspace_id, conversation_id, direction, channel, author_customer_id, body_text,
          created_at)
        values (${ws}, ${conversationId}, 'inbound', ${customer.channel}, ${customer.id}, ${text}, ${at})
        returning id`,
    );
    const [event] = await tx
      .insert(schema.events)
      .values({
        workspaceId: ws,
        type: 'message.received',
        entityType: 'conversation',
        entityId: conversationId,
        actorType: 'customer',
        actorId: customer.id,
        data: { messageId: Number(message!.id), direction: 'inbound', channel: customer.channel },
        createdAt: at,
      })
      .returning();
    const ctx = { clock: fakeClock(at), log: createLogger('warn') };
    const t = performance.now();
    await mattersConsumer.handle(tx, event!, ctx);
    const ms = performance.now() - t;
    const [assigned] = await rows<{ rule: string }>(
      tx,
      sql`select rule from conversation_matters where workspace_id = ${ws} and conversation_id = ${conversationId}`,
    );
    return { ms, rule: kind === 'new' ? (assigned?.rule ?? null) : 'returned' };
  });
}

const returningTexts = [
  'It still does not work. I tried again this morning and got the same error as before. What else can I do?',
  'Sorry, but the problem is back: the payment was declined again today. Can you look at it once more?',
  'I did what you suggested, but nothing has changed. The money is still not on my account. Please check.',
  'This is the third time I am writing about this. The issue is not solved, I need someone to call me.',
];

export const matterAssign: Benchmark = async (ctx) => {
  if (ctx.db !== 'pg' || !ctx.databaseUrl)
    return {
      figures: [],
      skipped: [
        {
          benchmark: 'matter-assign',
          reason: "PostgreSQL only: it works in process on the run's database, which PGlite's child owns",
        },
      ],
    };
  const database = await openPostgres(ctx.databaseUrl, 2);
  try {
    const ws = ctx.meta.workspaceId;
    const db = database.db;
    // The customers with the most conversations: the most matters to compare a new message with.
    const chosen = await rows<{ id: string; n: number }>(
      db,
      sql`select customer_id as id, count(*)::int as n from conversations where workspace_id = ${ws}
        group by customer_id order by count(*) desc, customer_id limit ${CUSTOMERS}`,
    );
    const customerIds = chosen.map((c) => Number(c.id));
    const conversationsEach = chosen.map((c) => c.n).sort((a, b) => a - b);
    log(
      `  matter-assign: ${customerIds.length} customers with ${conversationsEach[0]}–${conversationsEach.at(-1)} conversations (median ${median(conversationsEach)}); backfilling their matters…`,
    );
    const filled = await backfill(database, ws, customerIds);
    log(
      `  matter-assign: backfill: ${filled.events.toLocaleString('en')} events in ${(filled.ms / 1000).toFixed(1)} s`,
    );
    await db.execute(sql`analyze matters`);
    await db.execute(sql`analyze conversation_matters`);
    await db.execute(sql`analyze contacts`);
    const counts = (
      await rows<{ matters: number; contacts: number; assigned: number }>(
        db,
        sql`select (select count(*)::int from matters where workspace_id = ${ws}) as matters,
          (select count(*)::int from contacts where workspace_id = ${ws}) as contacts,
          (select count(*)::int from conversation_matters where workspace_id = ${ws}) as assigned`,
      )
    )[0]!;
    const customers: Customer[] = [];
    for (const id of customerIds) {
      const [latest] = await rows<{ conversation_id: string; channel: string; body: string; last: string }>(
        db,
        sql`select c.id as conversation_id, c.channel,
            (select body_text from messages m where m.workspace_id = c.workspace_id and m.conversation_id = c.id
              and m.direction = 'inbound' order by m.id limit 1) as body,
            (select max(m.created_at) from messages m join conversations c2
               on c2.workspace_id = m.workspace_id and c2.id = m.conversation_id
             where c2.workspace_id = ${ws} and c2.customer_id = ${id}) as last
          from conversation_matters cm
          join conversations c on c.workspace_id = cm.workspace_id and c.id = cm.conversation_id
          where cm.workspace_id = ${ws} and c.customer_id = ${id}
          order by c.created_at desc, c.id desc limit 1`,
      );
      if (!latest) continue;
      const at = new Date(new Date(latest.last).getTime() + 60 * 60_000);
      const candidates = await loadCandidates(db, ws, id, at, 14);
      customers.push({
        id,
        at,
        latestConversationId: Number(latest.conversation_id),
        channel: latest.channel,
        latestText: latest.body ?? '',
        candidates: candidates.length,
        texts: candidates.reduce((a, c) => a + c.texts.length, 0),
      });
    }
    if (customers.length === 0)
      return {
        figures: [],
        skipped: [{ benchmark: 'matter-assign', reason: 'no customer got a matter from the backfill' }],
      };
    // Realistic texts: customer messages of other conversations (not thank-yous), a fixed sample.
    const pool = (
      await rows<{ body: string }>(
        db,
        sql`select body_text as body from messages tablesample system (1) repeatable (7)
          where workspace_id = ${ws} and direction = 'inbound' limit 3000`,
      )
    )
      .map((r) => r.body)
      .filter((b) => b.length >= 40 && !isAcknowledgement(b));
    const random = prng(7);
    const order = customers.map((c) => ({ c, k: random() })).sort((a, b) => a.k - b.k);
    /**
     * The i-th message of a kind: a customer in a fixed shuffled order. New conversations alternate a repeat
     * contact (the words of the customer's latest conversation, reworded at the start) and an unrelated one
     * (another customer's message).
     */
    const next = (kind: 'new' | 'returning', i: number) => {
      const customer = order[i % order.length]!.c;
      if (kind === 'returning') return { customer, text: returningTexts[i % returningTexts.length]! };
      const text =
        i % 2 === 0 && customer.latestText
          ? `Hello again, about my earlier message: ${customer.latestText}`
          : pool[Math.floor(random() * pool.length)]!;
      return { customer, text };
    };
    for (const kind of ['new', 'returning'] as const)
      for (let i = 0; i < WARMUP; i++) {
        const { customer, text } = next(kind, i + SAMPLES * ctx.repeats);
        await sample(database, ws, customer, kind, text);
      }
    const figures: Figure[] = [];
    const candidateCounts = customers.map((c) => c.candidates).sort((a, b) => a - b);
    const textCounts = customers.map((c) => c.texts).sort((a, b) => a - b);
    const setting =
      `${customers.length} customers (those with the most conversations: ${conversationsEach[0]}–${conversationsEach.at(-1)}, median ${median(conversationsEach)}), ` +
      `their matters backfilled by replaying their conversations' events through the consumer (${filled.events.toLocaleString('en')} events in ${(filled.ms / 1000).toFixed(0)} s: ` +
      `${counts.matters.toLocaleString('en')} matters, ${counts.contacts.toLocaleString('en')} contacts, ${counts.assigned.toLocaleString('en')} conversations); ` +
      `the message arrives an hour after the customer's last one, with ${candidateCounts[0]}–${candidateCounts.at(-1)} candidate matters in the 14-day window (median ${median(candidateCounts)}) ` +
      `holding ${median(textCounts)} texts (median; max ${textCounts.at(-1)}); no reason model in the bench workspace, so \`rankedReasonsFor\` returns [] at once (the text comparison decides)`;
    for (const kind of ['new', 'returning'] as const) {
      const stop = ctx.startCpu();
      const rounds: number[][] = [];
      const rules = new Map<string, number>();
      for (let r = 0; r < ctx.repeats; r++) {
        const times: number[] = [];
        for (let i = 0; i < SAMPLES; i++) {
          const { customer, text } = next(kind, r * SAMPLES + i);
          const s = await sample(database, ws, customer, kind, text);
          times.push(s.ms);
          if (s.rule) rules.set(s.rule, (rules.get(s.rule) ?? 0) + 1);
        }
        times.sort((a, b) => a - b);
        rounds.push(times);
        log(
          `  matter-assign ${kind} round ${r + 1}: p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms, max ${times.at(-1)!.toFixed(1)} ms`,
        );
      }
      const cpu = stop();
      const p50s = rounds.map((t) => percentile(t, 50));
      const p95s = rounds.map((t) => percentile(t, 95));
      const label =
        kind === 'new'
          ? 'matter assignment, first message of a new conversation'
          : 'matter assignment, returning message after a reply';
      const what =
        kind === 'new'
          ? `\`mattersConsumer.handle\` for \`message.received\` on a new conversation (inserted with its message and event in the same transaction, untimed), then rolled back; half repeat contacts (the words of the customer's latest conversation), half another customer's message; decided: ${[...rules].map(([k, n]) => `${k} ${n}`).join(', ')}`
          : "`mattersConsumer.handle` for `message.received` on the customer's latest conversation after a reply from the company (both inserted untimed), then rolled back: a contact on its matter, the matter refreshed, and the escalation check (the third contact escalates)";
      const base = {
        benchmark: 'matter-assign',
        unit: 'ms' as const,
        cpu,
        measuredAt: new Date().toISOString(),
        detail: `${what}; ${ctx.repeats} rounds of ${SAMPLES} after ${WARMUP} untimed; ${setting}; in process (CPU: the consumer runs in the load generator)`,
      };
      const id = `matter-assign-${kind}`;
      figures.push({
        ...base,
        id: `${id}-p50`,
        label: `${label} p50`,
        value: median(p50s),
        p50: median(p50s),
        p95: median(p95s),
        repeats: p50s,
      });
      figures.push({
        ...base,
        id: `${id}-p95`,
        label: `${label} p95`,
        value: median(p95s),
        p50: median(p50s),
        p95: median(p95s),
        repeats: p95s,
        target: targetFor(ctx.db, `${id}-p95`),
      });
    }
    return { figures };
  } finally {
    await database.close();
  }
};

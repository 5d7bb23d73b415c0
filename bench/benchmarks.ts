import autocannon from 'autocannon';
import { BENCH_TOKEN, type CacheMeta, type DbKind, INBOX_STATUSES } from './cache.js';
import { chat } from './chat.js';
import type { CpuSplit } from './cpu.js';
import { type Client, measureLatency, median } from './http.js';
import { mail } from './mail.js';
import { matterAssign } from './matters.js';

/** `atScale`: the conversations the target is set for (`atText` names it: 1M, 100k, 5M messages). */
export type Target = { op: '>=' | '<'; value: number; atScale?: number; atText?: string; text: string };

export type Figure = {
  id: string;
  benchmark: string;
  label: string;
  /** `x`: a ratio of two figures. */
  unit: 'conversations/s' | 'mails/s' | 'jobs/s' | 'ms' | 's' | 'x';
  /** The headline value: throughput, or p95 for latencies. */
  value: number;
  p50?: number;
  p95?: number;
  /** The per-repeat values the median was taken over. */
  repeats: number[];
  detail?: string;
  target?: Target;
  cpu: CpuSplit;
  measuredAt: string;
};

export type Skipped = { benchmark: string; reason: string };

export type Context = {
  db: DbKind;
  meta: CacheMeta;
  url: string;
  smtpPort: number | undefined;
  client: Client;
  /** The run's copy of the cached database (PostgreSQL only), for benchmarks that work in process. */
  databaseUrl?: string;
  startCpu: () => () => CpuSplit;
  repeats: number;
  requests: number;
  intakeSeconds: number;
};

export type Benchmark = (ctx: Context) => Promise<{ figures: Figure[]; skipped?: Skipped[] }>;

const M = 1_000_000;

/** The issue's targets for this 2-core machine. */
export function targetFor(db: DbKind, id: string): Target | undefined {
  if (db === 'pg') {
    if (id === 'intake-16') return { op: '>=', value: 2000, text: '≥ 2,000/s' };
    if (id === 'mail-smtp-8') return { op: '>=', value: 300, text: '≥ 300/s' };
    if (id.startsWith('inbox-') && id.endsWith('p95'))
      return { op: '<', value: 20, atScale: M, atText: '1M', text: '< 20 ms at 1M' };
    if (id === 'conversation-open-p95' || (id.startsWith('conversation-view-') && id.endsWith('p95')))
      return { op: '<', value: 20, atScale: M, atText: '1M', text: '< 20 ms at 1M' };
    if (id.startsWith('search-') && id.endsWith('p95'))
      return { op: '<', value: 100, atScale: M, atText: '5M messages', text: '< 100 ms at 5M messages' };
    if (id.startsWith('matter-assign-') && id.endsWith('p95'))
      return { op: '<', value: 10, atScale: M, atText: '1M', text: '< 10 ms at 1M' };
  } else {
    if (id === 'intake-16') return { op: '>=', value: 500, text: '≥ 500/s' };
    if (id.startsWith('inbox-') && id.endsWith('p95'))
      return { op: '<', value: 50, atScale: 100_000, atText: '100k', text: '< 50 ms at 100k' };
  }
  return undefined;
}

function latencyFigures(
  ctx: Context,
  benchmark: string,
  id: string,
  label: string,
  result: Awaited<ReturnType<typeof measureLatency>>,
  cpu: CpuSplit,
  detail?: string,
  withP50 = true,
): Figure[] {
  const measuredAt = new Date().toISOString();
  const base = { benchmark, unit: 'ms' as const, p50: result.p50, p95: result.p95, detail, cpu, measuredAt };
  const figures: Figure[] = [];
  if (withP50)
    figures.push({
      ...base,
      id: `${id}-p50`,
      label: `${label} p50`,
      value: result.p50,
      repeats: result.repeats.map((r) => r.p50),
      target: targetFor(ctx.db, `${id}-p50`),
    });
  figures.push({
    ...base,
    id: `${id}-p95`,
    label: `${label} p95`,
    value: result.p95,
    repeats: result.repeats.map((r) => r.p95),
    target: targetFor(ctx.db, `${id}-p95`),
  });
  return figures;
}

type Page = { items: Array<{ id: number }>; nextCursor: string | null };

export const inbox: Benchmark = async (ctx) => {
  const team = ctx.meta.inboxTeam.id;
  const first = `/api/v1/conversations?status=${INBOX_STATUSES.join(',')}&teamId=${team}&limit=50`;
  // Walk to page 40 once (or to the last page, if the team has fewer).
  let path = first;
  let page = 1;
  for (; page < 40; page++) {
    const body = await ctx.client.json<Page>('GET', path);
    if (!body.nextCursor) break;
    path = `${first}&cursor=${encodeURIComponent(body.nextCursor)}`;
  }
  const deep = path;
  const check = async (p: string) => {
    const res = await ctx.client.request('GET', p);
    if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${res.body.slice(0, 300)}`);
  };
  const opts = { warmup: 50, requests: ctx.requests, repeats: ctx.repeats };
  const figures: Figure[] = [];
  const teamNote = `team ${team} (${ctx.meta.inboxTeam.open.toLocaleString('en')} unsolved conversations: status ${INBOX_STATUSES.join(', ')}), 50 per page`;
  let stop = ctx.startCpu();
  const r1 = await measureLatency(() => check(first), opts);
  figures.push(...latencyFigures(ctx, 'inbox', 'inbox-first', 'inbox, first page', r1, stop(), teamNote));
  stop = ctx.startCpu();
  const r40 = await measureLatency(() => check(deep), opts);
  const deepNote =
    page >= 40
      ? teamNote
      : `this team has only ${page} page${page === 1 ? '' : 's'} of unsolved conversations: measured the last one, page ${page}`;
  figures.push(...latencyFigures(ctx, 'inbox', 'inbox-page40', `inbox, page ${page}`, r40, stop(), deepNote));
  stop = ctx.startCpu();
  const counts = '/api/v1/conversations/counts';
  const rc = await measureLatency(() => check(counts), opts);
  figures.push(
    ...latencyFigures(
      ctx,
      'inbox',
      'inbox-counts',
      'inbox, the counts of all six views',
      rc,
      stop(),
      'one request: Mine, Unassigned, My teams, All open, Pending, Solved, each counted up to 1,000',
    ),
  );
  // The other sorts: over the whole workspace's open conversations (their own indexes), and on one team's
  // unsolved ones (the team index, then a sort of that team's rows).
  const walk = async (start: string, pages: number) => {
    let at = start;
    let n = 1;
    for (; n < pages; n++) {
      const body = await ctx.client.json<Page>('GET', at);
      if (!body.nextCursor) break;
      at = `${start}&cursor=${encodeURIComponent(body.nextCursor)}`;
    }
    return { at, n };
  };
  for (const sort of ['waiting', 'priority'] as const) {
    const label = sort === 'waiting' ? 'waiting longest first' : 'most urgent first';
    const open = `/api/v1/conversations?status=new,open&sort=${sort}&limit=50`;
    const deepOpen = await walk(open, 40);
    stop = ctx.startCpu();
    const ro = await measureLatency(() => check(open), opts);
    figures.push(
      ...latencyFigures(
        ctx,
        'inbox',
        `inbox-${sort}-first`,
        `inbox, all open, ${label}, first page`,
        ro,
        stop(),
      ),
    );
    stop = ctx.startCpu();
    const rd = await measureLatency(() => check(deepOpen.at), opts);
    figures.push(
      ...latencyFigures(
        ctx,
        'inbox',
        `inbox-${sort}-page40`,
        `inbox, all open, ${label}, page ${deepOpen.n}`,
        rd,
        stop(),
        'every open conversation of the workspace (status new, open), 50 per page',
      ),
    );
    const teamSorted = `${first}&sort=${sort}`;
    stop = ctx.startCpu();
    const rt = await measureLatency(() => check(teamSorted), opts);
    figures.push(
      ...latencyFigures(
        ctx,
        'inbox',
        `inbox-team-${sort}`,
        `inbox, one team, ${label}`,
        rt,
        stop(),
        teamNote,
      ),
    );
  }
  return { figures };
};

type Timeline = {
  conversation: { status: string; messageCount: number; customerId: number };
  messages: unknown[];
  events: unknown[];
};

export const conversationOpen: Benchmark = async (ctx) => {
  // The generator's longest conversations are shorter than 30 messages: top them up to 30 through the API
  // (alternating customer and agent), in this run's copy of the database only.
  const ids: number[] = [];
  let messages = 0;
  let events = 0;
  for (const t of ctx.meta.timelines) {
    let current = await ctx.client.json<Timeline>('GET', `/api/v1/conversations/${t.id}`);
    if (current.conversation.status === 'closed') continue;
    for (let n = current.messages.length; n < 30; n++) {
      const inbound = n % 2 === 0;
      await ctx.client.json('POST', `/api/v1/conversations/${t.id}/messages`, {
        direction: inbound ? 'inbound' : 'outbound',
        body: inbound
          ? `Following up on this (${n}): the transfer still shows as pending in my app, can you check again?`
          : `Thanks for your patience (${n}). I have escalated the transfer to our payments team and will update you.`,
      });
    }
    current = await ctx.client.json<Timeline>('GET', `/api/v1/conversations/${t.id}`);
    ids.push(t.id);
    messages += current.messages.length;
    events += current.events.length;
  }
  if (ids.length === 0)
    return { figures: [], skipped: [{ benchmark: 'conversation-open', reason: 'no conversation to open' }] };
  const stop = ctx.startCpu();
  const result = await measureLatency(
    async (i) => {
      const res = await ctx.client.request('GET', `/api/v1/conversations/${ids[i % ids.length]}`);
      if (res.status !== 200) throw new Error(`open conversation: ${res.status} ${res.body.slice(0, 300)}`);
    },
    { warmup: 50, requests: ctx.requests, repeats: ctx.repeats },
  );
  const detail = `${ids.length} conversations in turn, ${Math.round(messages / ids.length)} messages and ${Math.round(events / ids.length)} events each on average`;
  const figures = latencyFigures(
    ctx,
    'conversation-open',
    'conversation-open',
    'conversation open',
    result,
    stop(),
    detail,
  );
  // The other requests the web app's conversation page makes when it opens (besides the conversation itself),
  // each measured on its own over the same conversations, then all of them at once as the browser sends them.
  const views = await Promise.all(
    ids.map(async (id) => {
      const c = await ctx.client.json<Timeline>('GET', `/api/v1/conversations/${id}`);
      return conversationViewRequests(id, c.conversation.customerId);
    }),
  );
  const get = async (path: string) => {
    const res = await ctx.client.request('GET', path);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.body.slice(0, 300)}`);
  };
  const opts = { warmup: 20, requests: ctx.requests, repeats: ctx.repeats };
  for (const [n, request] of (views[0] ?? []).entries()) {
    const s = ctx.startCpu();
    const r = await measureLatency((i) => get(views[i % views.length]![n]!.path), opts);
    figures.push(
      ...latencyFigures(
        ctx,
        'conversation-open',
        `conversation-view-${request.id}`,
        request.label,
        r,
        s(),
        detail,
      ),
    );
  }
  const s = ctx.startCpu();
  const all = await measureLatency(async (i) => {
    const n = i % views.length;
    await Promise.all([get(`/api/v1/conversations/${ids[n]}`), ...views[n]!.map((v) => get(v.path))]);
  }, opts);
  figures.push(
    ...latencyFigures(
      ctx,
      'conversation-open',
      'conversation-view-all',
      'conversation view, all its requests at once',
      all,
      s(),
      `${(views[0]?.length ?? 0) + 1} requests in parallel (the conversation and ${views[0]?.map((v) => v.id).join(', ')}), the slowest one counts`,
    ),
  );
  return { figures };
};

/** What the conversation page requests besides the conversation (keep in step with web/src/features/conversations). */
function conversationViewRequests(_id: number, customerId: number) {
  return [
    { id: 'customer', label: 'conversation view: the customer', path: `/api/v1/customers/${customerId}` },
    {
      id: 'customer-history',
      label: "conversation view: the customer's conversations",
      path: `/api/v1/customers/${customerId}/conversations?limit=20`,
    },
  ];
}

export const search: Benchmark = async (ctx) => {
  const probe = await ctx.client.request('GET', '/api/v1/search?q=card');
  if (probe.status === 404)
    return {
      figures: [],
      skipped: [
        {
          benchmark: 'search',
          reason: `GET /api/v1/search does not exist yet (404: ${probe.body.slice(0, 120)})`,
        },
      ],
    };
  const figures: Figure[] = [];
  for (const kind of ['rare', 'common'] as const) {
    const { q, matches } = ctx.meta.search[kind];
    const path = `/api/v1/search?q=${encodeURIComponent(q)}`;
    const stop = ctx.startCpu();
    const result = await measureLatency(
      async () => {
        const res = await ctx.client.request('GET', path);
        if (res.status !== 200) throw new Error(`search: ${res.status} ${res.body.slice(0, 300)}`);
      },
      { warmup: 20, requests: Math.max(20, Math.round(ctx.requests / 2)), repeats: ctx.repeats },
    );
    figures.push(
      ...latencyFigures(
        ctx,
        'search',
        `search-${kind}`,
        `search, ${kind} terms`,
        result,
        stop(),
        `"${q}": ${matches.toLocaleString('en')} matching message${matches === 1 ? '' : 's'}`,
      ),
    );
  }
  return { figures };
};

const subjects = [
  'Card payment declined at checkout',
  'Transfer has not arrived yet',
  'How do I change my PIN?',
  'Refund for a duplicate charge',
  'Cannot log in to the app',
  'Exchange rate applied looks wrong',
];
const bodies = [
  'Hi, I tried to pay with my card this morning and it was declined twice, although there is money on the account.',
  'I sent money to my landlord three days ago and it still has not arrived. Can you tell me where it is?',
  'Hello, I would like to change the PIN of my debit card. Where can I do that in the app?',
  'I was charged twice for the same purchase at the supermarket yesterday. Please refund one of them.',
  'Since the last update the app says my password is wrong, but I am sure it is right. What can I do?',
  'The exchange rate on my card payment abroad is much worse than the one shown on your website.',
];

export const intake: Benchmark = async (ctx) => {
  const run = `${Date.now().toString(36)}${process.pid}`;
  let n = 0;
  const next = () => {
    const i = n++;
    return JSON.stringify({
      subject: subjects[i % subjects.length],
      channel: 'email',
      customer: { email: `bench-${run}-${i}@example.com`, name: `Bench Customer ${i}` },
      message: { body: `${bodies[i % bodies.length]} (ref ${run}-${i})` },
    });
  };
  const fire = (connections: number, duration: number) =>
    autocannon({
      url: ctx.url,
      connections,
      duration,
      timeout: 30,
      headers: { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' },
      requests: [
        { method: 'POST', path: '/api/v1/conversations', setupRequest: (req) => ({ ...req, body: next() }) },
      ],
    });
  const figures: Figure[] = [];
  for (const connections of [1, 16]) {
    await fire(connections, 3);
    const values: number[] = [];
    let failures = 0;
    let latencyP50 = 0;
    const stop = ctx.startCpu();
    for (let r = 0; r < ctx.repeats; r++) {
      const t = performance.now();
      const result = await fire(connections, ctx.intakeSeconds);
      const seconds = (performance.now() - t) / 1000;
      values.push(result['2xx'] / seconds);
      failures += result.non2xx + result.errors + result.timeouts;
      latencyP50 = result.latency.p50;
    }
    const id = `intake-${connections}`;
    figures.push({
      id,
      benchmark: 'intake',
      label: `intake, ${connections} client${connections > 1 ? 's' : ''}`,
      unit: 'conversations/s',
      value: median(values),
      repeats: values,
      detail: `${ctx.repeats} × ${ctx.intakeSeconds} s; each a new customer + conversation + first message; request p50 ${latencyP50} ms (last round)${failures ? `; ${failures} failed requests` : ''}`,
      target: targetFor(ctx.db, id),
      cpu: stop(),
      measuredAt: new Date().toISOString(),
    });
  }
  return { figures };
};

/** In the order they run: the writing ones (matter-assign backfills matters; intake, mail, chat) last. */
export const benchmarks: Record<string, Benchmark> = {
  inbox,
  'conversation-open': conversationOpen,
  search,
  'matter-assign': matterAssign,
  intake,
  mail,
  chat,
};

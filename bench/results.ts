import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure, Skipped } from './benchmarks.js';
import type { CacheMeta, DbKind } from './cache.js';
import type { DemoStart } from './demo-start.js';
import type { WebBundle } from './web-bundle.js';

const here = dirname(fileURLToPath(import.meta.url));
const storeFile = join(here, 'results.json');
const markdownFile = join(here, 'RESULTS.md');

export type Machine = { cpu: string; cores: number; memoryGiB: number; node: string; database: string };

export type Section = {
  db: DbKind;
  scale: number;
  /**
   * A section of benchmarks on a database of their own (not the generator's cache): its key in the store and
   * its heading, and `data.description` says what is in it.
   */
  own?: { key: string; title: string };
  runAt: string;
  machine: Machine;
  data: Pick<CacheMeta, 'seed' | 'generatorVersion' | 'key' | 'counts'> & { description?: string };
  figures: Record<string, Figure>;
  skipped: Skipped[];
};

type Store = { sections: Record<string, Section>; web?: WebBundle; demo?: DemoStart };

export function machine(database: string): Machine {
  const info = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  return {
    cpu: model,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    database,
  };
}

function load(): Store {
  return existsSync(storeFile) ? (JSON.parse(readFileSync(storeFile, 'utf8')) as Store) : { sections: {} };
}

/**
 * Replaces the figures just measured in their section (database × scale) and rewrites RESULTS.md from every
 * section. A run with --only keeps the section's other figures (each carries its own date).
 */
export function record(section: Section): void {
  const store = load();
  const key = section.own ? `${section.db}@${section.own.key}` : `${section.db}@${section.scale}`;
  const previous = store.sections[key];
  const skippedNow = new Set(section.skipped.map((s) => s.benchmark));
  const measuredNow = new Set(Object.values(section.figures).map((f) => f.benchmark));
  store.sections[key] = {
    ...section,
    figures: Object.fromEntries([
      ...Object.entries(previous?.figures ?? {}).filter(
        ([, f]) => !measuredNow.has(f.benchmark) && !skippedNow.has(f.benchmark),
      ),
      ...Object.entries(section.figures),
    ]),
    skipped: [
      ...(previous?.skipped ?? []).filter(
        (s) => !measuredNow.has(s.benchmark) && !skippedNow.has(s.benchmark),
      ),
      ...section.skipped,
    ],
  };
  writeFileSync(storeFile, `${JSON.stringify(store, null, 2)}\n`);
  writeFileSync(markdownFile, render(store));
}

/** The web app's bundle size (no database involved): kept beside the database sections. */
export function recordWeb(web: WebBundle): void {
  const store = load();
  store.web = web;
  writeFileSync(storeFile, `${JSON.stringify(store, null, 2)}\n`);
  writeFileSync(markdownFile, render(store));
}

/** The first minutes of `npm run demo` (no cache involved): kept beside the database sections. */
export function recordDemo(demo: DemoStart): void {
  const store = load();
  store.demo = demo;
  writeFileSync(storeFile, `${JSON.stringify(store, null, 2)}\n`);
  writeFileSync(markdownFile, render(store));
}

function renderDemo(demo: DemoStart | undefined): string[] {
  if (!demo) return [];
  const s = (x: number | null) => (x === null ? '—' : `${x.toFixed(1)} s`);
  const ms = (x: number | null) => (x === null ? '—' : `${x.toFixed(0)} ms`);
  const m = demo.median;
  return [
    '## PGlite · `npm run demo`: the first minutes',
    '',
    `Measured ${demo.measuredAt.slice(0, 16).replace('T', ' ')} UTC (\`--only demo-start\`): ${demo.rounds.length} rounds, each a fresh data dir and a`,
    'fresh `src/main.ts --demo` process with its workers on, as a new user starts it. From "listening", one client',
    'signs in, then asks for the inbox (`GET /api/v1/conversations?status=new,open&limit=50`) one request after',
    `another, 250 ms apart, for ${demo.windowSeconds} s, while the matters backfill replays the demo's history (35,000 events);`,
    "the backfill's times are read from its job row afterwards. Medians over the rounds:",
    '',
    '| figure | value |',
    '|---|---|',
    `| start to listening (demo data loaded) | ${s(m.listenSeconds)} |`,
    `| listening to the first answered sign-in | ${s(m.firstAnswerSeconds)} |`,
    `| matters backfill, queued to finished | ${s(m.backfillSeconds)} |`,
    `| inbox during the backfill, p50 / p95 / max | ${ms(m.duringP50)} / ${ms(m.duringP95)} / ${ms(m.duringMax)} |`,
    `| inbox after it, p50 | ${ms(m.afterP50)} |`,
    '',
    'Before the backfill was paced (65fd0e9, one round of the same benchmark, 2026-12-07): Steward logged',
    '"listening" only after 146 s, when the 126 s replay had ended, and answered nothing before. A loop of',
    'awaited PGlite queries never yields to the event loop; the replay now runs in chunks of about 100 ms with',
    'the event loop free between them (`src/platform/jobs/pace.ts`).',
    '',
  ];
}

function renderWeb(web: WebBundle | undefined): string[] {
  if (!web) return [];
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const met = web.initialJsGzipBytes < web.targetGzipBytes;
  return [
    '## Web app bundle',
    '',
    `Measured ${web.measuredAt.slice(0, 16).replace('T', ' ')} UTC from \`web/dist\` (built by \`scripts/build-web.ts\`): the JavaScript`,
    "a first visit loads (index.html's module scripts and preloads), gzip level 9 as served.",
    '',
    '| figure | value | target | met |',
    '|---|---|---|---|',
    `| initial JS, gzip | ${kb(web.initialJsGzipBytes)} | < ${kb(web.targetGzipBytes)} | ${met ? 'yes' : '**no**'} |`,
    `| CSS, gzip | ${kb(web.cssGzipBytes)} | — | — |`,
    '',
    ...web.initialJs.map((f) => `- \`${f.file}\`: ${kb(f.bytes)} (${kb(f.gzipBytes)} gzip)`),
    '',
  ];
}

const order = [
  'sla-recompute',
  'sla-recompute-inbox-idle-p50',
  'sla-recompute-inbox-during-p50',
  'sla-recompute-inbox-ratio-p50',
  'sla-recompute-inbox-idle-p95',
  'sla-recompute-inbox-during-p95',
  'sla-recompute-inbox-ratio-p95',
  'jobs-due',
  'intake-1',
  'intake-16',
  'inbox-first-p50',
  'inbox-first-p95',
  'inbox-page40-p50',
  'inbox-page40-p95',
  'conversation-open-p50',
  'conversation-open-p95',
  'search-rare-p50',
  'search-rare-p95',
  'search-common-p50',
  'search-common-p95',
  'matter-assign-new-p50',
  'matter-assign-new-p95',
  'matter-assign-returning-p50',
  'matter-assign-returning-p95',
  'chat-delivery-p99',
];

export const fmt = (n: number, unit: string) =>
  unit === 'ms'
    ? `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`
    : unit === 's'
      ? `${n.toFixed(2)} s`
      : unit === 'x'
        ? `${n.toFixed(2)}×`
        : `${Math.round(n).toLocaleString('en')}/s`;

const scaleName = (n: number) =>
  n >= 1_000_000 && n % 1_000_000 === 0
    ? `${n / 1_000_000}M`
    : n >= 1000 && n % 1000 === 0
      ? `${n / 1000}k`
      : n.toLocaleString('en');

function verdict(f: Figure, scale: number): string {
  const t = f.target;
  if (!t) return '—';
  const met = t.op === '>=' ? f.value >= t.value : f.value < t.value;
  const word = met ? 'MET' : 'MISSED';
  if (t.atScale && scale < t.atScale)
    return `${word} at ${scaleName(scale)} only (target is for ${t.atText ?? scaleName(t.atScale)})`;
  return `**${word}**`;
}

function cpuCell(f: Figure, db: DbKind): string {
  const c = f.cpu;
  if (!c || c.wallSeconds <= 0) return '';
  const cores = (s: number) => (s / c.wallSeconds).toFixed(2);
  const database = db === 'pglite' ? 'in Steward' : cores(c.database);
  return `${cores(c.steward)} / ${database} / ${cores(c.loadGenerator)} / ${cores(c.other)}`;
}

/** Average cores busy with other work during the section's measurements. */
function otherLoad(figures: Figure[]): number {
  const wall = figures.reduce((a, f) => a + (f.cpu?.wallSeconds ?? 0), 0);
  return wall > 0 ? figures.reduce((a, f) => a + (f.cpu?.other ?? 0), 0) / wall : 0;
}

function renderSection(s: Section): string {
  const dbName = s.db === 'pg' ? 'PostgreSQL' : 'PGlite (embedded)';
  const m = s.machine;
  const c = s.data.counts;
  const lines = [
    `## ${dbName} · ${s.own ? s.own.title : `${scaleName(s.scale)} conversations`}`,
    '',
    `Run ${s.runAt.slice(0, 16).replace('T', ' ')} UTC on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.database}.`,
    s.data.description
      ? `Data: ${s.data.description}`
      : `Data: generator v${s.data.generatorVersion}, seed ${s.data.seed}: ${(c.conversations ?? 0).toLocaleString('en')} conversations, ` +
        `${(c.messages ?? 0).toLocaleString('en')} messages, ${(c.customers ?? 0).toLocaleString('en')} customers, ` +
        `${(c.events ?? 0).toLocaleString('en')} events (cache key \`${s.data.key}\`).`,
    '',
    '| figure | median | target | verdict | per repeat | CPU, cores busy: Steward / database / load generator / other |',
    '|---|---:|---|---|---|---|',
  ];
  const figures = Object.values(s.figures).sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  for (const f of figures) {
    lines.push(
      `| ${f.label} | ${fmt(f.value, f.unit)} | ${f.target?.text ?? '—'} | ${verdict(f, s.scale)} | ${f.repeats.map((v) => fmt(v, f.unit)).join(', ')} | ${cpuCell(f, s.db)} |`,
    );
  }
  const notes = new Map<string, string>();
  for (const f of figures) if (f.detail) notes.set(f.label.replace(/ p\d+$/, ''), f.detail);
  if (notes.size || s.skipped.length) lines.push('');
  for (const [label, detail] of notes) lines.push(`- ${label}: ${detail}.`);
  for (const k of s.skipped) lines.push(`- **${k.benchmark} not measured**: ${k.reason}.`);
  if (s.db === 'pglite')
    lines.push('- PGlite runs inside the Steward process: its database work is counted under Steward.');
  const other = otherLoad(figures);
  if (other > 0.25)
    lines.push(
      `- **The machine was not quiet**: other work kept ${other.toFixed(2)} of its ${m.cores} cores busy on average ` +
        'during these measurements ("other" column), so these figures understate what Steward does on an idle machine.',
    );
  lines.push('');
  return lines.join('\n');
}

/**
 * Sections written by other commands (the classifier figures of `npm run eval:understanding`) sit below this
 * line in RESULTS.md; a bench run keeps them as they are.
 */
const KEPT_MARKER = '<!-- Sections below are not written by npm run bench; it keeps them as they are. -->';

function keptSections(): string[] {
  if (!existsSync(markdownFile)) return [];
  const text = readFileSync(markdownFile, 'utf8');
  const at = text.indexOf(KEPT_MARKER);
  return at < 0 ? [] : [text.slice(at).trimEnd(), ''];
}

function render(store: Store): string {
  const sections = Object.values(store.sections).sort((a, b) =>
    a.db === b.db ? b.scale - a.scale : a.db === 'pg' ? -1 : 1,
  );
  return [
    '# Steward benchmarks',
    '',
    'Written by `npm run bench` (`bench/run.ts`); the same figures are in `bench/results.json`. Do not edit by hand:',
    'each run rewrites the section of the database and scale it measured and keeps the others.',
    '',
    '```',
    'npm run bench                                  # PostgreSQL at 1M conversations, PGlite at 100k',
    'npm run bench -- --db pg --scale 1000000       # one database, one scale',
    'npm run bench -- --only inbox                  # one benchmark: intake | inbox | conversation-open | search | mail | chat | matter-assign',
    'npm run bench -- --db pg --only sla-recompute,jobs   # background work, on a database of its own',
    'npm run bench -- --only demo-start             # the first minutes of npm run demo (PGlite)',
    '```',
    '',
    'How it measures. A filled database comes from a cache keyed by generator version, seed, scale and',
    'migrations (PostgreSQL: a template database, copied with `CREATE DATABASE … TEMPLATE`; PGlite: a data dir',
    'under `bench/.cache`, copied per run). Steward runs as its own process (`node --import tsx src/main.ts`,',
    'workers off) on a copy, and this separate process drives it over HTTP on loopback with an API token.',
    'Latencies: one keep-alive client sending requests one after another, timed to the last byte; after a',
    'warm-up, 3 rounds (200 requests each; 100 for search), each giving p50 and p95; the figure is the median',
    'of the rounds. Intake: autocannon with 1 and 16 connections, 3 rounds of 10 s after a 3 s warm-up, each',
    'request a new customer, conversation and first message; the figure is the median of the rounds’',
    'successful creations per second. CPU: utime + stime from `/proc/<pid>/stat` of the Steward process, the',
    'PostgreSQL processes serving this run (its backends and the shared background processes) and the load',
    'generator, before and after the measured rounds, as cores busy on average; "other" is the rest of the',
    'machine’s busy time (other work on the shared machine). Inbox "open" means unsolved: statuses new, open,',
    'pending and on_hold, the team with the most of them, newest activity first. Chat: 500 visitor WebSockets',
    'each sending a message every 5 s for 60 s (two warm-up messages each before), 20 agent sockets on',
    '`/api/v1/stream`; each (message, agent socket) delivery is a sample, from the visitor frame leaving the',
    'load generator to the agent socket receiving its `message.created`; the figure is the p99 of one round.',
    'Mail: 8 SMTP connections to Steward’s own SMTP server (nodemailer, one connection each, mails one after',
    'another), 10 KB mails, each from a new customer (a new conversation); 3 rounds of 10 s after a 3 s',
    'warm-up; the figure is the median of the rounds’ mails answered 250 (after commit) per second.',
    'Matter assignment (`matter-assign`, PostgreSQL only): in the bench process, not over HTTP, on the run’s',
    'copy of the cached database (the cache predates matters: its matter tables are empty). The 300 customers',
    'with the most conversations get their matters first, by replaying their conversations’ events through the',
    'matters consumer oldest first (a transaction per customer, a savepoint per event, the clock at each event’s',
    'time; conversations carry their final contact reason). Then per sample, in a transaction rolled back',
    'afterwards (the database does not grow): a customer message, an hour after that customer’s last one,',
    'either opening a new conversation (inserted with its message and `message.received` event; half repeat',
    'the words of the customer’s latest conversation, half are another customer’s message) or returning on',
    'the customer’s latest conversation after a reply; only `mattersConsumer.handle` is timed (load the',
    'candidate matters of the 14-day window, compare, write the matter, its contact and event, check the',
    'escalation threshold). After 50 untimed samples of each kind, 3 rounds of 300 each, p50 and p95 per round,',
    'the figure the median of the rounds. The bench workspace has no reason model: `rankedReasonsFor` returns',
    'at once and the text comparison decides. What the cost is made of (2026-12, 1M, a profile of the same',
    'samples): a new conversation’s first message is about 21 statements one after another (read the message,',
    'the conversation, its matter and the settings; the candidates in three reads; insert the matter, assign it,',
    'the contact; refresh the matter from its contacts and conversations; the assignment event; the escalation',
    'settings, and when the third contact escalates, its row, event and two jobs), about 0.25 ms each on this',
    'machine, the two candidate reads with texts the largest (about 0.5 ms each); the text comparison itself is',
    'about 0.1 ms (p95 0.2 ms) and the rest is the driver and query building. Since then (same day): the contact',
    'is counted on its matter in one statement instead of the refresh’s four, a new matter is written complete,',
    'the escalation settings are read only from a second contact on, and the acknowledgement check comes before',
    'any query: p95 10.6 → 9.4 ms for a new conversation. Reading message, conversation and matter together',
    'would lower it further; a faster comparison would not.',
    '',
    'Background work (`sla-recompute`, `jobs`; PostgreSQL only) runs on a database of its own, not the cache:',
    'created per run and filled in SQL in seconds (100,000 conversations in progress with their event histories,',
    'one SLA policy in business time on the default calendar), with Steward’s workers on (its default poll and',
    'batch). SLA recompute: a warm-up change of the calendar’s week first (it creates every clock and deadline',
    'job; then `VACUUM ANALYZE`, as autovacuum would have by then), then per round: 200 inbox requests',
    '(`GET /api/v1/conversations?status=new,open&limit=50`, one after another) while idle, then `PATCH',
    '/api/v1/calendars/:id` switching the week between 09-17 and 08-18, timed from the PATCH to the',
    '`finished_at` of the last `sla.recompute` job (the bench process watches the job table), with the same',
    'inbox request sent over and over meanwhile; each round checks that every conversation in progress had its',
    'clocks rewritten and that sampled running deadlines moved. The figures are the medians over 3 rounds of',
    'the recompute’s seconds, the inbox p50/p95 while idle and during the recompute, and their ratio (how much',
    'the recompute slows an ordinary request). Jobs: 10,000 due jobs inserted in one statement (stale',
    '`sla.warning` jobs: the handler locks the clock, sees it moved on and does nothing), timed from the insert',
    'to the last one’s `finished_at`; after a 1,000-job warm-up, the median of 3 rounds’ jobs per second.',
    'What limits the recompute (2026-12-06, after the second round of work on it): per conversation in progress',
    'it writes its running clocks (about two) and its next deadline on the conversation, and reads its row,',
    'clocks, customer tier and history; a chunk is one transaction of about ten statements. Profiled',
    '(`BENCH_NODE_ARGS="--cpu-prof"` for Steward; in-process runs of the recompute function alone, 4 parallel',
    "runs, about 9 s for 100k on a quiet machine): the database's largest cost is the update of",
    "`conversations.sla_next_due_at`, about 75 µs a row, because the column is in the inbox's deadline index, so",
    "the update is never HOT and writes a new entry in each of the table's 13 indexes (updating an unindexed",
    'column costs about the same: full pages leave no room for HOT either); the clock upsert is about 10 µs a',
    "clock; the reads about 3 ms per chunk of 700. Steward's side was the query builder (a parameter per id,",
    'whole rows mapped with a date parsed per time) and one realtime push per conversation; both are gone (ids as',
    'one array parameter, only the needed columns, clocks read and written as column arrays with',
    'epoch-millisecond times, one `conversations.changed` push per statement of more than 20), and the worker no',
    'longer waits for the slowest job of its batch of 4 before it claims the next. The figure varies from run to',
    'run on this machine by about ±20 % (8.8 to 14 s per round for the same code in eight runs on 2026-12-06): a',
    "round that follows a checkpoint writes a full-page image of every page it touches (all of the conversations'",
    'heap and index pages), and autovacuum runs during some rounds (70,000 dead rows in `conversations` per',
    'round). Getting well under 10 s needs the deadline sort key out of the `conversations` row (a narrow table',
    'of its own with its own index: the recompute would then not rewrite conversation rows at all), which changes',
    "the inbox's deadline sort; not done. The worker's rate is bounded by its per-poll work (event dispatch,",
    'expiring exhausted jobs, claiming).',
    '',
    ...renderWeb(store.web),
    ...renderDemo(store.demo),
    ...sections.map(renderSection),
    ...keptSections(),
  ].join('\n');
}

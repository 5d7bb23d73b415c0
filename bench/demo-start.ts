/**
 * The first minutes of `npm run demo` on the embedded database (PGlite): how soon Steward answers, and how fast
 * while it replays the demo's history in the background (the matters backfill, 35,000 events). Each round is a
 * fresh data dir and a fresh Steward process with its workers on, as a new user starts it. The backfill's own
 * times are read from its job row once the process has stopped (PGlite's data dir belongs to one process).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { stopChild } from './steward.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export type DemoRound = {
  /** From the process start to "listening" (the demo data is loaded before). */
  listenSeconds: number;
  /** From "listening" to the first answered sign-in. */
  firstAnswerSeconds: number;
  /** The matters backfill job, from queued to finished; null when it had not finished in the window. */
  backfillSeconds: number | null;
  /** Inbox requests (one after another) while the backfill ran, and after it. */
  during: Latencies;
  after: Latencies;
};
export type Latencies = { count: number; p50: number | null; p95: number | null; max: number | null };
export type DemoStart = {
  measuredAt: string;
  windowSeconds: number;
  rounds: DemoRound[];
  /** Medians over the rounds. */
  median: Omit<DemoRound, 'during' | 'after'> & {
    duringP50: number | null;
    duringP95: number | null;
    duringMax: number | null;
    afterP50: number | null;
  };
};

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const median = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length === xs.length ? quantile(v, 0.5) : null;
};
const latencies = (xs: number[]): Latencies => ({
  count: xs.length,
  p50: quantile(xs, 0.5),
  p95: quantile(xs, 0.95),
  max: quantile(xs, 1),
});

function startDemo(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--demo'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      STEWARD_DATA_DIR: dataDir,
      STEWARD_SMTP_PORT: 'off',
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = new Promise<{ url: string; password: string }>((resolve, reject) => {
    let password = '';
    let url = '';
    const timer = setTimeout(() => reject(new Error('the demo did not start in 300 s')), 300_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const pw = /^\s+password:\s+(\S+)/.exec(line);
      if (pw) password = pw[1]!;
      if (line.startsWith('{')) {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg?.startsWith('Steward is listening') && entry.port)
          url = `http://127.0.0.1:${entry.port}`;
      }
      // The sign-in lines come after the listening line.
      if (url && password) {
        clearTimeout(timer);
        resolve({ url, password });
      }
    });
    child.once('exit', (code) => reject(new Error(`the demo exited with ${code}`)));
  });
  return { child, ready };
}

async function timed(url: string, init: RequestInit) {
  const started = performance.now();
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(300_000) });
  await res.arrayBuffer();
  return { res, ms: performance.now() - started, at: Date.now() };
}

async function round(windowSeconds: number, say: (m: string) => void): Promise<DemoRound> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-demo-bench-'));
  try {
    const started = performance.now();
    const { child, ready } = startDemo(dir);
    const samples: { at: number; ms: number }[] = [];
    let listenSeconds: number;
    let firstAnswerSeconds: number;
    try {
      const { url, password } = await ready;
      const listening = performance.now();
      listenSeconds = (listening - started) / 1000;
      const signIn = await timed(`${url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ workspace: 'default', email: 'admin@example.com', password }),
      });
      if (signIn.res.status !== 200) throw new Error(`sign-in: ${signIn.res.status}`);
      firstAnswerSeconds = (performance.now() - listening) / 1000;
      const cookie = (signIn.res.headers.get('set-cookie') ?? '').split(';')[0]!;
      while (performance.now() - listening < windowSeconds * 1000) {
        const r = await timed(`${url}/api/v1/conversations?status=new,open&limit=50`, {
          headers: { cookie },
        });
        if (r.res.status !== 200) throw new Error(`inbox: ${r.res.status}`);
        samples.push({ at: r.at, ms: r.ms });
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } finally {
      await stopChild(child);
    }
    const db = new PGlite(join(dir, 'pglite'));
    const { rows } = await db.query<{ created: number; finished: number | null }>(
      `select extract(epoch from created_at) * 1000 as created, extract(epoch from finished_at) * 1000 as finished
       from jobs where type = 'matters.backfill'`,
    );
    await db.close();
    const job = rows[0];
    const finished = job?.finished === null || job?.finished === undefined ? null : Number(job.finished);
    const during = samples.filter((s) => finished === null || s.at <= finished).map((s) => s.ms);
    const after = samples.filter((s) => finished !== null && s.at > finished).map((s) => s.ms);
    const result: DemoRound = {
      listenSeconds,
      firstAnswerSeconds,
      backfillSeconds: finished === null || !job ? null : (finished - Number(job.created)) / 1000,
      during: latencies(during),
      after: latencies(after),
    };
    say(
      `demo-start: listening after ${listenSeconds.toFixed(1)} s, first answer ${firstAnswerSeconds.toFixed(1)} s later, backfill ${result.backfillSeconds?.toFixed(0) ?? 'unfinished'} s; inbox during p50 ${result.during.p50?.toFixed(0)} ms, p95 ${result.during.p95?.toFixed(0)} ms, max ${result.during.max?.toFixed(0)} ms (${during.length} requests)`,
    );
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureDemoStart(
  rounds: number,
  windowSeconds: number,
  say: (m: string) => void,
): Promise<DemoStart> {
  const all: DemoRound[] = [];
  for (let i = 0; i < rounds; i++) all.push(await round(windowSeconds, say));
  return {
    measuredAt: new Date().toISOString(),
    windowSeconds,
    rounds: all,
    median: {
      listenSeconds: median(all.map((r) => r.listenSeconds))!,
      firstAnswerSeconds: median(all.map((r) => r.firstAnswerSeconds))!,
      backfillSeconds: median(all.map((r) => r.backfillSeconds)),
      duringP50: median(all.map((r) => r.during.p50)),
      duringP95: median(all.map((r) => r.during.p95)),
      duringMax: median(all.map((r) => r.during.max)),
      afterP50: median(all.map((r) => r.after.p50)),
    },
  };
}

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import pg from 'pg';
import { serverUrl } from '../support/database.js';

/**
 * Steward as a real child process (`node --import tsx src/main.ts`), as `npm start` runs it: a clean
 * environment (nothing inherited from the test run's STEWARD_* or DATABASE_URL), PORT=0, info logs.
 */
export type StewardProcess = {
  child: ChildProcess;
  port: number;
  url: string;
  /** Everything written to stdout and stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once a line matching appears on stdout. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

const children = new Set<ChildProcess>();
after(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'steward-proc-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('STEWARD_') && !['DATABASE_URL', 'PORT', 'HOST', 'LOG_LEVEL'].includes(k),
    ),
  );
  return { ...base, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', STEWARD_SMTP_PORT: '0', ...env };
}

/** Spawns Steward; does not wait for it to listen (see `started`). */
export function spawnSteward(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: process.cwd(),
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const line = out.split('\n').find((l) => w.pattern.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    check();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const describe = () => `stdout:\n${out}\nstderr:\n${err}`;
  function waitForLine(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms\n${describe()}`)),
        timeoutMs,
      );
      waiters.push({
        pattern,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
      check();
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`Steward exited (${code ?? signal}) before ${pattern}\n${describe()}`));
      });
    });
  }
  return { child, exited, stdout: () => out, stderr: () => err, waitForLine };
}

/** Spawns Steward and waits for the JSON log line "Steward is listening", which carries the port. */
export async function startStewardProcess(
  env: Record<string, string>,
  args: string[] = [],
): Promise<StewardProcess> {
  const spawned = spawnSteward(env, args);
  const line = await spawned.waitForLine(/"msg":"Steward is listening/);
  const port = (JSON.parse(line) as { port: number }).port;
  if (!Number.isInteger(port) || port <= 0) throw new Error(`no port in ${line}`);
  return { ...spawned, port, url: `http://127.0.0.1:${port}` };
}

/** Sends a signal and waits for the exit. */
export async function stop(
  steward: Pick<StewardProcess, 'child' | 'exited'>,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  steward.child.kill(signal);
  return steward.exited;
}

export async function signIn(
  base: string,
  credentials: { workspace: string; email: string; password: string },
): Promise<{ status: number; cookie: string; csrfToken: string; body: unknown }> {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  const body = (await res.json()) as { csrfToken?: string };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { status: res.status, cookie, csrfToken: body.csrfToken ?? '', body };
}

/** PostgreSQL process tests: skipped without TEST_DATABASE_URL, except with CI=true, where they fail instead. */
const ci = process.env.CI === 'true' || process.env.CI === '1';
export const needsServer = {
  skip: !process.env.TEST_DATABASE_URL && !ci && 'set TEST_DATABASE_URL to run the PostgreSQL process tests',
};

/** An empty database (no migrations: the processes apply them), dropped after the file's tests. */
export async function throwawayDatabase(tag: string): Promise<string> {
  assert.ok(process.env.TEST_DATABASE_URL, 'TEST_DATABASE_URL is required (CI=true)');
  // steward_t_<pid>_… : the runner drops leftovers of crashed runs by this pattern.
  const name = `steward_t_${process.pid}_${tag}${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl('postgres') });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  after(async () => {
    const c = new pg.Client({ connectionString: serverUrl('postgres') });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });
  return serverUrl(name);
}

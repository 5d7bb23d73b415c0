/**
 * The test runner behind `npm test`.
 *
 *   npm test                       static checks, then every suite: PGlite, PostgreSQL (when TEST_DATABASE_URL
 *                                  is set), the process tests, the quality tests (classifiers trained on
 *                                  ../shared/data, once: no database) and the browser suite
 *   npm test -- src/platform/jobs  only the test files whose path contains one of the arguments (no checks)
 *   npm test -- --no-checks        skip biome / tsc / depcruise (they still run in CI)
 *
 * Each pass is `node --test` with the TAP reporter (files passed explicitly: Node 20 expands no globs). Its
 * output streams to the console; its `# pass` / `# fail` summary is added up and the last line is
 * `total: N passed, N failed`. With CI=true nothing may be skipped: a missing PostgreSQL, browser or shared
 * data file fails.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import pg from 'pg';
import { processAlive } from '../src/db/data-dir-lock.js';

const root = process.cwd();
const ci = process.env.CI === 'true' || process.env.CI === '1';
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));
const noChecks = args.includes('--no-checks') || filters.length > 0;
const testDatabaseUrl = process.env.TEST_DATABASE_URL;

type Outcome = {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
  note?: string;
};
const outcomes: Outcome[] = [];

function banner(text: string): void {
  process.stdout.write(`\n=== ${text} ${'='.repeat(Math.max(3, 72 - text.length))}\n`);
}

function findFiles(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(suffix) && !f.split(sep).includes('node_modules'))
    .map((f) => relative(root, join(dir, f)))
    .sort();
}

const matches = (file: string) => filters.length === 0 || filters.some((f) => file.includes(f));
const separate = (file: string) =>
  file.startsWith(`test${sep}e2e${sep}`) ||
  file.startsWith(`test${sep}process${sep}`) ||
  file.startsWith(`test${sep}quality${sep}`);

const suiteFiles = [...findFiles('src', '.test.ts'), ...findFiles('test', '.test.ts')].filter(
  (f) => !separate(f) && matches(f),
);
const processFiles = findFiles(join('test', 'process'), '.test.ts').filter(matches);
// Model quality on the shared real data: no database, so once per run, not once per database.
const qualityFiles = findFiles(join('test', 'quality'), '.test.ts').filter(matches);
const browserFiles = findFiles(join('test', 'e2e'), '.e2e.ts').filter(matches);

/** Runs a command, streaming its output; resolves with the exit code and the output. */
function run(
  command: string,
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  options: { quiet?: boolean } = {},
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, argv, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      if (!options.quiet) stream.write(chunk);
    };
    child.stdout.on('data', collect(process.stdout));
    child.stderr.on('data', collect(process.stderr));
    child.on('error', (err) => {
      output += `\n${err.message}\n`;
      resolve({ code: 127, output });
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

/** The last top-level `# name N` line of a TAP stream. */
function summary(output: string, name: string): number | undefined {
  const all = [...output.matchAll(new RegExp(`^# ${name} (\\d+)\\s*$`, 'gm'))];
  const last = all.at(-1);
  return last ? Number(last[1]) : undefined;
}

async function testPass(
  name: string,
  files: string[],
  env: NodeJS.ProcessEnv,
  concurrency = 2,
): Promise<void> {
  banner(`${name}: ${files.length} file(s)`);
  const started = performance.now();
  const { code, output } = await run(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=tap', `--test-concurrency=${concurrency}`, ...files],
    { ...process.env, ...env },
  );
  const seconds = (performance.now() - started) / 1000;
  const passed = summary(output, 'pass');
  const failed = (summary(output, 'fail') ?? 0) + (summary(output, 'cancelled') ?? 0);
  const skipped = summary(output, 'skipped') ?? 0;
  if (passed === undefined) {
    outcomes.push({ name, passed: 0, failed: 1, skipped, seconds, note: `no TAP summary (exit ${code})` });
  } else if (code !== 0 && failed === 0) {
    outcomes.push({ name, passed, failed: 1, skipped, seconds, note: `exit ${code} with no failed test` });
  } else {
    outcomes.push({ name, passed, failed, skipped, seconds });
  }
}

function skipOrFail(name: string, message: string): void {
  if (ci) {
    process.stdout.write(`\n${name} FAILED (CI=true, nothing may skip): ${message}\n`);
    outcomes.push({ name, passed: 0, failed: 1, skipped: 0, seconds: 0, note: message });
  } else {
    process.stdout.write(`\n${name} SKIPPED: ${message}\n`);
    outcomes.push({ name, passed: 0, failed: 0, skipped: 0, seconds: 0, note: `SKIPPED: ${message}` });
  }
}

async function staticChecks(): Promise<void> {
  banner('static checks: biome, tsc (server, web and widget), depcruise');
  const bin = (name: string) => join(root, 'node_modules', '.bin', name);
  const checks: [string, string, string[]][] = [
    ['biome check', bin('biome'), ['check', '--colors=off', '.']],
    ['tsc --noEmit', bin('tsc'), ['--noEmit', '-p', '.']],
    ['tsc --noEmit (web)', bin('tsc'), ['--noEmit', '-p', 'web']],
    ['tsc --noEmit (widget)', bin('tsc'), ['--noEmit', '-p', 'widget']],
    ['depcruise', bin('depcruise'), ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err']],
  ];
  const started = performance.now();
  // Run side by side, print one after the other: about 7 s instead of 12 s.
  const results = await Promise.all(
    checks.map(([, cmd, argv]) => run(cmd, argv, process.env, { quiet: true })),
  );
  let passed = 0;
  let failed = 0;
  results.forEach(({ code, output }, i) => {
    const label = checks[i]![0];
    if (code === 0) {
      passed++;
      process.stdout.write(`ok - ${label}\n`);
    } else {
      failed++;
      process.stdout.write(`not ok - ${label} (exit ${code})\n${output.trimEnd()}\n`);
    }
  });
  outcomes.push({
    name: 'static checks',
    passed,
    failed,
    skipped: 0,
    seconds: (performance.now() - started) / 1000,
  });
}

/** Test databases of runs that crashed (their process is gone) would pile up: drop them. */
async function dropLeftoverDatabases(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `select datname from pg_database where datname like 'steward\\_t\\_%'`,
    );
    let dropped = 0;
    for (const { datname } of rows) {
      const pid = Number(/^steward_t_(\d+)_/.exec(datname)?.[1]);
      // Another run on this machine (an engineer next door) may be using its databases right now.
      if (Number.isInteger(pid) && processAlive(pid)) continue;
      await client.query(`drop database if exists "${datname}" with (force)`);
      dropped++;
    }
    if (dropped > 0) process.stdout.write(`dropped ${dropped} leftover test database(s)\n`);
  } finally {
    await client.end();
  }
}

async function postgresReachable(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (err) {
    return `PostgreSQL at ${url} is unreachable: ${(err as Error).message}`;
  } finally {
    await client.end().catch(() => {});
  }
}

function chromiumPath(): string | undefined {
  for (const candidate of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return undefined;
}

async function main(): Promise<void> {
  const started = performance.now();
  if (
    filters.length > 0 &&
    suiteFiles.length + processFiles.length + qualityFiles.length + browserFiles.length === 0
  ) {
    process.stdout.write(`no test file matches ${filters.join(', ')}\n`);
  }
  if (!noChecks) await staticChecks();

  if (suiteFiles.length > 0) {
    await testPass('PGlite', suiteFiles, { STEWARD_TEST_DB: 'pglite' });
    if (testDatabaseUrl) {
      const unreachable = await postgresReachable(testDatabaseUrl);
      if (unreachable) {
        process.stdout.write(`\nPostgreSQL pass FAILED: ${unreachable}\n`);
        outcomes.push({
          name: 'PostgreSQL',
          passed: 0,
          failed: 1,
          skipped: 0,
          seconds: 0,
          note: unreachable,
        });
      } else {
        await dropLeftoverDatabases(testDatabaseUrl);
        await testPass('PostgreSQL', suiteFiles, { STEWARD_TEST_DB: 'pg' });
      }
    } else {
      skipOrFail(
        'PostgreSQL pass',
        'set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to run every suite on PostgreSQL too',
      );
    }
  }

  if (processFiles.length > 0) {
    // Each spawns Steward processes (a PGlite boot is ~3 s of CPU): one file at a time per core.
    await testPass('process', processFiles, {}, 2);
  }

  if (qualityFiles.length > 0) {
    // Each trains classifiers on real data (CPU-bound): one file per core. With CI=true missing data fails.
    await testPass('quality', qualityFiles, {}, 2);
  }

  if (browserFiles.length > 0) {
    const chromium = chromiumPath();
    if (chromium) {
      banner('web app build (when its sources changed)');
      const built = await run(process.execPath, ['--import', 'tsx', 'scripts/build-web.ts']);
      if (built.code !== 0)
        outcomes.push({
          name: 'web build',
          passed: 0,
          failed: 1,
          skipped: 0,
          seconds: 0,
          note: 'vite build failed',
        });
      await testPass('browser', browserFiles, { CHROMIUM_PATH: chromium }, 1);
    } else {
      skipOrFail(
        'Browser suite',
        'no Chromium: install it (apt-get install -y chromium) or set CHROMIUM_PATH',
      );
    }
  }

  const passed = outcomes.reduce((n, o) => n + o.passed, 0);
  const failed = outcomes.reduce((n, o) => n + o.failed, 0);
  banner(`summary (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  for (const o of outcomes) {
    const counts = `${o.passed} passed, ${o.failed} failed${o.skipped ? `, ${o.skipped} skipped` : ''}`;
    process.stdout.write(
      `${o.name.padEnd(16)} ${counts.padEnd(36)} ${o.seconds.toFixed(1).padStart(6)} s${o.note ? `  (${o.note})` : ''}\n`,
    );
  }
  process.stdout.write(`total: ${passed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.stdout.write('total: 0 passed, 1 failed\n');
  process.exitCode = 1;
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { after } from 'node:test';
import pino from 'pino';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.js';
import { startSteward } from '../../src/boot.js';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/platform/index.js';
import { createTestDatabase } from '../support/database.js';

/**
 * What every browser test needs: a Steward on its own database listening on a free port, Debian's Chromium,
 * axe-core, and the API as the workspace owner. Closed after the file's tests.
 */
export const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, and quiet: without the background-networking flags Chromium calls out at every start. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const admin = { email: 'ada@example.com', password: 'a long enough password' };

export type E2e = {
  base: string;
  /** The owner's bootstrap token. */
  token: string;
  browser: Browser;
  /** Steward's inbound SMTP port, when started with STEWARD_SMTP_PORT (0: any free port). */
  smtpPort: number | undefined;
  /** The API as the workspace owner (bootstrap token); fails the test on a non-2xx answer. */
  apiCall<T>(method: string, path: string, body?: unknown): Promise<T>;
};

/**
 * `env`: more Steward settings (workers, limits); `web`: build the web app first (default); `clock`: a clock
 * the test moves (jobs due later, such as a follow-up two days after solving).
 */
export async function startE2e(
  options: { env?: Record<string, string>; web?: boolean; clock?: Clock } = {},
): Promise<E2e> {
  if (options.web !== false) await buildWeb({ quiet: true });
  const token = `boot_${randomBytes(24).toString('hex')}`;
  const database = await createTestDatabase();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    STEWARD_WORKERS: 'off',
    LOG_LEVEL: 'silent',
    STEWARD_ADMIN_EMAIL: admin.email,
    STEWARD_ADMIN_PASSWORD: admin.password,
    STEWARD_BOOTSTRAP_TOKEN: token,
    STEWARD_SMTP_PORT: 'off',
    ...options.env,
  });
  const steward = await startSteward(config, pino({ level: 'silent' }), {
    listen: true,
    database,
    clock: options.clock,
  });
  const base = steward.url!;
  const browser = await chromium.launch({ executablePath, args: chromiumArgs });
  after(async () => {
    await browser.close();
    await steward.stop();
    await database.drop();
  });
  mkdirSync('test-results', { recursive: true });
  return {
    base,
    token,
    browser,
    smtpPort: steward.mail?.port,
    async apiCall<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${base}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
      return (res.status === 204 ? undefined : await res.json()) as T;
    },
  };
}

/**
 * Page errors and console errors, collected for a final "nothing went wrong" assertion. `expected`: statuses
 * the page meets on purpose (a 401 before sign-in, a 422 it shows as a form error), which the browser logs too.
 */
export function collectProblems(page: Page, expected: readonly number[] = [401]): string[] {
  const problems: string[] = [];
  const quiet = new RegExp(`status of (${expected.join('|')})`);
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !quiet.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return problems;
}

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page, one line each. */
export async function axe(p: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's CSP (no inline script) rightly refuses a script tag.
  await p.evaluate(axeSource);
  const violations = await p.evaluate(async () => {
    type AxeResults = { violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[] };
    const w = window as unknown as { axe: { run(context: Document): Promise<AxeResults> } };
    const results = await w.axe.run(document);
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: (v.nodes as { target: string[] }[]).map((n) => n.target.join(' ')).join(', '),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes}`);
}

/** Polls `read` until it gives a value (not undefined), or fails after `ms` naming `what`. */
/**
 * The inbox's list once it is the view named `name` and loaded: right after a click on a view, the previous
 * view's rows may still be on screen, then none while the new ones load.
 */
export async function inboxList(page: Page, name: RegExp): Promise<Locator> {
  const list = page.getByRole('region', { name });
  await list.and(page.locator('[aria-busy="false"]')).waitFor();
  return list;
}

export async function until<T>(what: string, read: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until `locator` matches exactly `n` elements (a list that filters or loads re-renders after the input). */
export async function countReaches(locator: Locator, n: number, what: string): Promise<void> {
  let last = -1;
  try {
    await until(
      what,
      async () => {
        last = await locator.count();
        return last === n ? true : undefined;
      },
      10_000,
    );
  } catch {
    throw new Error(`${what}: expected ${n}, found ${last}`);
  }
}

/** A loopback port nobody listens on now (for a Steward whose public URL must be known before it starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BENCH_TOKEN } from './cache.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `smtpPort`: Steward's inbound SMTP server (on a free port). */
export type StewardChild = { pid: number; url: string; smtpPort: number | undefined; stop(): Promise<void> };

/**
 * Starts Steward as its own process (`node --import tsx src/main.ts`, so the pid is the server itself) on a
 * free loopback port, and resolves once it logs that it is listening.
 */
export async function startStewardChild(env: Record<string, string>): Promise<StewardChild> {
  // BENCH_NODE_ARGS: extra Node flags for the measured process (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      STEWARD_BOOTSTRAP_TOKEN: BENCH_TOKEN,
      STEWARD_WORKERS: 'off',
      STEWARD_SMTP_PORT: '0',
      STEWARD_EMAIL_PER_SENDER_PER_HOUR: '100000',
      // The chat benchmark opens 500 visitor sockets from one address.
      STEWARD_CHAT_CONNECTS_PER_MINUTE: '100000',
      // info, not warn: the "listening" line is logged at info; requests log at debug, so nothing per request.
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
      // Last: a benchmark may override the defaults above (STEWARD_WORKERS=on for background work).
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (d: Buffer) => {
    stderr.push(d.toString());
    if (stderr.length > 50) stderr.shift();
  });
  let smtpPort: number | undefined;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Steward did not start in 300 s\n${stderr.join('')}`)),
      300_000,
    );
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number; level?: number };
        if (entry.msg?.startsWith('receiving mail by SMTP') && entry.port) smtpPort = entry.port;
        if (entry.msg?.startsWith('Steward is listening') && entry.port) {
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${entry.port}`);
        } else if ((entry.level ?? 0) >= 40) process.stderr.write(`[steward] ${line}\n`);
      } catch {}
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Steward exited with ${code} before listening\n${stderr.join('')}`));
    });
  });
  return { pid: child.pid!, url, smtpPort, stop: () => stopChild(child) };
}

/** SIGTERM, then SIGKILL after 30 s; resolves once the process has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

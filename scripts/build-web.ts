/**
 * Builds the web app (web/) into web/dist and the chat widget (widget/) into widget/dist/widget.js with Vite,
 * unless they are already built from the same sources.
 *
 *   tsx scripts/build-web.ts             build when stale (postinstall, npm start, the test runner)
 *   tsx scripts/build-web.ts --force     build anyway
 *   tsx scripts/build-web.ts --check     exit 1 when stale, build nothing
 *
 * "The same sources": a SHA-256 of every file under web/ and widget/ but dist, plus package-lock.json (a new React or Vite
 * changes the output), stored in web/dist/.build-hash after a successful build. Hashed assets are also written
 * pre-compressed (.br, .gz) so Steward serves them compressed without compressing on every request.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'web');
const dist = join(web, 'dist');
const hashFile = join(dist, '.build-hash');
const widget = join(root, 'widget');
const widgetDist = join(widget, 'dist');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else out.push(path);
  }
  return out;
}

export function sourceHash(): string {
  const h = createHash('sha256');
  for (const file of [...sourceFiles(web), ...sourceFiles(widget)].sort())
    h.update(relative(root, file)).update('\0').update(readFileSync(file));
  const lock = join(root, 'package-lock.json');
  if (existsSync(lock)) h.update(readFileSync(lock));
  return h.digest('hex');
}

export function isBuilt(hash = sourceHash()): boolean {
  try {
    return (
      readFileSync(hashFile, 'utf8').trim() === hash &&
      existsSync(join(dist, 'index.html')) &&
      existsSync(join(widgetDist, 'widget.js'))
    );
  } catch {
    return false;
  }
}

function precompress(dir: string): void {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (!/\.(js|css|svg|json)$/.test(entry) || statSync(path).size < 1024) continue;
    const data = readFileSync(path);
    writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
    writeFileSync(
      `${path}.br`,
      brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
  }
}

/**
 * The chat widget: one classic script (IIFE, no module loader needed on the host page), minified, with a
 * .gz beside it. Plain TypeScript and DOM: it must stay small (under 50 KB gzipped; it is a few KB).
 */
async function buildWidget(build: typeof import('vite').build, quiet?: boolean): Promise<void> {
  await build({
    configFile: false,
    root: widget,
    logLevel: quiet ? 'warn' : 'info',
    publicDir: false,
    build: {
      outDir: widgetDist,
      emptyOutDir: true,
      target: 'es2019',
      sourcemap: false,
      reportCompressedSize: false,
      lib: {
        entry: join(widget, 'src', 'widget.ts'),
        formats: ['iife'],
        name: 'StewardChat',
        fileName: () => 'widget.js',
      },
    },
  });
  const file = join(widgetDist, 'widget.js');
  writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }));
}

export async function buildWeb(options: { force?: boolean; quiet?: boolean } = {}): Promise<boolean> {
  const hash = sourceHash();
  if (!options.force && isBuilt(hash)) return false;
  const started = performance.now();
  const { build } = await import('vite');
  await build({
    configFile: join(web, 'vite.config.ts'),
    logLevel: options.quiet ? 'warn' : 'info',
  });
  precompress(join(dist, 'assets'));
  await buildWidget(build, options.quiet);
  writeFileSync(hashFile, `${hash}\n`);
  if (!options.quiet)
    process.stdout.write(
      `web app built into web/dist in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  if (args.includes('--check')) {
    const built = isBuilt();
    process.stdout.write(built ? 'web app is up to date\n' : 'web app is missing or stale\n');
    process.exit(built ? 0 : 1);
  }
  buildWeb({ force: args.includes('--force') })
    .then((built) => {
      if (!built) process.stdout.write('web app is up to date (web/dist)\n');
    })
    .catch((err) => {
      console.error('building the web app failed:', err);
      process.exit(1);
    });
}

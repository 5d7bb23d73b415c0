import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildWeb } from '../scripts/build-web.js';

export type WebBundle = {
  /** The JavaScript the first page load needs: index.html's module scripts and module preloads. */
  initialJs: Array<{ file: string; bytes: number; gzipBytes: number }>;
  initialJsGzipBytes: number;
  cssGzipBytes: number;
  targetGzipBytes: number;
  measuredAt: string;
};

/** The target of issue 4: the agent app's initial JavaScript under 250 KB gzip. */
export const WEB_TARGET_GZIP_BYTES = 250 * 1024;

const dist = fileURLToPath(new URL('../web/dist', import.meta.url));

/** Builds the web app when stale, then measures what a first visit downloads (gzip level 9, as served). */
export async function measureWebBundle(): Promise<WebBundle> {
  await buildWeb({ quiet: true });
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const refs = (pattern: RegExp) =>
    [...html.matchAll(pattern)].map((m) => m[1]!).filter((u) => u.startsWith('/'));
  const js = [
    ...refs(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
    ...refs(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ];
  const css = refs(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g);
  const size = (url: string) => {
    const data = readFileSync(join(dist, url));
    return { file: url, bytes: data.length, gzipBytes: gzipSync(data, { level: 9 }).length };
  };
  const initialJs = [...new Set(js)].map(size);
  return {
    initialJs,
    initialJsGzipBytes: initialJs.reduce((n, f) => n + f.gzipBytes, 0),
    cssGzipBytes: css.map(size).reduce((n, f) => n + f.gzipBytes, 0),
    targetGzipBytes: WEB_TARGET_GZIP_BYTES,
    measuredAt: new Date().toISOString(),
  };
}

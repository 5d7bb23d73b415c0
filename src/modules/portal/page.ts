import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/** Every customer-facing page escapes what it shows: text is text, never markup. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A tagged template whose values are escaped; `raw()` marks trusted markup built by this module. */
export type Raw = { __html: string };
export const raw = (html: string): Raw => ({ __html: html });
export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    const piece = Array.isArray(v)
      ? v.map((x) => (isRaw(x) ? x.__html : esc(x))).join('')
      : isRaw(v)
        ? v.__html
        : esc(v);
    out += piece + (strings[i + 1] ?? '');
  });
  return raw(out);
}
const isRaw = (v: unknown): v is Raw => typeof v === 'object' && v !== null && '__html' in v;

const style = `
*{box-sizing:border-box}body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2933;background:#f5f7fa;margin:0}
main{max-width:42rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.embed main{margin:0;box-shadow:none;border-radius:0;max-width:none}
h1{font-size:1.5rem;margin:0 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
label{display:block;font-weight:600;margin:.9rem 0 .25rem}
input[type=text],input[type=email],input[type=tel],textarea{width:100%;padding:.55rem;border:1px solid #7b8794;border-radius:4px;font:inherit}
textarea{min-height:8rem}input:focus,textarea:focus,button:focus,a:focus{outline:3px solid #2563eb;outline-offset:1px}
button{margin-top:1rem;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#1d4ed8;color:#fff;font:inherit;cursor:pointer}
button.link{background:none;color:#1d4ed8;padding:0;margin:0;text-decoration:underline}
.hint{color:#52606d;font-size:.9rem}.notice{padding:.75rem 1rem;background:#e3f8e8;border-left:4px solid #15803d;margin:1rem 0}
.error{padding:.75rem 1rem;background:#fde8e8;border-left:4px solid #b91c1c;margin:1rem 0}
.trap{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.msg{border:1px solid #d9e2ec;border-radius:6px;padding:.75rem;margin:.75rem 0;white-space:pre-wrap;overflow-wrap:anywhere}
.msg.outbound{background:#eff6ff}.meta{color:#52606d;font-size:.85rem;margin-bottom:.25rem}
ul.list{list-style:none;padding:0}ul.list li{padding:.6rem 0;border-bottom:1px solid #e4e7eb}
header.bar{display:flex;justify-content:space-between;align-items:center;gap:1rem}
`;
const styleHash = createHash('sha256').update(style).digest('base64');

/**
 * Strict headers for every public page: no script but our own files, the page's one stylesheet by its hash,
 * forms posting only to Steward, framing only by the sites a form allows.
 */
export function sendPage(
  reply: FastifyReply,
  page: {
    title: string;
    body: Raw;
    lang?: string;
    status?: number;
    /** Origins that may frame the page (the embeddable form); none: no framing at all. */
    frameAncestors?: string[];
    embed?: boolean;
    script?: string;
  },
): FastifyReply {
  const ancestors = page.frameAncestors?.length ? page.frameAncestors.join(' ') : "'none'";
  reply.header(
    'content-security-policy',
    [
      "default-src 'none'",
      page.script ? "script-src 'self'" : "script-src 'none'",
      `style-src 'sha256-${styleHash}'`,
      "img-src 'self' data:",
      "form-action 'self'",
      "base-uri 'none'",
      `frame-ancestors ${ancestors}`,
    ].join('; '),
  );
  if (!page.frameAncestors?.length) reply.header('x-frame-options', 'DENY');
  reply.header('x-content-type-options', 'nosniff');
  // Not no-referrer: with it, browsers send `Origin: null` on the page's own form posts.
  reply.header('referrer-policy', 'same-origin');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
  reply.header('cache-control', 'no-store');
  reply.type('text/html; charset=utf-8');
  const doc = html`<!doctype html>
<html lang="${page.lang ?? 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${page.title}</title><style>${raw(style)}</style>
${page.script ? html`<script src="${page.script}" defer></script>` : raw('')}</head>
<body class="${page.embed ? 'embed' : ''}"><main>${page.body}</main></body></html>`;
  return reply.status(page.status ?? 200).send(doc.__html);
}

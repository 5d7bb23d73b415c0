import { fileTypeFromBuffer } from 'file-type';

/**
 * What a file is, judged from its first bytes (file-type's signatures, then a look at text), never from the
 * sender's claim or the file name: a page of HTML named `cat.png` and sent as image/png is text/html here.
 */
export async function sniffContentType(head: Buffer): Promise<string> {
  if (head.length === 0) return 'application/octet-stream';
  const detected = await fileTypeFromBuffer(head);
  // XML is judged below with the other text: SVG is XML that runs script.
  if (detected && !detected.mime.endsWith('/xml')) return detected.mime;
  const text = asText(head);
  if (text === undefined) return 'application/octet-stream';
  const start = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (/<svg[\s>]/.test(start)) return 'image/svg+xml';
  if (
    /<(!doctype html|html|head|body|script|iframe|object|embed|meta|style|a\s|img\s|form|frameset)[\s>/]/.test(
      start,
    )
  )
    return 'text/html';
  if (start.startsWith('<?xml')) return 'application/xml';
  return 'text/plain';
}

/** The head as text when it is UTF-8 without control characters (a multi-byte character may be cut at the end). */
function asText(head: Buffer): string | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let cut = 0; cut <= 3 && cut < head.length; cut++) {
    try {
      const text = decoder.decode(head.subarray(0, head.length - cut));
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
      return /[\u0000-\u0008\u000B\u000E-\u001F\u007F]/.test(text) ? undefined : text;
    } catch {}
  }
  return undefined;
}

/**
 * Types a browser may show in the page: raster images and plain text. Everything else is a download:
 * HTML, SVG and XML can run script; PDF viewers run JavaScript and forms (a download is the safe default);
 * anything unknown is unknown.
 */
const INLINE_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'text/plain',
]);

export function dispositionOf(contentType: string): 'inline' | 'attachment' {
  return INLINE_TYPES.has(contentType) ? 'inline' : 'attachment';
}

/** What the Content-Type header says: text gets its charset; the rest as sniffed. */
export function servedType(contentType: string): string {
  return contentType.startsWith('text/') ? `${contentType}; charset=utf-8` : contentType;
}

/**
 * A file name safe to store and to send: no directories, no control characters, at most 200 characters.
 */
export function safeFilename(raw: string | undefined): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const clean = base
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    .replace(/[\u0000-\u001F\u007F-\u009F]/g, '')
    .replace(/^[.\s]+/, '')
    .trim();
  const limited = Array.from(clean).slice(0, 200).join('');
  return limited === '' ? 'file' : limited;
}

/** `attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded` (RFC 6266 / RFC 5987). */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7E]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

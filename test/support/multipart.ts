import { Readable } from 'node:stream';

/** A multipart/form-data body with one file part, as a browser sends it; the content may be a stream. */
export function multipartBody(
  file: { filename: string; contentType?: string; content: Buffer | string | AsyncIterable<Buffer> },
  field = 'file',
): { headers: Record<string, string>; payload: Readable } {
  const boundary = `----steward${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${file.filename.replace(/"/g, '%22')}"\r\n` +
      `Content-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const content = file.content;
  async function* parts() {
    yield head;
    if (typeof content === 'string' || Buffer.isBuffer(content)) yield Buffer.from(content);
    else for await (const piece of content) yield piece;
    yield tail;
  }
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Readable.from(parts(), { objectMode: false }),
  };
}

/** `size` bytes of a repeating pattern, produced piece by piece (never whole in memory). */
export async function* generatedBytes(size: number, pieceSize = 64 * 1024): AsyncIterable<Buffer> {
  const piece = Buffer.alloc(pieceSize);
  for (let i = 0; i < pieceSize; i++) piece[i] = (i * 31 + 7) & 0xff;
  let left = size;
  while (left > 0) {
    const n = Math.min(left, pieceSize);
    yield n === pieceSize ? Buffer.from(piece) : piece.subarray(0, n);
    left -= n;
  }
}

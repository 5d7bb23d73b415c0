import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { addressRefusal, checkWebhookUrl, type UrlPolicy } from './url-policy.js';

export const REQUEST_TIMEOUT_MS = 10_000;
/** How much of a response body is kept in the delivery log. */
export const RESPONSE_BODY_LIMIT = 4096;

export type SendOutcome = {
  ok: boolean;
  statusCode: number | null;
  responseBody: string | null;
  error: string | null;
  durationMs: number;
};

function resolveAll(host: string): Promise<LookupAddress[]> {
  if (isIP(host)) return Promise.resolve([{ address: host, family: isIP(host) }]);
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );
}

/**
 * Resolves the host, refuses it when any of its addresses is one the policy forbids (a name pointing at
 * 127.0.0.1 or 169.254.169.254), then connects to the vetted address itself: a second DNS answer (rebinding)
 * can't slip another address in between the check and the connection.
 */
async function vettedAddress(host: string, policy: UrlPolicy): Promise<LookupAddress> {
  let addresses: LookupAddress[];
  try {
    addresses = await resolveAll(host);
  } catch (err) {
    throw new Error(`Could not resolve ${host}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (addresses.length === 0) throw new Error(`Could not resolve ${host}`);
  for (const a of addresses) {
    const refusal = addressRefusal(a.address, policy);
    if (refusal) throw new Error(`Refused: ${host} resolves to ${refusal}`);
  }
  return addresses[0]!;
}

/**
 * One POST of a signed body. Never throws: every outcome (2xx, another status, a refused address, a network
 * error, the 10-second timeout) comes back as a value for the delivery log. Redirects are not followed.
 */
export async function sendSigned(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  policy: UrlPolicy,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<SendOutcome> {
  const started = performance.now();
  const done = (o: Omit<SendOutcome, 'durationMs'>): SendOutcome => ({
    ...o,
    durationMs: Math.round(performance.now() - started),
  });
  try {
    const checked = checkWebhookUrl(rawUrl, policy);
    if (!checked.ok) throw new Error(`Refused: ${checked.message}`);
    const url = new URL(checked.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const address = await vettedAddress(host, policy);
    const client = url.protocol === 'https:' ? https : http;
    const result = await new Promise<{ statusCode: number; responseBody: string }>((resolve, reject) => {
      const req = client.request(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
          signal: AbortSignal.timeout(timeoutMs),
          agent: false,
          lookup: ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
            if (options.all) callback(null, [address]);
            else callback(null, address.address, address.family);
          }) as never,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const finish = () =>
            resolve({
              statusCode: res.statusCode ?? 0,
              // PostgreSQL text can't hold NUL: a receiver's binary answer is logged without them.
              responseBody: Buffer.concat(chunks)
                .subarray(0, RESPONSE_BODY_LIMIT)
                .toString('utf8')
                .replaceAll('\u0000', ''),
            });
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            size += chunk.length;
            // Enough for the log: stop reading a large response.
            if (size >= RESPONSE_BODY_LIMIT) {
              finish();
              res.destroy();
            }
          });
          res.on('end', finish);
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    const ok = result.statusCode >= 200 && result.statusCode < 300;
    return done({
      ok,
      statusCode: result.statusCode,
      responseBody: result.responseBody,
      error: ok ? null : `The receiver answered ${result.statusCode}`,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const message =
      e.name === 'TimeoutError' || e.name === 'AbortError'
        ? `No answer within ${Math.round(timeoutMs / 1000)} s`
        : e.code && !e.message.includes(e.code)
          ? `${e.code}: ${e.message}`
          : e.message || String(err);
    return done({
      ok: false,
      statusCode: null,
      responseBody: null,
      error: message.replaceAll('\u0000', '').slice(0, 1000),
    });
  }
}

/**
 * A working SMS bridge for Steward, small enough to read in one go and adapt to your SMS provider.
 *
 *   STEWARD_URL=http://localhost:3000 BRIDGE_ID=1 BRIDGE_SECRET=brs_… PORT=4000 \
 *     SMS_PROVIDER_URL=https://sms.example/send node --import tsx examples/sms-bridge.ts
 *
 * 1. Your provider calls  POST /provider/incoming  {"from": "+4915112345678", "text": "…", "id": "…"}
 *    for each SMS a customer sends; the bridge signs it and posts it to Steward (which answers only after
 *    storing it, and stores a message once however often it is posted).
 * 2. Steward calls  POST /steward/replies  (the bridge's reply URL) with each agent reply, signed; the bridge
 *    checks the signature and hands the text to the provider (SMS_PROVIDER_URL, or the log without one).
 *    A non-2xx answer makes Steward retry, and after the last try the reply shows as "not sent".
 *
 * Signatures both ways: `Steward-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const stewardUrl = need('STEWARD_URL');
const bridgeId = need('BRIDGE_ID');
const secret = need('BRIDGE_SECRET');
const port = Number(process.env.PORT ?? 4000);
const providerUrl = process.env.SMS_PROVIDER_URL;

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
}

const sign = (body: string, t = Math.floor(Date.now() / 1000)) =>
  `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;

function verified(header: string | undefined, body: string): boolean {
  const parts = (header ?? '').split(',');
  const t = Number(parts.find((p) => p.startsWith('t='))?.slice(2));
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  return parts
    .filter((p) => p.startsWith('v1='))
    .some((p) => {
      const got = Buffer.from(p.slice(3));
      return got.length === expected.length && timingSafeEqual(got, expected);
    });
}

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function answer(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** An SMS from a customer, as the provider reports it, into Steward. */
async function incoming(body: string, res: ServerResponse) {
  const sms = JSON.parse(body) as { from: string; text: string; id: string; name?: string };
  const payload = JSON.stringify({
    externalId: sms.id,
    sender: { id: sms.from, ...(sms.name ? { name: sms.name } : {}) },
    text: sms.text,
  });
  const stored = await fetch(`${stewardUrl}/api/v1/messaging-bridges/${bridgeId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'steward-signature': sign(payload) },
    body: payload,
  });
  // Not stored (Steward down, a 5xx): tell the provider to retry later rather than lose the SMS.
  answer(res, stored.ok ? 200 : 502, await stored.json().catch(() => ({})));
}

/** An agent's reply from Steward, out as an SMS. */
async function reply(req: IncomingMessage, body: string, res: ServerResponse) {
  if (!verified(req.headers['steward-signature'] as string | undefined, body))
    return answer(res, 401, { error: 'bad signature' });
  const call = JSON.parse(body) as { type: string; data: { to: string; text: string; messageId: number } };
  if (call.type !== 'message.reply') return answer(res, 200, { ignored: call.type });
  if (providerUrl) {
    const sent = await fetch(providerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: call.data.to, text: call.data.text, reference: call.data.messageId }),
    });
    if (!sent.ok) return answer(res, 502, { error: `provider answered ${sent.status}` });
  } else {
    console.log(`SMS to ${call.data.to}: ${call.data.text}`);
  }
  answer(res, 200, { sent: true });
}

createServer((req, res) => {
  read(req)
    .then((body) => {
      if (req.method === 'POST' && req.url === '/provider/incoming') return incoming(body, res);
      if (req.method === 'POST' && req.url === '/steward/replies') return reply(req, body, res);
      answer(res, 404, { error: 'not found' });
    })
    .catch((err: unknown) => answer(res, 500, { error: String(err) }));
}).listen(port, '127.0.0.1', () => console.log(`sms bridge listening on port ${port}`));

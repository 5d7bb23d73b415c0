import WebSocket from 'ws';
import type { Benchmark, Figure } from './benchmarks.js';
import { BENCH_TOKEN } from './cache.js';

/**
 * Live chat, the figure: 500 visitors chatting at once, each sending one message every 5 s for 60 s,
 * watched by 20 agent sockets (`/api/v1/stream`). Latency is customer-to-agent delivery: from the visitor's
 * frame leaving this process to each agent socket receiving that message's `message.created` (so visitor
 * socket, intake commit, NOTIFY and the hub's fan-out, over loopback). Every (message, agent socket) pair is
 * one sample; p50, p95 and p99 over all of them. One round (it is 60 s long and already 120,000 samples).
 */
// BENCH_CHAT_VISITORS and BENCH_CHAT_SECONDS shrink it for a quick check of the benchmark itself.
const VISITORS = Number(process.env.BENCH_CHAT_VISITORS ?? 500);
const AGENTS = 20;
const EVERY_MS = 5_000;
const DURATION_MS = Number(process.env.BENCH_CHAT_SECONDS ?? 60) * 1000;

type Frame = { type: string; [k: string]: unknown };

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`handshake refused: ${res.statusCode}`)),
    );
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export const chat: Benchmark = async (ctx) => {
  const ws = ctx.url.replace(/^http/, 'ws');
  const widget = await ctx.client.json<{ publicKey: string }>('POST', '/api/v1/chat-widgets', {
    name: `Bench ${Date.now()}`,
  });

  // Agents first: every message.created of the workspace reaches each of them.
  const received = new Map<number, number[]>(); // messageId → receive times (one per agent socket)
  const agents: WebSocket[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const socket = await open(`${ws}/api/v1/stream`, { authorization: `Bearer ${BENCH_TOKEN}` });
    socket.on('message', (raw) => {
      const at = performance.now();
      const frame = JSON.parse(String(raw)) as Frame & { data?: { messageId?: number; direction?: string } };
      if (frame.type !== 'message.created' || frame.data?.direction !== 'inbound') return;
      const id = frame.data.messageId!;
      const list = received.get(id);
      if (list) list.push(at);
      else received.set(id, [at]);
    });
    agents.push(socket);
  }

  // Visitors: connected, greeted and with their conversation started before the clock runs.
  const sentAt = new Map<string, number>(); // clientId → send time
  const idOf = new Map<string, number>(); // clientId → message id (from the ack)
  const ackedAt = new Map<string, number>(); // clientId → when its ack arrived
  let refused = 0;
  const visitors: WebSocket[] = [];
  for (let i = 0; i < VISITORS; i++) {
    const socket = await open(`${ws}/api/v1/chat/socket?key=${widget.publicKey}`);
    const greeted = new Promise<void>((resolve) => {
      socket.on('message', (raw) => {
        const f = JSON.parse(String(raw)) as Frame;
        if (f.type === 'synced') resolve();
        else if (f.type === 'ack') {
          idOf.set(String(f.clientId), Number(f.id));
          ackedAt.set(String(f.clientId), performance.now());
        } else if (f.type === 'error') refused++;
      });
    });
    socket.send(JSON.stringify({ type: 'hello' }));
    await greeted;
    visitors.push(socket);
  }
  // Two warm-up messages each: the first starts the conversation, the second takes the path measured below.
  for (const round of [0, 1]) {
    for (const [i, socket] of visitors.entries())
      socket.send(
        JSON.stringify({
          type: 'message',
          clientId: `warm-${round}-${i}`,
          text: `Hello ${round}, visitor ${i}`,
        }),
      );
    const until = Date.now() + 30_000;
    while (idOf.size < VISITORS * (round + 1) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
  }
  idOf.clear();
  received.clear();

  // The measured minute: each visitor on its own 5 s rhythm, starting at a random point in the first period.
  const stopCpu = ctx.startCpu();
  const t0 = performance.now();
  const timers: NodeJS.Timeout[] = [];
  let n = 0;
  for (const [i, socket] of visitors.entries()) {
    const offset = Math.random() * EVERY_MS;
    const send = () => {
      if (performance.now() - t0 >= DURATION_MS) return;
      const clientId = `v${i}-${n++}`;
      sentAt.set(clientId, performance.now());
      socket.send(
        JSON.stringify({ type: 'message', clientId, text: `Message ${clientId}: where is my order?` }),
      );
      timers.push(setTimeout(send, EVERY_MS));
    };
    timers.push(setTimeout(send, offset));
  }
  await new Promise((r) => setTimeout(r, DURATION_MS + 3_000));
  for (const t of timers) clearTimeout(t);
  const cpu = stopCpu();

  const samples: number[] = [];
  const debug: Array<[number, number, number]> = [];
  let lost = 0;
  for (const [clientId, at] of sentAt) {
    const id = idOf.get(clientId);
    const times = id === undefined ? undefined : received.get(id);
    if (!times) {
      lost += AGENTS;
      continue;
    }
    lost += AGENTS - times.length;
    for (const r of times) samples.push(r - at);
    if (process.env.BENCH_CHAT_DEBUG) debug.push([at - t0, Math.max(...times) - at, Math.min(...times) - at]);
  }
  for (const s of [...agents, ...visitors]) s.terminate();
  samples.sort((a, b) => a - b);
  // The visitor's acknowledgement comes after the commit: its latency is the intake's share of the delivery.
  const acks = [...sentAt].flatMap(([id, at]) => (ackedAt.has(id) ? [ackedAt.get(id)! - at] : []));
  acks.sort((a, b) => a - b);
  if (process.env.BENCH_CHAT_DEBUG) {
    debug.sort((a, b) => b[1] - a[1]);
    process.stderr.write(`${JSON.stringify(debug.slice(0, 40).map((d) => d.map((x) => Math.round(x))))}\n`);
  }
  const p50 = percentile(samples, 50);
  const p95 = percentile(samples, 95);
  const p99 = percentile(samples, 99);
  const figure: Figure = {
    id: 'chat-delivery-p99',
    benchmark: 'chat',
    label: 'chat, customer-to-agent delivery p99',
    unit: 'ms',
    value: p99,
    p50,
    p95,
    repeats: [p99],
    detail: `${VISITORS} visitor sockets × 1 message / ${EVERY_MS / 1000} s for ${DURATION_MS / 1000} s (${sentAt.size.toLocaleString('en')} messages), ${AGENTS} agent sockets; ${samples.length.toLocaleString('en')} deliveries, p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${samples.at(-1)?.toFixed(1)} ms; the visitor's acknowledgement (after commit) p50 ${percentile(acks, 50).toFixed(1)} ms, p99 ${percentile(acks, 99).toFixed(1)} ms; ${lost} deliveries missing, ${refused} refused frames`,
    target: ctx.db === 'pg' ? { op: '<', value: 50, text: '< 50 ms' } : undefined,
    cpu,
    measuredAt: new Date().toISOString(),
  };
  return { figures: [figure] };
};

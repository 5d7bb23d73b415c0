import { z } from 'zod';
import type { ChatLine } from './chat.repo.js';
import type { Availability } from './visitors.service.js';

/**
 * The visitor socket's frames, JSON both ways. A client says `hello` first (its visitor id and token from
 * localStorage, and the last message id it has seen); then `message` (with its own client id: resent until
 * acknowledged, stored once), `typing` and `identify`. The server answers `welcome`, then `messages` (the
 * history after the last seen id, then each new message as it is committed), `ack` for each stored message,
 * `typing` (an agent types), `identified`, `availability` (again whenever an agent of the workspace comes
 * online or leaves) and `error` (the socket stays open).
 */
export const MAX_TEXT = 4000;

export const clientFrame = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('hello'),
    visitorId: z.string().max(64).optional(),
    token: z.string().max(128).optional(),
    lastSeenId: z.number().int().min(0).optional(),
  }),
  z.strictObject({
    type: z.literal('message'),
    clientId: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _'),
    text: z.string().trim().min(1).max(MAX_TEXT),
  }),
  z.strictObject({ type: z.literal('typing'), typing: z.boolean() }),
  z.strictObject({
    type: z.literal('identify'),
    name: z.string().trim().max(200).optional(),
    email: z.string().trim().max(254).email().optional(),
  }),
  z.strictObject({ type: z.literal('ping') }),
]);
export type ClientFrame = z.infer<typeof clientFrame>;

/** A message as the visitor sees it: theirs (`visitor`, with their client id) or the company's (`agent`). */
export type WireMessage = {
  id: number;
  from: 'visitor' | 'agent';
  text: string;
  at: string;
  clientId?: string;
};

export function wireMessage(line: ChatLine, visitorPublicId: string): WireMessage {
  const prefix = `${visitorPublicId}:`;
  const out: WireMessage = {
    id: line.id,
    from: line.direction === 'inbound' ? 'visitor' : 'agent',
    text: line.text,
    at: line.createdAt.toISOString(),
  };
  if (line.externalId?.startsWith(prefix)) out.clientId = line.externalId.slice(prefix.length);
  return out;
}

export function wireAvailability(a: Availability) {
  return a.open
    ? { open: true }
    : { open: false, reason: a.reason, nextOpenAt: a.nextOpenAt ? a.nextOpenAt.toISOString() : null };
}

/** Parses a frame; the error names what is wrong, for the `error` frame. */
export function parseFrame(raw: string): { ok: true; frame: ClientFrame } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'A frame is one JSON object' };
  }
  const parsed = clientFrame.safeParse(json);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `${issue?.path.join('.') || 'frame'}: ${issue?.message ?? 'invalid'}` };
}

/** A token bucket: `burst` at once, refilled at `perSecond`. */
export class Bucket {
  private tokens: number;
  private at: number;
  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
  ) {
    this.tokens = burst;
    this.at = Date.now();
  }
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * At most `max` mails per sender and workspace in a sliding `windowMs`: a runaway sender (or an auto-reply
 * loop we could not recognise) is slowed down with a temporary refusal, which real mail servers retry later.
 * Per process: with N processes a sender gets N times the allowance, which is still a bound.
 */
export type SenderLimit = { allow(key: string, now: number): boolean };

export function createSenderLimit(max: number, windowMs: number): SenderLimit {
  const seen = new Map<string, number[]>();
  let sweptAt = 0;
  return {
    allow(key, now) {
      if (now - sweptAt > windowMs) {
        for (const [k, times] of seen) if ((times.at(-1) ?? 0) <= now - windowMs) seen.delete(k);
        sweptAt = now;
      }
      const times = (seen.get(key) ?? []).filter((t) => t > now - windowMs);
      if (times.length >= max) {
        seen.set(key, times);
        return false;
      }
      times.push(now);
      seen.set(key, times);
      return true;
    },
  };
}

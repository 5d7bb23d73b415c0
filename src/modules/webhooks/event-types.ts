/**
 * Which events a subscription receives. A pattern is `*` (everything), an exact type
 * (`conversation.solved`) or a prefix (`conversation.*`: every type that starts with `conversation.`).
 * `webhook.*` events (the webhooks' own bookkeeping) are never delivered, so a subscription can't feed itself.
 */
export const eventTypePattern = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/;

export const isOwnBookkeeping = (type: string) => type.startsWith('webhook.');

export function matchesEventType(patterns: readonly string[], type: string): boolean {
  if (isOwnBookkeeping(type)) return false;
  return patterns.some((p) => {
    if (p === '*') return true;
    if (p.endsWith('.*')) return type.startsWith(p.slice(0, -1));
    return p === type;
  });
}

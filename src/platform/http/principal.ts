/**
 * Who is calling. Built by the authentication hook (people module) from a session cookie or an API token;
 * `permissions` is already the intersection of the person's role and, for a token, its scopes.
 */
export type Principal = {
  workspaceId: number;
  personId: number;
  role: string;
  via: 'session' | 'token';
  tokenId?: number;
  sessionId?: number;
  permissions: ReadonlySet<string>;
};

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** The permission a route needs (`conversations.write`). Every /api/v1 route declares one, or `public`. */
    action?: string;
    /** Reachable without signing in (sign-in itself, the OpenAPI document). */
    public?: boolean;
  }
}

/** The principal of an authenticated route; the auth hook guarantees it exists there. */
export function principalOf(request: { principal?: Principal }): Principal {
  if (!request.principal) throw new Error('route reached without a principal: auth hook missing');
  return request.principal;
}

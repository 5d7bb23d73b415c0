/**
 * The app's only way to the server: same-origin /api/v1 with the session cookie, and the session's CSRF token
 * on every write (the API refuses a signed-in write without it).
 */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The API's `error.details` (a 422's problems, a CSV import's row errors), when it sent any. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** What people read when something fails: plain words, and what to do next. */
const friendly: Record<string, string> = {
  UNAUTHENTICATED: 'You are signed out. Sign in again to continue.',
  INVALID_CREDENTIALS: 'That workspace, e-mail address and password do not match. Check them and try again.',
  CSRF_FAILED: 'Your session changed in another tab. Reload the page and try again.',
  FORBIDDEN: 'Your role does not allow this. Ask an admin if you need it.',
  RATE_LIMITED: 'Too many attempts in a short time. Wait a minute and try again.',
  INTERNAL: 'Something went wrong on the server. Try again; if it keeps happening, tell your admin.',
  NETWORK: 'Steward cannot be reached. Check your connection; the page retries by itself.',
};

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return friendly[error.code] ?? error.message;
  return friendly.NETWORK!;
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  /** keepalive: the request outlives the page (a small body only: browsers cap it at 64 KB). */
  options: { keepalive?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      keepalive: options.keepalive,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', friendly.NETWORK!);
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as {
    error?: { code: string; message: string; details?: unknown };
  } | null;
  if (!res.ok) {
    const code = data?.error?.code ?? `HTTP_${res.status}`;
    const message = data?.error?.message ?? `The server answered ${res.status}`;
    throw new ApiError(res.status, code, message, data?.error?.details);
  }
  return data as T;
}

/** Builds a query string, leaving out empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

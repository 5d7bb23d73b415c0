import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { ApiError, api, setCsrfToken } from '../../api/client';
import type { Person, Session } from '../../api/types';

/** Who is signed in: null when nobody is (GET /session answers 401). */
export function useSessionQuery() {
  return useQuery({
    queryKey: ['session'],
    queryFn: async (): Promise<Session | null> => {
      try {
        const session = await api<Session>('GET', '/session');
        setCsrfToken(session.csrfToken);
        return session;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
    retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 3,
  });
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}

export const can = (session: Session, permission: string) => session.permissions.includes(permission);

export function useSignOut() {
  const client = useQueryClient();
  return async () => {
    await api('DELETE', '/session').catch(() => {});
    setCsrfToken(null);
    // Not client.clear(): the session query's observer would keep watching a query no longer in the cache.
    client.setQueryData(['session'], null);
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
  };
}

/** Everyone in the workspace, for names of assignees and authors. */
export function usePeople() {
  return useQuery({
    queryKey: ['people'],
    queryFn: () => api<{ items: Person[] }>('GET', '/people?limit=500'),
    staleTime: 5 * 60_000,
  });
}

export function usePersonName(): (id: number | null) => string | undefined {
  const people = usePeople();
  return (id) => (id === null ? undefined : people.data?.items.find((p) => p.id === id)?.name);
}

/** The workspace's teams, for pickers and names (agents may read them). */
export function useTeams() {
  return useQuery({
    queryKey: ['teams'],
    queryFn: () => api<{ items: Array<{ id: number; name: string; memberIds: number[] }> }>('GET', '/teams'),
    staleTime: 5 * 60_000,
  });
}

export function useTeamName(): (id: number | null) => string | undefined {
  const teams = useTeams();
  return (id) => (id === null ? undefined : teams.data?.items.find((t) => t.id === id)?.name);
}

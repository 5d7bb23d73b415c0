import type { ConversationFilter } from './inbox-list.repo.js';

/**
 * The inbox's built-in views as list filters, for their counts (the web app asks GET /conversations with the
 * same filters: web/src/features/inbox/views.ts).
 */
export const builtInViews = {
  mine: (me: number): ConversationFilter => ({
    statuses: ['new', 'open', 'pending', 'on_hold'],
    assigneeId: me,
  }),
  unassigned: (): ConversationFilter => ({ statuses: ['new', 'open'], assigneeId: 'none' }),
  myTeams: (_me: number, teamIds: number[]): ConversationFilter => ({
    statuses: ['new', 'open', 'pending', 'on_hold'],
    teamIds,
  }),
  open: (): ConversationFilter => ({ statuses: ['new', 'open'] }),
  pending: (): ConversationFilter => ({ statuses: ['pending', 'on_hold'] }),
  solved: (): ConversationFilter => ({ statuses: ['solved'] }),
  distressed: (): ConversationFilter => ({
    statuses: ['new', 'open', 'pending', 'on_hold'],
    distressed: true,
  }),
  /** Conversations a person said no contact reason fits, whatever their status: problems the taxonomy lacks. */
  noneFits: (): ConversationFilter => ({ contactReasonId: 'none_fits' }),
} as const;

export type BuiltInView = keyof typeof builtInViews;

/** Counts stop here: "1000+" says enough, and the count costs the same at any size. */
export const COUNT_CAP = 1000;

/** The most conversations one bulk change touches. */
export const BULK_LIMIT = 100;

import type { InboxSort } from '../../api/views';

export type InboxView = {
  id: string;
  label: string;
  /** Query of GET /conversations for this view; `me` is the signed-in person's id. */
  query: (me: number) => Record<string, string | number>;
  empty: string;
  /** The view's own sort, unless the person picks another. */
  sort?: InboxSort;
};

export const inboxViews: InboxView[] = [
  {
    id: 'mine',
    label: 'Mine',
    query: (me) => ({ status: 'new,open,pending,on_hold', assigneeId: me }),
    empty: 'Nothing is assigned to you right now. Take one from Unassigned, or enjoy the quiet.',
  },
  {
    id: 'unassigned',
    label: 'Unassigned',
    query: () => ({ status: 'new,open', assigneeId: 'none' }),
    empty: 'Every open conversation has someone looking after it.',
  },
  {
    id: 'myTeams',
    label: 'My teams',
    query: () => ({ status: 'new,open,pending,on_hold', teamId: 'mine' }),
    empty:
      'Nothing is waiting in your teams, or you are in no team yet (an admin adds you under Admin → Teams).',
  },
  {
    id: 'open',
    label: 'All open',
    query: () => ({ status: 'new,open' }),
    empty: 'No open conversations. New messages from customers will appear here as they arrive.',
  },
  {
    id: 'pending',
    label: 'Pending',
    query: () => ({ status: 'pending,on_hold' }),
    empty: 'No conversation is waiting for the customer or on hold.',
  },
  {
    id: 'distressed',
    label: 'Distressed',
    query: () => ({ status: 'new,open,pending,on_hold', distressed: 'true' }),
    sort: 'distress',
    empty:
      'No customer in an open conversation sounds angry, urgent, ready to leave, or tired of asking again.',
  },
  {
    id: 'solved',
    label: 'Solved',
    query: () => ({ status: 'solved' }),
    empty: 'Nothing solved yet in the last days.',
  },
  {
    id: 'noneFits',
    label: 'No reason fits',
    query: () => ({ contactReasonId: 'none_fits' }),
    empty:
      'No conversation was marked “none of these”. When a customer asks about something no contact reason covers, mark it so: they gather here, for the taxonomy to grow.',
  },
];

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type EventFacts, MAX_RECIPIENTS, recipientsOf } from './recipients.js';

const event = (over: Partial<EventFacts>): EventFacts => ({
  type: 'conversation.assigned',
  entityType: 'conversation',
  entityId: 12,
  actorType: 'person',
  actorId: 1,
  data: {},
  ...over,
});
const who = (e: EventFacts) => recipientsOf(e).map((r) => [r.personId, r.kind]);

describe('recipients of an event', () => {
  const table: Array<[string, EventFacts, Array<[number, string]>]> = [
    [
      'assigned to someone else: the new assignee',
      event({ data: { before: { assigneeId: null }, after: { assigneeId: 2 } } }),
      [[2, 'assigned']],
    ],
    [
      'reassigned: the new assignee only, not the previous one',
      event({ data: { before: { assigneeId: 3 }, after: { assigneeId: 2 } } }),
      [[2, 'assigned']],
    ],
    [
      'took it themselves: nobody',
      event({ data: { before: { assigneeId: null }, after: { assigneeId: 1 } } }),
      [],
    ],
    ['unassigned: nobody', event({ data: { before: { assigneeId: 2 }, after: { assigneeId: null } } }), []],
    [
      'assigned by the system (a rule): the assignee',
      event({ actorType: 'system', actorId: null, data: { after: { assigneeId: 1 } } }),
      [[1, 'assigned']],
    ],
    [
      'assigned by an API token whose owner has the same id: still told (a token is not the person)',
      event({ actorType: 'token', actorId: 2, data: { after: { assigneeId: 2 } } }),
      [[2, 'assigned']],
    ],
    [
      'created with an assignee: the assignee',
      event({ type: 'conversation.created', data: { after: { assigneeId: 5, status: 'new' } } }),
      [[5, 'assigned']],
    ],
    [
      'created unassigned: nobody',
      event({ type: 'conversation.created', data: { after: { assigneeId: null } } }),
      [],
    ],
    [
      'an assignment of something that is not a conversation: not this rule',
      event({ entityType: 'customer', data: { after: { assigneeId: 2 } } }),
      [],
    ],
    [
      'a note with mentions: each mentioned colleague, not the author, each once',
      event({ type: 'note.added', data: { messageId: 9, mentionIds: [2, 1, 3, 2] } }),
      [
        [2, 'mention'],
        [3, 'mention'],
      ],
    ],
    ['a note without mentions: nobody', event({ type: 'note.added', data: { messageId: 9 } }), []],
    [
      'mentions that are not person ids are ignored',
      event({ type: 'note.added', data: { mentionIds: ['2', -1, 0, 1.5, null, 4, 2 ** 60] } }),
      [[4, 'mention']],
    ],
    [
      'mentionIds on another event type: not a mention',
      event({ type: 'message.sent', data: { mentionIds: [2] } }),
      [],
    ],
    [
      'the convention: notifyPersonIds with a kind',
      event({
        type: 'sla.breached',
        actorType: 'system',
        actorId: null,
        data: {
          notifyPersonIds: [2, 3, 3],
          notifyKind: 'sla_breached',
          notifyTitle: 'First response overdue',
        },
      }),
      [
        [2, 'sla_breached'],
        [3, 'sla_breached'],
      ],
    ],
    [
      'the convention leaves out the acting person',
      event({
        type: 'approval.requested',
        data: { notifyPersonIds: [1, 4], notifyKind: 'approval_requested' },
      }),
      [[4, 'approval_requested']],
    ],
    [
      'a malformed kind becomes other',
      event({ type: 'x.y', data: { notifyPersonIds: [4], notifyKind: 'Bad Kind!' } }),
      [[4, 'other']],
    ],
    [
      'notifyPersonIds that is not an array: nobody',
      event({ type: 'x.y', data: { notifyPersonIds: 4, notifyKind: 'escalation' } }),
      [],
    ],
    [
      'a specific rule and the convention on one event: one notification per person, the specific one first',
      event({
        data: { after: { assigneeId: 2 }, notifyPersonIds: [2, 6], notifyKind: 'escalation' },
      }),
      [
        [2, 'assigned'],
        [6, 'escalation'],
      ],
    ],
    ['an event nobody is concerned by', event({ type: 'conversation.solved', data: {} }), []],
  ];
  for (const [name, e, expected] of table) {
    test(name, () => assert.deepEqual(who(e), expected));
  }

  test('titles and links: the conversation for assignments and mentions', () => {
    const [assigned] = recipientsOf(event({ data: { after: { assigneeId: 2 } } }));
    assert.deepEqual(assigned, {
      personId: 2,
      kind: 'assigned',
      title: 'Conversation #12 was assigned to you',
      link: '/conversations/12',
      entityType: 'conversation',
      entityId: 12,
    });
    const [mention] = recipientsOf(event({ type: 'note.added', data: { mentionIds: [3] } }));
    assert.equal(mention?.title, 'You were mentioned in a note on conversation #12');
    assert.equal(mention?.link, '/conversations/12');
    const named = (type: string, data: Record<string, unknown>) =>
      recipientsOf(event({ type, data }), { actorName: '  Ann\nLee ' })[0]?.title;
    assert.equal(
      named('conversation.assigned', { after: { assigneeId: 2 } }),
      'Ann Lee assigned conversation #12 to you',
    );
    assert.equal(
      named('note.added', { mentionIds: [2] }),
      'Ann Lee mentioned you in a note on conversation #12',
    );
  });

  test('the convention: the title is cleaned and bounded, a missing one is made from the kind and entity', () => {
    const base = { notifyPersonIds: [2], notifyKind: 'promise_due' };
    const [r1] = recipientsOf(event({ entityType: 'commitment', entityId: 7, data: base }));
    assert.equal(r1?.title, 'A promise is due: commitment #7');
    assert.equal(r1?.link, '/commitments/7');
    const [r2] = recipientsOf(event({ data: { ...base, notifyTitle: '  Call   back\nMrs Smith ' } }));
    assert.equal(r2?.title, 'Call back Mrs Smith');
    const [r3] = recipientsOf(event({ data: { ...base, notifyTitle: 'x'.repeat(500) } }));
    assert.equal(Array.from(r3!.title).length, 200);
    assert.ok(r3!.title.endsWith('…'));
    const [r4] = recipientsOf(event({ entityType: 'webhook', entityId: 3, data: { notifyPersonIds: [2] } }));
    assert.equal(r4?.kind, 'other');
    assert.equal(r4?.title, 'Something needs your attention: webhook #3');
  });

  test('the convention: a link must be a path inside the app', () => {
    const linkOf = (notifyLink: unknown) =>
      recipientsOf(event({ data: { notifyPersonIds: [2], notifyKind: 'escalation', notifyLink } }))[0]?.link;
    assert.equal(linkOf('/conversations/12?tab=sla'), '/conversations/12?tab=sla');
    for (const bad of [
      'https://evil.example/x',
      '//evil.example/x',
      'javascript:alert(1)',
      'conversations/1',
      5,
    ])
      assert.equal(linkOf(bad), '/conversations/12', String(bad));
  });

  test(`at most ${MAX_RECIPIENTS} people per event`, () => {
    const ids = Array.from({ length: MAX_RECIPIENTS + 50 }, (_, i) => i + 2);
    assert.equal(recipientsOf(event({ type: 'x.y', data: { notifyPersonIds: ids } })).length, MAX_RECIPIENTS);
  });
});

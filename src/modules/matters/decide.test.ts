import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideMatter, type MatterCandidate } from './decide.js';
import { SAME_PREDICTED_REASON, SIMILAR_ENOUGH } from './similarity.js';

const DAY = 86_400_000;
const now = new Date('2026-03-01T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);

function candidate(over: Partial<MatterCandidate> & { matterId: number }): MatterCandidate {
  return { open: false, lastContactAt: daysAgo(1), reasonIds: [], texts: [], predicted: [], ...over };
}

const lost = [
  { reasonId: 5, probability: 0.7 },
  { reasonId: 6, probability: 0.2 },
  { reasonId: 7, probability: 0.1 },
];
const fees = [
  { reasonId: 8, probability: 0.8 },
  { reasonId: 9, probability: 0.15 },
  { reasonId: 5, probability: 0.05 },
];

function decide(over: Partial<Parameters<typeof decideMatter>[0]>) {
  return decideMatter({
    reasonId: null,
    texts: ['my card was charged twice for the same purchase'],
    predicted: [],
    at: now,
    candidates: [],
    windowDays: 14,
    ...over,
  });
}

describe('decideMatter', () => {
  test('no candidate: a new matter', () => {
    assert.deepEqual(decide({}), { kind: 'new', rule: 'no_candidate', score: null });
  });

  test('the window: a closed matter last contacted beyond it is no candidate, an open one always is', () => {
    const texts = ['my card was charged twice for the same purchase'];
    const old = candidate({ matterId: 1, lastContactAt: daysAgo(20), texts });
    assert.equal(decide({ candidates: [old] }).rule, 'no_candidate');
    assert.equal(decide({ candidates: [old], windowDays: 30 }).kind, 'join');
    const open = { ...old, open: true };
    assert.deepEqual(decide({ candidates: [open] }).kind, 'join');
  });

  test('the same contact reason decides first, the most recent such matter', () => {
    const d = decide({
      reasonId: 3,
      candidates: [
        candidate({ matterId: 1, reasonIds: [3], lastContactAt: daysAgo(5) }),
        candidate({ matterId: 2, reasonIds: [3], lastContactAt: daysAgo(2) }),
        candidate({ matterId: 3, texts: ['my card was charged twice for the same purchase'] }),
      ],
    });
    assert.deepEqual(d, { kind: 'join', matterId: 2, rule: 'same_reason', score: null });
  });

  test('a candidate whose known reasons differ is never joined by text or prediction', () => {
    const texts = ['my card was charged twice for the same purchase'];
    const other = candidate({ matterId: 1, reasonIds: [4], texts, predicted: [lost] });
    const d = decide({ reasonId: 3, predicted: lost, candidates: [other] });
    assert.equal(d.kind, 'new');
    assert.equal(d.rule, 'not_similar');
    // Without a reason of its own, the same candidate is joined.
    assert.equal(decide({ candidates: [other] }).kind, 'join');
  });

  test('similar text joins, with the score', () => {
    const d = decide({
      candidates: [
        candidate({ matterId: 1, texts: ['how do I change my address'] }),
        candidate({ matterId: 2, texts: ['why was my payment charged two times'] }),
      ],
    });
    assert.equal(d.kind, 'join');
    assert.equal(d.rule, 'similar_text');
    assert.equal(d.kind === 'join' && d.matterId, 2);
    assert.ok(d.score !== null && d.score >= SIMILAR_ENOUGH);
  });

  test('not similar: a new matter, with the best score', () => {
    const d = decide({ candidates: [candidate({ matterId: 1, texts: ['how do I change my address'] })] });
    assert.equal(d.kind, 'new');
    assert.equal(d.rule, 'not_similar');
    assert.ok(d.score !== null && d.score < SIMILAR_ENOUGH);
  });

  test('predicted reasons that agree join however different the words, the best overlap', () => {
    const d = decide({
      texts: ['where is the thing I ordered from you'],
      predicted: lost,
      candidates: [
        candidate({ matterId: 1, texts: ['cannot find my plastic anywhere'], predicted: [fees, lost] }),
        candidate({ matterId: 2, texts: ['what do you take for foreign payments'], predicted: [fees] }),
      ],
    });
    assert.equal(d.kind, 'join');
    assert.equal(d.rule, 'predicted_reason');
    assert.equal(d.kind === 'join' && d.matterId, 1);
    assert.ok(Math.abs((d.score ?? 0) - 1) < 1e-9);
  });

  test('predictions that disagree fall back to the text; no model (empty predictions) is text only', () => {
    const texts = ['my card was charged twice for the same purchase'];
    const d = decide({ predicted: lost, candidates: [candidate({ matterId: 1, texts, predicted: [fees] })] });
    assert.equal(d.rule, 'similar_text');
    const none = decide({ candidates: [candidate({ matterId: 1, texts: ['hello'], predicted: [lost] })] });
    assert.equal(none.rule, 'not_similar');
  });

  test('a known reason of the matter counts as a certain prediction of it', () => {
    const d = decide({
      texts: ['where is it'],
      predicted: lost,
      candidates: [candidate({ matterId: 1, reasonIds: [5], texts: ['hello'] })],
    });
    assert.equal(d.rule, 'predicted_reason');
    assert.ok(d.score !== null && d.score >= SAME_PREDICTED_REASON);
  });

  test('thresholds can be overridden', () => {
    const texts = ['why was my payment charged two times'];
    assert.equal(
      decide({ candidates: [candidate({ matterId: 1, texts })], thresholds: { text: 1.1 } }).kind,
      'new',
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distressLevelOf as distressLevel } from '../../db/schema/understanding.js';
import { findDistress } from './distress.js';
import { labelOfScore, lexiconSentiment } from './sentiment.js';

const signalsOf = (text: string) => findDistress(text, lexiconSentiment(text).score).map((f) => f.signal);

describe('distress signals', () => {
  it('finds each signal of the issue in its own words, with the phrase that raised it', () => {
    const cases: Array<[string, string, string]> = [
      ['I want to cancel my subscription today.', 'churn_threat', 'cancel my subscription'],
      ["We're switching to another provider next month", 'churn_threat', 'switching to another provider'],
      ['This is the third time I write about this', 'repeat_contact', 'third time'],
      ['Still waiting for the refund', 'repeat_contact', 'Still waiting'],
      ['I already contacted you last week', 'repeat_contact', 'already contacted'],
      ['Nobody answers the phone', 'high_effort', 'Nobody answers'],
      ['I was transferred four times', 'high_effort', 'I was transferred'],
      ['You transferred me to billing again', 'high_effort', 'transferred me'],
      ['I already explained this to your colleague', 'high_effort', 'I already explained'],
      ['I will talk to my lawyer', 'legal_threat', 'lawyer'],
      ['I will post this on social media', 'legal_threat', 'post this on'],
      ['Please fix this ASAP, it is urgent', 'urgency', 'ASAP'],
      ['This is absolutely ridiculous', 'anger', 'ridiculous'],
    ];
    for (const [text, signal, phrase] of cases) {
      const found = findDistress(text, lexiconSentiment(text).score).find((f) => f.signal === signal);
      assert.ok(found, `${signal} in "${text}"`);
      assert.equal(found.phrase, phrase, text);
    }
  });

  it('reads typographic apostrophes as plain ones', () => {
    assert.deepEqual(signalsOf('I can\u2019t wait any longer'), ['urgency']);
  });

  it('reads anger from shouting and from a very negative tone, once', () => {
    assert.deepEqual(signalsOf('WHERE IS MY MONEY'), ['anger']);
    assert.equal(findDistress('x', -0.9)[0]?.phrase, 'a very negative tone');
    assert.deepEqual(
      findDistress('This is ridiculous', -0.9).map((f) => f.signal),
      ['anger'],
    );
  });

  it('leaves calm and ordinary messages alone', () => {
    for (const text of [
      'Hi, how do I change my delivery address?',
      'Thanks a lot, that worked!',
      'Can you send me the invoice for March again?',
      'My card arrived, how do I activate it?',
      'I canceled the order by mistake, can you restore it?',
      "My money hasn't been transferred yet.",
      'Money was transferred to me and I am unable to see it',
    ])
      assert.deepEqual(signalsOf(text), [], text);
  });

  it('finds several signals in one message, each once, in a fixed order', () => {
    const text =
      'This is the third time I write. Nobody answers! Fix it immediately or I cancel my account and call my lawyer.';
    assert.deepEqual(signalsOf(text), [
      'urgency',
      'churn_threat',
      'legal_threat',
      'repeat_contact',
      'high_effort',
    ]);
    assert.equal(distressLevel(['anger', 'urgency', 'anger']), 3, 'anger 2, urgency 1, each once');
    assert.ok(
      distressLevel(['legal_threat']) > distressLevel(['repeat_contact']),
      'a threat outweighs a reminder',
    );
  });
});

describe('lexicon sentiment', () => {
  it('labels by VADER compound score with its ±0.05 cut-offs', () => {
    assert.equal(lexiconSentiment('Thanks a lot, works great').label, 'positive');
    assert.equal(lexiconSentiment('This is terrible, I hate it').label, 'negative');
    assert.equal(lexiconSentiment('Where is my parcel').label, 'neutral');
    assert.equal(lexiconSentiment('').score, 0);
    assert.equal(labelOfScore(0.05), 'positive');
    assert.equal(labelOfScore(-0.05), 'negative');
    assert.equal(labelOfScore(0.0499), 'neutral');
  });

  it('scores a huge text without hanging, by its beginning', () => {
    const s = lexiconSentiment(`I love it. ${'word '.repeat(200_000)}`);
    assert.equal(s.label, 'positive');
  });
});

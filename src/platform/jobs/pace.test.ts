import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_CHUNK, MIN_CHUNK, nextChunk } from './pace.js';

test('the next chunk is sized toward the target time, within bounds, growing at most fourfold', () => {
  assert.equal(nextChunk(100, 200, 100), 50, 'twice too slow: half the size');
  assert.equal(nextChunk(100, 50, 100), 200, 'twice too fast: twice the size');
  assert.equal(nextChunk(100, 1, 100), 400, 'a lucky fast chunk grows it fourfold, no more');
  assert.equal(nextChunk(100, 0, 100), 400, 'no time measured is not a division by zero');
  assert.equal(nextChunk(30, 10_000, 100), MIN_CHUNK);
  assert.equal(nextChunk(4000, 10, 400), MAX_CHUNK);
});

import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { schema } from '../../db/index.js';
import { arrayLiteral, copyTable, encodeRow, escapeCopy } from './copy-format.js';
import { loadCorpus } from './corpus.js';
import { reasonCatalogue } from './reasons.js';

describe('contact reason catalogue', () => {
  test('every reason has real customer texts, and every corpus intent has a reason', () => {
    const corpus = loadCorpus();
    const keys = new Set(reasonCatalogue.map((r) => r.key));
    assert.equal(keys.size, reasonCatalogue.length, 'reason keys are unique');
    assert.equal(reasonCatalogue.length, 77 + 27);
    for (const key of corpus.keys()) assert.ok(keys.has(key), `no reason for ${key}`);
    for (const r of reasonCatalogue) assert.ok((corpus.get(r.key)?.length ?? 0) >= 20, r.key);
  });

  test('a plausible mix of failure and value demand', () => {
    const avoidable = reasonCatalogue.filter((r) => r.avoidable).map((r) => r.key);
    for (const key of [
      'bitext:track_order',
      'banking77:transaction_charged_twice',
      'banking77:card_arrival',
    ]) {
      assert.ok(avoidable.includes(key), key);
    }
    for (const key of ['bitext:place_order', 'banking77:change_pin'])
      assert.ok(!avoidable.includes(key), key);
    assert.ok(avoidable.length > 25 && avoidable.length < 70);
  });

  test('the committed corpus stays small', () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), 'data');
    const size = [
      'banking77.json',
      'bitext.json',
      'LICENSE-banking77.txt',
      'LICENSE-bitext.txt',
      'ATTRIBUTION.md',
    ]
      .map((f) => statSync(join(dir, f)).size)
      .reduce((a, b) => a + b, 0);
    assert.ok(size < 1_500_000, `${size} bytes`);
  });
});

describe('COPY text format', () => {
  test('escapes the specials and writes NULL, arrays, json, dates and booleans', () => {
    assert.equal(escapeCopy('plain'), 'plain');
    assert.equal(escapeCopy('a\tb\nc\\d\re'), 'a\\tb\\nc\\\\d\\re');
    assert.equal(arrayLiteral(['vip', 'a "b"', 'c,d', 'e\\f']), '{"vip","a \\"b\\"","c,d","e\\\\f"}');
    const table = copyTable(schema.teams);
    assert.equal(
      table.columnList,
      '("workspace_id", "id", "name", "lead_id", "is_vendor", "created_at", "updated_at")',
    );
    const at = new Date('2026-01-02T03:04:05.678Z');
    const line = encodeRow(table, {
      workspaceId: 1,
      id: 2,
      name: 'A\tB',
      leadId: null,
      isVendor: true,
      createdAt: at,
      updatedAt: at,
    });
    assert.equal(line, '1\t2\tA\\tB\t\\N\tt\t2026-01-02T03:04:05.678Z\t2026-01-02T03:04:05.678Z\n');
    assert.ok(!copyTable(schema.messages).columnList.includes('search'), 'generated columns are left out');
  });
});

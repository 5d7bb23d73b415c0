import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Caller, call, createTestApp, type TestWorkspace } from '../../../test/support/app.js';
import { parseTaxonomyCsv } from './reasons-csv.js';

const t = await createTestApp();

const importCsv = (c: Caller, csv: string, dryRun?: boolean) =>
  call(t.app, c, 'POST', '/api/v1/contact-reasons/import', dryRun === undefined ? { csv } : { csv, dryRun });
const exportCsv = (c: Caller, query = '') => call(t.app, c, 'GET', `/api/v1/contact-reasons/export${query}`);
const count = async (ws: TestWorkspace, table: string) =>
  Number(
    (
      (await t.deps.db.execute(`select count(*) as n from ${table} where workspace_id = ${ws.id}`))
        .rows[0] as {
        n: number;
      }
    ).n,
  );

/** Quoting (commas, quotes, newlines in a cell), a BOM, CRLF, children before their groups, umlauts. */
const file = [
  '\uFEFFpath,description,department,avoidable,status',
  '"Billing > Charged twice","The card was charged twice, or more",Finance,yes,active',
  'Billing,"Money questions",,no,',
  '"Orders > Where is my order?","He said ""soon""\r\nand nothing came",Logistics,YES,',
  'Orders > Lieferung beschädigt,,Logistics,no,',
  'Account > Password reset,,,no,archived',
  '',
].join('\r\n');

describe('taxonomy CSV', () => {
  test('import creates groups, reasons and departments; the export reads back the same', async () => {
    const ws = await t.workspace();
    const dry = await importCsv(ws.owner, file, true);
    assert.equal(dry.statusCode, 200, dry.body);
    assert.equal(dry.json().dryRun, true);
    assert.equal(await count(ws, 'contact_reasons'), 0, 'a dry run changes nothing');

    const res = await importCsv(ws.owner, file);
    assert.equal(res.statusCode, 200, res.body);
    const summary = res.json();
    assert.deepEqual(
      [summary.created, summary.updated, summary.unchanged],
      [7, 0, 0],
      'five rows plus the groups Orders and Account, named only in paths',
    );
    assert.deepEqual(summary.departmentsCreated.sort(), ['Finance', 'Logistics']);
    assert.deepEqual(
      summary.rows.filter((r: { row: number | null }) => r.row === null).map((r: { path: string }) => r.path),
      ['Orders', 'Account'],
    );
    assert.deepEqual(
      dry.json().rows,
      summary.rows.map((r: object) => r),
      'the dry run said what would happen',
    );

    const items = (await call(t.app, ws.owner, 'GET', '/api/v1/contact-reasons')).json().items as Array<{
      pathText: string;
      description: string;
      avoidable: boolean;
      status: string;
      departmentId: number | null;
    }>;
    const where = items.find((i) => i.pathText === 'Orders > Where is my order?')!;
    assert.equal(where.description, 'He said "soon"\r\nand nothing came');
    assert.equal(where.avoidable, true);
    assert.ok(where.departmentId);
    assert.equal(items.find((i) => i.pathText === 'Account > Password reset')!.status, 'archived');
    assert.ok(items.some((i) => i.pathText === 'Orders > Lieferung beschädigt'));

    const exported = await exportCsv(ws.owner);
    assert.equal(exported.statusCode, 200);
    assert.match(String(exported.headers['content-type']), /^text\/csv/);
    const lines = exported.body.split('\r\n');
    assert.equal(lines[0], 'id,path,description,department,avoidable,status');
    assert.ok(
      lines.some((l) =>
        /^\d+,Billing > Charged twice,"The card was charged twice, or more",Finance,yes,active$/.test(l),
      ),
    );
    assert.equal((await exportCsv(ws.owner, '?bom=true')).body.charCodeAt(0), 0xfeff);

    // Round trip: importing the export changes nothing and records nothing.
    const events = await count(ws, 'events');
    const again = (await importCsv(ws.owner, exported.body)).json();
    assert.deepEqual([again.created, again.updated, again.unchanged], [0, 0, 7]);
    assert.equal(await count(ws, 'events'), events);
    // And into another workspace it builds the same taxonomy.
    const other = await t.workspace();
    assert.equal((await importCsv(other.owner, exported.body)).json().created, 7);
    const strip = (csv: string) => csv.replace(/^\d+,/gm, '');
    assert.equal(strip((await exportCsv(other.owner)).body), strip(exported.body));
  });

  test('an import updates by path and records the changes as events', async () => {
    const ws = await t.workspace();
    await importCsv(ws.owner, 'path,avoidable\nBilling > Charged twice,no\n');
    const res = await importCsv(ws.owner, 'PATH,Avoidable\r\nbilling > charged twice,yes\r\n');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual([res.json().created, res.json().updated], [0, 1]);
    const reason = (await call(t.app, ws.owner, 'GET', '/api/v1/contact-reasons')).json().items[1];
    assert.equal(reason.name, 'Charged twice', 'matched case-insensitively, name kept');
    assert.equal(reason.avoidable, true);
    const rows = (
      await t.deps.db.execute(
        `select type, data from events where workspace_id = ${ws.id} and entity_id = ${reason.id}
         and entity_type = 'contact_reason' order by id`,
      )
    ).rows as Array<{ type: string; data: Record<string, unknown> }>;
    assert.deepEqual(rows.at(-1), {
      type: 'contact_reason.updated',
      data: { before: { avoidable: false }, after: { avoidable: true }, source: 'csv_import' },
    });
  });

  test('every bad row is reported by number, and nothing changes', async () => {
    const ws = await t.workspace();
    await importCsv(ws.owner, 'path\nKeep me\n');
    const before = await count(ws, 'contact_reasons');
    const bad = [
      'path,avoidable,status',
      'Good > One,yes,active',
      ',no,active',
      'Bad > Level,maybe,active',
      'A > B > C > D > E,no,active',
      'Good > One,no,active',
      'Fine,no,deleted',
      'Too,many,cells,here',
    ].join('\n');
    const res = await importCsv(ws.owner, bad);
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().error.code, 'CSV_ROWS_INVALID');
    const errors = res.json().error.details.errors as Array<{
      row: number;
      column?: string;
      message: string;
    }>;
    assert.deepEqual(
      errors.map((e) => [e.row, e.column ?? null]),
      [
        [3, 'path'],
        [4, 'avoidable'],
        [5, 'path'],
        [6, 'path'],
        [7, 'status'],
        [8, null],
      ],
    );
    assert.match(errors.find((e) => e.row === 6)!.message, /row 2/);
    assert.equal(await count(ws, 'contact_reasons'), before);
    assert.equal(await count(ws, 'departments'), 0);
  });

  test('files that are not the taxonomy are refused as a whole', async () => {
    const ws = await t.workspace();
    for (const [csv, pattern] of [
      ['name,colour\nx,red\n', /Unknown columns/],
      ['description\nx\n', /no `path` column/],
      ['path,path\nx,y\n', /twice/],
      ['path\n"unclosed\n', /not valid CSV/],
    ] as const) {
      const res = await importCsv(ws.owner, csv);
      assert.equal(res.statusCode, 400, csv);
      assert.equal(res.json().error.code, 'CSV_INVALID');
      assert.match(res.json().error.message, pattern);
    }
    const huge = await importCsv(ws.owner, `path\n${'x'.repeat(500_001)}`);
    assert.equal(huge.statusCode, 400);
    const executive = await ws.person('executive');
    assert.equal((await importCsv(executive, 'path\nX\n')).statusCode, 403);
    assert.equal((await exportCsv(executive)).statusCode, 200);
  });

  test('cells a spreadsheet would run as formulas are exported with a leading quote and imported back unchanged', async () => {
    const ws = await t.workspace();
    const dept = await call(t.app, ws.owner, 'POST', '/api/v1/departments', { name: '@Finance' });
    assert.equal(dept.statusCode, 201, dept.body);
    const texts = {
      '=HYPERLINK("https://evil.example","click")': '+1 555 0100 called',
      '-Refund': '@SUM(A1:A9)',
      Plain: '\tstarts with a tab',
      "'=Already quoted": "'quoted, but no formula",
      '+Plus': '\rcarriage return first',
    };
    for (const [name, description] of Object.entries(texts)) {
      const res = await call(t.app, ws.owner, 'POST', '/api/v1/contact-reasons', {
        name,
        description,
        departmentId: dept.json().id,
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    const exported = (await exportCsv(ws.owner)).body;
    const { parse } = await import('csv-parse/sync');
    const cells = (parse(exported) as string[][]).slice(1).flatMap((r) => r.slice(1, 4));
    for (const cell of cells)
      assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `${JSON.stringify(cell)} would run in a spreadsheet`);
    assert.ok(cells.includes(`'=HYPERLINK("https://evil.example","click")`));
    assert.ok(cells.includes("'@Finance"));
    assert.ok(cells.includes("''=Already quoted"), 'a leading quote before a formula gets one more');
    assert.ok(cells.includes("'quoted, but no formula"), 'a quote before anything else is left alone');

    const again = (await importCsv(ws.owner, exported)).json();
    assert.deepEqual(
      [again.created, again.updated, again.unchanged],
      [0, 0, 5],
      'the round trip changes nothing',
    );
    const other = await t.workspace();
    assert.equal((await importCsv(other.owner, exported)).json().created, 5);
    const described = async (c: Caller) =>
      Object.fromEntries(
        (
          (await call(t.app, c, 'GET', '/api/v1/contact-reasons')).json().items as Array<{
            name: string;
            description: string;
          }>
        ).map((i) => [i.name, i.description]),
      );
    const original = await described(ws.owner);
    assert.deepEqual(Object.keys(original).sort(), Object.keys(texts).sort());
    assert.equal(original['-Refund'], '@SUM(A1:A9)');
    assert.deepEqual(
      await described(other.owner),
      original,
      'imported into another workspace: the same names and descriptions',
    );
    const departments = (await call(t.app, other.owner, 'GET', '/api/v1/departments')).json().items;
    assert.deepEqual(
      departments.map((d: { name: string }) => d.name),
      ['@Finance'],
    );
  });

  test('the parser takes one leading quote off a formula cell only', () => {
    const parsed = parseTaxonomyCsv("path,description\r\n'=Sum,'-minus\r\n\"'quoted\",''@twice\r\n");
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.rows.map((r) => [r.names, r.description]),
      [
        [['=Sum'], '-minus'],
        [["'quoted"], "'@twice"],
      ],
    );
  });

  test('the parser itself: empty lines, spaces and yes/no words', () => {
    const parsed = parseTaxonomyCsv('path , avoidable\n\n  Orders >  Late  , Ja \nX,nein\n');
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.rows.map((r) => [r.row, r.names, r.avoidable]),
      [
        [2, ['Orders', 'Late'], true],
        [3, ['X'], false],
      ],
    );
  });
});

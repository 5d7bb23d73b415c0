import assert from 'node:assert/strict';
import { test } from 'node:test';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { createTestApp } from '../../../test/support/app.js';
import { schema } from '../../db/index.js';
import { generateDemoData, reasonCatalogue, seedDemoTaxonomy } from './index.js';

const t = await createTestApp();

test('the demo gets its taxonomy, and solved or closed conversations are coded with their true reason', async () => {
  const ws = await t.workspace();
  await generateDemoData(t.database, {
    workspaceId: ws.id,
    conversations: 120,
    now: t.clock.now(),
    quiet: true,
  });
  const first = await seedDemoTaxonomy(t.deps, ws.id);

  const departments = await t.deps.db
    .select()
    .from(schema.departments)
    .where(eq(schema.departments.workspaceId, ws.id));
  assert.deepEqual(
    departments.map((d) => d.name).sort(),
    [...new Set(reasonCatalogue.map((r) => r.department))].sort(),
  );
  assert.ok(first.reasons > reasonCatalogue.length * 0.9, `${first.reasons} reasons`);
  assert.ok(first.coded > 0, 'some conversations are coded');

  // Every coded conversation carries exactly the reason its ground truth names, set by its assignee.
  const rows = await t.deps.db.execute(sql`
    select c.status, c.assignee_id, c.contact_reason_set_by_id, c.contact_reason_source, t.reason_key,
      g.name as group_name, r.name as reason_name, r.avoidable
    from conversations c
    join generated_truth t on t.workspace_id = c.workspace_id and t.conversation_id = c.id
    join contact_reasons r on r.workspace_id = c.workspace_id and r.id = c.contact_reason_id
    join contact_reasons g on g.workspace_id = r.workspace_id and g.id = r.parent_id
    where c.workspace_id = ${ws.id}`);
  assert.equal(rows.rows.length, first.coded);
  for (const row of rows.rows as Array<Record<string, unknown>>) {
    const truth = reasonCatalogue.find((r) => r.key === row.reason_key)!;
    assert.ok(['solved', 'closed'].includes(String(row.status)));
    assert.equal(row.contact_reason_source, 'agent');
    assert.equal(Number(row.contact_reason_set_by_id), Number(row.assignee_id));
    assert.equal(row.group_name, truth.department);
    assert.equal(String(row.reason_name).toLowerCase(), truth.intent.replaceAll('_', ' '));
    assert.equal(row.avoidable, truth.avoidable);
  }
  const openCoded = await t.deps.db
    .select({ id: schema.conversations.id })
    .from(schema.conversations)
    .where(
      and(
        eq(schema.conversations.workspaceId, ws.id),
        isNotNull(schema.conversations.contactReasonId),
        sql`${schema.conversations.status} not in ('solved', 'closed')`,
      ),
    );
  assert.equal(openCoded.length, 0, 'open work is left for agents to code');

  const again = await seedDemoTaxonomy(t.deps, ws.id);
  assert.equal(again.reasons, first.reasons, 'seeding twice adds nothing');
  assert.equal(again.coded, 0);
});

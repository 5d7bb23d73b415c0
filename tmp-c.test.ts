import { call, createTestApp } from './test/support/app.js';
const t = await createTestApp({ start: '2026-03-02T10:00:00Z' });
const ws = await t.workspace();
const agent = await ws.person('agent');
const res = await call(t.app, agent, 'POST', '/api/v1/calls', { subject: 'Card stolen', customer: { phone: '+49 30 1234567', name: 'Uli' }, direction: 'inbound', durationSeconds: 420, outcome: 'callback_agreed' });
console.log(res.statusCode, res.body.slice(0, 300));
const again = await call(t.app, agent, 'POST', '/api/v1/calls', { subject: 'Card stolen, again', customer: { phone: '030 1234567' }, direction: 'inbound', durationSeconds: 30, outcome: 'resolved' });
console.log(again.statusCode, again.body.slice(0, 300));

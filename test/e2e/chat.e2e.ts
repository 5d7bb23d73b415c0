import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Socket, connect as tcpConnect } from 'node:net';
import { after, test } from 'node:test';
import { admin, axe, collectProblems, startE2e } from './support.js';

/**
 * The live chat in real Chromium: a test page on another port (its own origin, and CSS that would break a
 * widget without a shadow root) embeds widget.js through a loopback TCP proxy; an agent answers in the web
 * app. The proxy cuts every connection in the middle of the conversation and refuses new ones for a while:
 * the visitor writes meanwhile, the agent replies meanwhile, and after the reconnect everything is there
 * exactly once on both sides. Screenshots under test-results/chat-*.png.
 */
const { base, browser, apiCall } = await startE2e();
const stewardPort = Number(new URL(base).port);

/** A loopback TCP proxy to Steward that can drop every connection and refuse new ones. */
const live = new Set<Socket>();
let refusing = false;
const proxy = createTcpServer((client) => {
  if (refusing) {
    client.destroy();
    return;
  }
  const upstream = tcpConnect(stewardPort, '127.0.0.1');
  live.add(client);
  live.add(upstream);
  client.pipe(upstream).pipe(client);
  const drop = () => {
    client.destroy();
    upstream.destroy();
    live.delete(client);
    live.delete(upstream);
  };
  client.on('error', drop).on('close', drop);
  upstream.on('error', drop).on('close', drop);
});
await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const proxyPort = (proxy.address() as { port: number }).port;
const cutEverything = () => {
  for (const s of live) s.destroy();
  live.clear();
};

type Widget = { id: number; publicKey: string; snippet: string };
const pageServer = createHttpServer((_req, res) => {
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<style>
  /* A host page's CSS at its worst: none of it may reach the widget. */
  * { font-family: serif !important; color: #c00 !important; }
  button { display: none !important; }
  textarea, input { visibility: hidden !important; }
</style></head>
<body><main><h1>Our shop</h1><p>Products and prices.</p></main>
<script src="http://127.0.0.1:${proxyPort}/widget.js" data-key="${widget.publicKey}" async></script>
</body></html>`);
});
await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
const shopUrl = `http://127.0.0.1:${(pageServer.address() as { port: number }).port}`;
after(() => {
  cutEverything();
  proxy.close();
  pageServer.close();
});

const widget = await apiCall<Widget>('POST', '/chat-widgets', {
  name: 'Shop help',
  greeting: 'Hello! Ask us anything.',
  color: '#0a7d55',
  allowedOrigins: [shopUrl],
});
// Someone is online: the chat opens without the "we are away" notice.
await apiCall('PUT', '/me/availability', { availability: 'online' });

const shop = await browser.newPage({ viewport: { width: 1100, height: 800 } });
const shopProblems = collectProblems(shop, [401]);
const agent = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const agentProblems = collectProblems(agent);

type ApiMessage = { body: string; direction: string };
async function conversationMessages(id: number): Promise<ApiMessage[]> {
  return (await apiCall<{ items: ApiMessage[] }>('GET', `/conversations/${id}/messages?limit=200`)).items;
}

let conversationId = 0;

test('the widget loads on another site, in a shadow root the page CSS cannot break, and the visitor writes', async () => {
  await shop.goto(shopUrl);
  const launcher = shop.getByRole('button', { name: 'Open chat' });
  await launcher.waitFor();
  assert.equal(await launcher.isVisible(), true, "the page's button { display: none } did not reach it");
  await launcher.click();
  await shop.getByRole('dialog', { name: 'Chat' }).getByText('Hello! Ask us anything.').waitFor();
  await shop.getByRole('heading', { name: 'Shop help' }).waitFor();
  const box = shop.getByRole('textbox', { name: 'Your message' });
  assert.equal(await box.isVisible(), true);
  await box.fill('Hello, my order 10142 has not arrived.');
  await box.press('Enter');
  await shop.locator('.msg.visitor:not(.pending)', { hasText: 'order 10142' }).waitFor();
  const res = await fetch(`http://127.0.0.1:${proxyPort}/widget.js`, {
    headers: { 'accept-encoding': 'gzip' },
  });
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  const gz = Number(res.headers.get('content-length') ?? (await res.arrayBuffer()).byteLength);
  assert.ok(gz < 50 * 1024, `widget.js is ${gz} bytes gzipped`);
  assert.deepEqual(await axe(shop), []);
  await shop.screenshot({ path: 'test-results/chat-widget.png' });
});

test('the agent sees the chat, typing shows both ways, and the reply reaches the visitor live', async () => {
  await agent.goto(base);
  await agent.getByLabel('E-mail address').fill(admin.email);
  await agent.getByLabel('Password').fill(admin.password);
  await agent.getByRole('button', { name: 'Sign in' }).click();
  await agent.getByRole('heading', { name: 'Inbox' }).waitFor();
  await agent.locator('.row-subject', { hasText: 'order 10142' }).click();
  await agent.locator('.msg-inbound', { hasText: 'has not arrived' }).waitFor();
  conversationId = Number(agent.url().split('/').pop());

  // The visitor types: the agent sees it.
  await shop.getByRole('textbox', { name: 'Your message' }).pressSequentially('It was due', { delay: 20 });
  await agent.getByText('is typing…').waitFor({ timeout: 10_000 });
  await shop.getByRole('textbox', { name: 'Your message' }).fill('');

  // The agent types: the visitor sees it.
  const reply = agent.getByRole('textbox', { name: /^Reply to/ });
  await reply.pressSequentially('Let me check', { delay: 20 });
  await shop.getByText('Agent is typing…').waitFor({ timeout: 10_000 });
  await reply.fill('Let me check the tracking for you.');
  await agent.keyboard.press('Control+Enter');
  await agent.locator('.msg-outbound', { hasText: 'check the tracking' }).waitFor();
  await shop
    .locator('.msg.agent', { hasText: 'Let me check the tracking for you.' })
    .waitFor({ timeout: 10_000 });
});

test('the connection is cut mid-conversation: nothing is lost or doubled on either side', async () => {
  refusing = true;
  cutEverything();
  await shop.getByText('Reconnecting…').waitFor({ timeout: 10_000 });
  const box = shop.getByRole('textbox', { name: 'Your message' });
  await box.fill('Are you still there?');
  await box.press('Enter');
  await box.fill('The tracking number is ZX-99.');
  await box.press('Enter');
  assert.equal(await shop.locator('.msg.visitor.pending').count(), 2, 'shown as not yet sent');
  // Meanwhile the agent answers.
  await apiCall('POST', `/conversations/${conversationId}/messages`, {
    direction: 'outbound',
    body: 'It left our warehouse this morning.',
  });
  await shop.screenshot({ path: 'test-results/chat-offline.png' });
  refusing = false;
  await shop.locator('.msg.agent', { hasText: 'left our warehouse' }).waitFor({ timeout: 20_000 });
  await shop.locator('.msg.visitor.pending').first().waitFor({ state: 'detached', timeout: 20_000 });
  await agent.locator('.msg-inbound', { hasText: 'ZX-99' }).waitFor({ timeout: 10_000 });

  // A second cut right after sending, before the acknowledgement can arrive: resent, stored once.
  await box.fill('One more thing: please leave it with a neighbour.');
  await box.press('Enter');
  cutEverything();
  await shop.locator('.msg.visitor:not(.pending)', { hasText: 'neighbour' }).waitFor({ timeout: 20_000 });

  const expected = [
    ['inbound', 'Hello, my order 10142 has not arrived.'],
    ['outbound', 'Let me check the tracking for you.'],
    // Committed while the visitor was cut off: before the two messages that could only be stored later.
    ['outbound', 'It left our warehouse this morning.'],
    ['inbound', 'Are you still there?'],
    ['inbound', 'The tracking number is ZX-99.'],
    ['inbound', 'One more thing: please leave it with a neighbour.'],
  ];
  assert.deepEqual(
    (await conversationMessages(conversationId)).map((m) => [m.direction, m.body]),
    expected,
    'stored exactly once each, in order',
  );
  const shown = async () =>
    shop
      .locator('.msg.visitor, .msg.agent')
      .evaluateAll((els) =>
        els.map((el) => [el.classList.contains('agent') ? 'outbound' : 'inbound', el.textContent]),
      );
  assert.deepEqual(await shown(), expected, 'the widget shows each once, in order');
  await agent.locator('.msg-inbound', { hasText: 'neighbour' }).waitFor({ timeout: 10_000 });
  for (const [, text] of expected)
    assert.equal(await agent.locator('.msg', { hasText: text! }).count(), 1, text);

  // A returning visitor (a reload) sees the same history from the server.
  await shop.reload();
  await shop.getByRole('button', { name: 'Open chat' }).click();
  await shop.locator('.msg.agent', { hasText: 'left our warehouse' }).waitFor();
  assert.deepEqual(await shown(), expected);
});

test('the visitor leaves an e-mail: the customer gets it, and the admin page shows the snippet', async () => {
  await shop.getByRole('textbox', { name: 'Your name' }).fill('Maria Lopez');
  await shop.getByRole('textbox', { name: 'Your e-mail' }).fill('maria@example.com');
  await shop.getByRole('button', { name: 'Save' }).click();
  await shop.getByText('We will reply to maria@example.com').waitFor();
  const conversation = await apiCall<{ conversation: { customerId: number } }>(
    'GET',
    `/conversations/${conversationId}`,
  );
  const customer = await apiCall<{ identities: Array<{ kind: string; value: string }> }>(
    'GET',
    `/customers/${conversation.conversation.customerId}`,
  );
  assert.ok(customer.identities.some((i) => i.kind === 'email' && i.value === 'maria@example.com'));

  await agent.goto(`${base}/admin/chat`);
  await agent.getByRole('heading', { name: 'Live chat' }).waitFor();
  const snippet = agent.getByRole('textbox', { name: 'Snippet to paste into your pages' });
  assert.match(await snippet.inputValue(), new RegExp(`data-key="${widget.publicKey}"`));
  assert.deepEqual(await axe(agent), []);
  await agent.screenshot({ path: 'test-results/chat-admin.png' });
  assert.deepEqual(
    shopProblems.filter((p) => !/WebSocket|ERR_CONNECTION|net::/.test(p)),
    [],
  );
  assert.deepEqual(agentProblems, []);
});

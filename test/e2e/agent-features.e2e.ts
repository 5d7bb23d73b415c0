import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axe, collectProblems, countReaches, startE2e } from './support.js';

/**
 * The agent-facing parts of the shared building blocks (issue 3) in the web app: the notifications centre
 * (live bell, panel, read, jump to the cause), the contact-reason field and picker, attachments in the
 * composer and the timeline, mentions in notes, and the notification settings page. axe-core with the panel
 * and the picker open; screenshots at 1280 and 800 px under test-results/agent-*.png.
 */
const MAX_BYTES = 64 * 1024;
const { base, browser, apiCall } = await startE2e({
  env: {
    // Workers on: notifications are made from events by the notifications consumer.
    STEWARD_WORKERS: 'on',
    STEWARD_JOB_POLL_MS: '50',
    STEWARD_ATTACHMENT_MAX_BYTES: String(MAX_BYTES),
  },
});

type Person = { id: number; name: string };
const password = 'another long enough password';
async function addPerson(name: string, email: string): Promise<Person> {
  return (await apiCall<{ person: Person }>('POST', '/people', { name, email, role: 'agent', password }))
    .person;
}
const alex = await addPerson('Alex Agent', 'alex@example.com');
const bea = await addPerson('Bea Baker', 'bea@example.com');
await addPerson('Ben Brook', 'ben@example.com');

type Reason = { id: number };
const billing = await apiCall<Reason>('POST', '/contact-reasons', { name: 'Billing' });
const twice = await apiCall<Reason>('POST', '/contact-reasons', {
  name: 'Charged twice',
  parentId: billing.id,
  avoidable: true,
});
const refund = await apiCall<Reason>('POST', '/contact-reasons', {
  name: 'Refund request',
  parentId: billing.id,
});
const delivery = await apiCall<Reason>('POST', '/contact-reasons', { name: 'Delivery' });
const late = await apiCall<Reason>('POST', '/contact-reasons', {
  name: 'Late parcel',
  parentId: delivery.id,
  avoidable: true,
});

const conversations: number[] = [];
for (const [i, [name, subject, body]] of [
  ['Tom Becker', 'Charged twice for one order', 'My card shows two payments of 49.90 for order 10142.'],
  ['Maria Lopez', 'Where is my parcel?', 'It was due on Monday and the tracking page has not moved.'],
  ['Aiko Tanaka', 'Cannot reset my password', 'The reset e-mail never arrives.'],
].entries()) {
  const res = await apiCall<{ conversation: { id: number } }>('POST', '/conversations', {
    subject,
    channel: 'email',
    customer: { email: `customer${i}@example.com`, name },
    message: { body },
  });
  conversations.push(res.conversation.id);
}
const [first, second, third] = conversations as [number, number, number];

const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const problems = collectProblems(page, [401, 413]);

/** A GET as the person signed in in the browser (their session cookie). */
async function asAlex<T>(path: string): Promise<T> {
  return page.evaluate(async (p) => {
    const res = await fetch(`/api/v1${p}`, { credentials: 'same-origin' });
    return res.json();
  }, path) as Promise<T>;
}

const bell = () => page.getByRole('button', { name: /^Notifications, / });
const conversationUrl = (id: number) => new RegExp(`/conversations/${id}$`);

test('sign in as Alex: the bell says nothing is unread', async () => {
  await page.goto(base);
  await page.getByLabel('E-mail address').fill('alex@example.com');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  await page.locator('.live-live').waitFor();
  await page.getByRole('button', { name: 'Notifications, none unread' }).waitFor();
});

test('a colleague assigns conversations to Alex: the bell counts up live, without a reload', async () => {
  await page.evaluate(() => {
    (window as unknown as { stayed: boolean }).stayed = true;
  });
  await apiCall('PATCH', `/conversations/${first}`, { assigneeId: alex.id });
  await page.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor({ timeout: 10_000 });
  await apiCall('PATCH', `/conversations/${second}`, { assigneeId: alex.id });
  await page.getByRole('button', { name: 'Notifications, 2 unread' }).waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('.bell-count').textContent(), '2');
  assert.equal(
    await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed),
    true,
    'no reload',
  );
});

test('the panel lists them newest first, unread marked; axe passes with it open', async () => {
  await bell().click();
  const panel = page.getByRole('dialog', { name: 'Notifications' });
  await panel.waitFor();
  const items = panel.locator('.bell-item');
  await items.nth(1).waitFor();
  const titles = await items.locator('.bell-title').allTextContents();
  assert.match(titles[0] ?? '', new RegExp(`Unread: .*#${second}`));
  assert.match(titles[1] ?? '', new RegExp(`Unread: .*#${first}`));
  assert.equal(await panel.locator('.bell-item.unread').count(), 2);
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: 'test-results/agent-notifications.png' });
});

test('clicking one marks it read and lands on its conversation; the count goes down', async () => {
  await page
    .locator('.bell-item', { hasText: `#${first}` })
    .getByRole('link')
    .click();
  await page.waitForURL(conversationUrl(first));
  await page.getByRole('heading', { level: 1, name: 'Charged twice for one order' }).waitFor();
  await page.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor();
  await page.getByRole('dialog', { name: 'Notifications' }).waitFor({ state: 'detached' });
  const list = await asAlex<{ items: Array<{ title: string; read: boolean }> }>('/notifications');
  assert.deepEqual(
    list.items.map((n) => n.read),
    [false, true],
  );
});

test('Shift+N opens the panel; "Mark all read" clears the count; Escape closes it', async () => {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Shift+N');
  const panel = page.getByRole('dialog', { name: 'Notifications' });
  await panel.waitFor();
  await panel.getByRole('button', { name: 'Mark all read' }).click();
  await page.getByRole('button', { name: 'Notifications, none unread' }).waitFor();
  assert.equal(await panel.locator('.bell-item.unread').count(), 0);
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });
  assert.equal(await bell().evaluate((el) => el === document.activeElement), true, 'focus back on the bell');
});

test('contact reason: set with the searchable picker (axe with it open), change it, and see a colleague’s change live', async () => {
  const card = page.locator('.reason-card');
  await card.getByText('Not set yet.').waitFor();
  await card.getByRole('button', { name: 'Set reason' }).click();
  const search = page.getByRole('combobox', { name: 'Find a contact reason' });
  assert.equal(
    await search.evaluate((el) => el === document.activeElement),
    true,
    'the search field has focus',
  );
  await search.fill('bill');
  const options = page.getByRole('listbox', { name: 'Active contact reasons' }).getByRole('option');
  // "Billing" (a group may be chosen too), "Charged twice", "Refund request".
  await countReaches(options, 3, "reasons matching 'bill'");
  await search.fill('twice');
  await countReaches(options, 1, "reasons matching 'twice'");
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: 'test-results/agent-reason-picker.png' });
  await page.keyboard.press('Enter');
  await card.locator('.reason-path', { hasText: 'Billing > Charged twice' }).waitFor();
  await card.locator('.badge-avoidable').waitFor();
  await card.getByText(/Set by Alex Agent/).waitFor();

  await card.getByRole('button', { name: 'Change' }).click();
  await search.fill('parcel');
  await page.keyboard.press('ArrowDown'); // wraps around the one match: still "Late parcel"
  await page.keyboard.press('Enter');
  await card.locator('.reason-path', { hasText: 'Delivery > Late parcel' }).waitFor();

  // Ada changes it through the API: the open page follows.
  await apiCall('PUT', `/conversations/${first}/contact-reason`, { contactReasonId: refund.id });
  await card.locator('.reason-path', { hasText: 'Billing > Refund request' }).waitFor({ timeout: 10_000 });
  await card.getByText(/Set by Owner|Set by Ada|Set by/).waitFor();
  assert.equal(await card.locator('.badge-avoidable').count(), 0, 'a refund request is value demand');

  const detail = await apiCall<{
    events: Array<{ type: string; actorId: number; data: { after: { contactReasonId: number } } }>;
  }>('GET', `/conversations/${first}`);
  const set = detail.events.filter((e) => e.type === 'conversation.contact_reason_set');
  assert.deepEqual(
    set.map((e) => [e.data.after.contactReasonId, e.actorId === alex.id]),
    [
      [twice.id, true],
      [late.id, true],
      [refund.id, false],
    ],
  );
  await page.locator('.tl-event', { hasText: 'Contact reason changed' }).first().waitFor();
});

// A 1×1 PNG: the API serves images inline, so the timeline may show it as a thumbnail.
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);
const text = Buffer.from('Order 10142\nTwo payments of 49.90 on 3 March.\n');

test('attachments: a too-large file is explained, a text file and an image go with a reply and download intact', async () => {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('r');
  await page.getByRole('textbox', { name: /^Reply to/ }).fill('Here is the statement and a picture of it.');
  const input = page.locator('#composer-files');
  await input.setInputFiles({
    name: 'huge.bin',
    mimeType: 'application/octet-stream',
    buffer: Buffer.alloc(MAX_BYTES * 2, 7),
  });
  await page.locator('.chip-failed .chip-error', { hasText: 'Too large' }).waitFor();
  assert.match((await page.locator('.chip-error').textContent()) ?? '', /at most 64 KB/);
  await page.getByRole('button', { name: 'Remove huge.bin' }).click();
  await input.setInputFiles([
    { name: 'statement.txt', mimeType: 'text/plain', buffer: text },
    { name: 'photo.png', mimeType: 'image/png', buffer: png },
  ]);
  const chips = page.getByRole('list', { name: 'Files to send' });
  await chips.locator('.chip-done').nth(1).waitFor();
  await chips.getByText('statement.txt').waitFor();
  await page.screenshot({ path: 'test-results/agent-composer-attachments.png' });
  await page.getByRole('button', { name: 'Send reply' }).click();
  const message = page.locator('.msg-outbound', { hasText: 'a picture of it' });
  await message.waitFor();
  await page.getByRole('list', { name: 'Files to send' }).waitFor({ state: 'detached' });
  const links = message.getByRole('list', { name: 'Attachments' }).getByRole('link');
  assert.equal(await links.count(), 2);
  const hrefs = await links.evaluateAll((els) =>
    els.map((el) => (el as HTMLAnchorElement).getAttribute('href')),
  );
  const bytes = await Promise.all(
    hrefs.map((href) =>
      page.evaluate(async (h) => Array.from(new Uint8Array(await (await fetch(h!)).arrayBuffer())), href),
    ),
  );
  assert.deepEqual(Buffer.from(bytes[0]!), text);
  assert.deepEqual(Buffer.from(bytes[1]!), png);
  const thumb = message.locator('img.msg-thumb');
  await thumb.waitFor();
  assert.ok(await thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth > 0), 'the thumbnail loads');
  assert.equal(await message.locator('.msg-file-icon').count(), 1, 'the text file has no thumbnail');
});

test('mentions: @ offers colleagues, arrows and Enter pick one, the note highlights them and they are told', async () => {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('n');
  const box = page.getByRole('textbox', { name: /Internal note/ });
  assert.equal(await box.evaluate((el) => el === document.activeElement), true);
  await box.pressSequentially('Could you check the refund, @b');
  const listbox = page.getByRole('listbox', { name: 'Colleagues to mention' });
  await listbox.waitFor();
  const names = await listbox.getByRole('option').locator('.option-text').allTextContents();
  assert.deepEqual(names, ['Bea Baker', 'Ben Brook']);
  await box.pressSequentially('e');
  assert.deepEqual(await listbox.getByRole('option').locator('.option-text').allTextContents(), [
    'Bea Baker',
    'Ben Brook',
  ]);
  await box.pressSequentially('a');
  assert.deepEqual(await listbox.getByRole('option').locator('.option-text').allTextContents(), [
    'Bea Baker',
  ]);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  assert.equal(await box.getAttribute('aria-activedescendant'), `mention-option-${bea.id}`);
  await page.keyboard.press('Enter');
  await listbox.waitFor({ state: 'detached' });
  assert.equal(await box.inputValue(), 'Could you check the refund, @Bea Baker ');
  await box.pressSequentially('please? @ben');
  await page.getByRole('listbox', { name: 'Colleagues to mention' }).waitFor();
  await page.keyboard.press('Escape');
  await page.getByRole('listbox', { name: 'Colleagues to mention' }).waitFor({ state: 'detached' });
  assert.equal(
    await box.evaluate((el) => el === document.activeElement),
    true,
    'Escape closes only the list',
  );
  await page.getByRole('button', { name: 'Add note' }).click();
  const note = page.locator('.msg-note', { hasText: 'Could you check the refund' });
  await note.waitFor();
  assert.equal(await note.locator('.mention').textContent(), '@Bea Baker');

  // Bea, signed in elsewhere, has the notification; Ben (typed, not picked) has none.
  const signIn = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workspace: 'default', email: 'bea@example.com', password }),
  });
  assert.equal(signIn.status, 200, await signIn.clone().text());
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
  let items: Array<{ kind: string; link: string }> = [];
  for (let i = 0; i < 50 && items.length === 0; i++) {
    const res = await fetch(`${base}/api/v1/notifications`, { headers: { cookie } });
    items = ((await res.json()) as { items: typeof items }).items;
    if (items.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(items, [{ ...items[0], kind: 'mention', link: `/conversations/${first}` }]);
  await page.screenshot({ path: 'test-results/agent-conversation.png', fullPage: true });
});

test('notification settings (from the user menu): e-mail is off here, and a change is saved', async () => {
  await page.locator('.usermenu summary').click();
  await page.getByRole('link', { name: 'Notification settings' }).click();
  await page.getByRole('heading', { level: 1, name: 'Notification settings' }).waitFor();
  await page.getByText('E-mail is off on this Steward.').waitFor();
  await page.getByLabel('E-mail for: Mentioned in a note').selectOption('digest');
  await page.getByLabel('Comes').selectOption('daily');
  await page.getByLabel('At', { exact: true }).selectOption('17');
  await page.getByLabel('Time zone').selectOption('Europe/Berlin');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Your notification settings are saved.').waitFor();
  const prefs = await asAlex<{ email: Record<string, string>; digest: Record<string, unknown> }>(
    '/notifications/preferences',
  );
  assert.equal(prefs.email.mention, 'digest');
  assert.deepEqual(prefs.digest, { frequency: 'daily', hour: 17, timeZone: 'Europe/Berlin' });
  assert.deepEqual(await axe(page), []);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: 'test-results/agent-preferences.png' });
});

test('side panel: status, priority, team and tags saved on change; a assigns; the history says who did what', async () => {
  const team = await apiCall<{ id: number }>('POST', '/teams', { name: 'Payments' });
  await page.goto(`${base}/conversations/${second}`);
  const details = page.locator('.details-card');
  // The contact reason comes right after Details, not below every other card
  // (read once both have rendered: the side panel fills in as its queries answer).
  await details.waitFor();
  await page.locator('.conversation-side .reason-card').waitFor();
  const cards = await page
    .locator('.conversation-side > *')
    .evaluateAll((els) => els.map((e) => e.className));
  assert.match(cards[0] ?? '', /details-card/);
  assert.match(cards[1] ?? '', /reason-card/, `the side panel's cards: ${cards.join(' | ')}`);
  await details.getByLabel('Priority').selectOption('urgent');
  await page.locator('.conversation-facts .badge.priority-urgent', { hasText: 'Urgent priority' }).waitFor();
  await details.getByLabel('Team').selectOption({ label: 'Payments' });
  await details.getByLabel('New tag').fill('  Refund ');
  await details.getByRole('button', { name: 'Add' }).click();
  await details.locator('.tag', { hasText: 'refund' }).waitFor();
  await details.getByLabel('New tag').fill('vip');
  await page.keyboard.press('Enter');
  await details.locator('.tag', { hasText: 'vip' }).waitFor();
  await details.getByRole('button', { name: 'Remove tag refund' }).click();
  await details.locator('.tag', { hasText: 'refund' }).waitFor({ state: 'detached' });
  await details.getByLabel('Status').selectOption('pending');
  await page.locator('.conversation-facts .badge.status-pending').waitFor();

  const after = await apiCall<{
    conversation: { priority: string; teamId: number; tags: string[]; status: string };
  }>('GET', `/conversations/${second}`);
  assert.deepEqual(
    [
      after.conversation.priority,
      after.conversation.teamId,
      after.conversation.tags,
      after.conversation.status,
    ],
    ['urgent', team.id, ['vip'], 'pending'],
  );

  // `a` puts the focus on the assignee picker.
  await page.locator('h1').click();
  await page.keyboard.press('a');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'assignee');
  await page.keyboard.press('Escape');

  const history = page.locator('.history-card');
  await history.locator('summary').click();
  const lines = history.locator('.history-list li');
  await lines.filter({ hasText: 'Priority set to urgent by Alex Agent' }).waitFor();
  await lines.filter({ hasText: 'Moved to team Payments by Alex Agent' }).waitFor();
  await lines.filter({ hasText: 'Untagged refund by Alex Agent' }).waitFor();
  await lines.filter({ hasText: 'Status set to Pending by Alex Agent' }).waitFor();
  // Newest first: the status change came last.
  assert.match((await lines.first().textContent()) ?? '', /Status set to Pending/);
  // The numbers sit in the list's left padding: it has room for two digits ("99. "), so none is cut off.
  const room = await history.locator('.history-list').evaluate((ol) => {
    const probe = document.createElement('span');
    probe.textContent = '99. ';
    ol.firstElementChild?.append(probe);
    const width = probe.getBoundingClientRect().width;
    probe.remove();
    return Number.parseFloat(getComputedStyle(ol).paddingLeft) - width;
  });
  assert.ok(room >= 0, `the history numbers fit their padding (${room.toFixed(1)} px to spare)`);
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: 'test-results/agent-details-history.png', fullPage: true });
});

test('apply a macro: m opens the list, the text has the customer’s first name, its actions apply, then send', async () => {
  await apiCall('POST', '/macros', {
    name: 'Password reset steps',
    body: 'Hi {{customer.first_name}}, please check your spam folder for the reset e-mail. {{agent.first_name}}',
    actions: { priority: 'high', addTags: ['password'] },
    shared: true,
  });
  await apiCall('POST', '/macros', { name: 'Refund done', body: 'Refunded.', shared: true });
  await page.goto(`${base}/conversations/${third}`);
  await page.getByRole('heading', { level: 1, name: 'Cannot reset my password' }).waitFor();
  await page.locator('h1').click();
  await page.keyboard.press('m');
  const search = page.getByRole('combobox', { name: 'Find a macro' });
  await search.waitFor();
  const options = page.getByRole('listbox', { name: 'Macros' }).getByRole('option');
  await options.nth(1).waitFor(); // the macros load when the list opens
  assert.equal(await options.count(), 2);
  await search.fill('reset');
  await options.nth(1).waitFor({ state: 'detached' });
  assert.equal(await options.count(), 1);
  assert.deepEqual(await axe(page), []);
  await page.keyboard.press('Enter');
  const box = page.locator('#composer-body');
  await page.waitForFunction(
    () => (document.querySelector('#composer-body') as HTMLTextAreaElement).value !== '',
  );
  assert.equal(await box.inputValue(), 'Hi Aiko, please check your spam folder for the reset e-mail. Alex');
  await page.locator('.details-card .tag', { hasText: 'password' }).waitFor();
  await page.locator('.conversation-facts .badge.priority-high').waitFor();
  await box.press('End');
  await box.pressSequentially(' Thanks!');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await page
    .locator('.msg-outbound .msg-body', { hasText: 'Hi Aiko, please check your spam folder' })
    .waitFor();
  const detail = await apiCall<{ messages: Array<{ direction: string; body: string }> }>(
    'GET',
    `/conversations/${third}`,
  );
  assert.equal(
    detail.messages.at(-1)?.body,
    'Hi Aiko, please check your spam folder for the reset e-mail. Alex Thanks!',
  );
  await page
    .locator('.tl-event', { hasText: 'Macro “Password reset steps” applied by Alex Agent' })
    .waitFor();
});

test('collision warning: Alex sees Bea viewing, then typing, then gone; the handle time is shown', async () => {
  await page.goto(`${base}/conversations/${second}`);
  await page.getByRole('heading', { level: 1, name: 'Where is my parcel?' }).waitFor();
  const other = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const beaPage = await other.newPage();
  await beaPage.goto(base);
  await beaPage.getByLabel('E-mail address').fill('bea@example.com');
  await beaPage.getByLabel('Password').fill(password);
  await beaPage.getByRole('button', { name: 'Sign in' }).click();
  await beaPage.getByRole('heading', { name: 'Inbox' }).waitFor();
  await beaPage.goto(`${base}/conversations/${second}`);
  await beaPage.getByRole('heading', { level: 1, name: 'Where is my parcel?' }).waitFor();

  // Pushed to Alex's open page: no reload.
  await page.getByText('Bea Baker is viewing this conversation.').waitFor({ timeout: 10_000 });
  await beaPage.locator('#composer-body').pressSequentially('Hi Maria, I am on it');
  await page.getByText('Bea Baker is typing here now').waitFor({ timeout: 10_000 });
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: 'test-results/agent-collision.png' });
  // Bea sees Alex too.
  await beaPage.getByText('Alex Agent is viewing this conversation.').waitFor({ timeout: 10_000 });

  // Bea moves on to her inbox: the warning goes at once (a closed tab goes silent: after 45 s).
  await beaPage.getByRole('link', { name: 'Inbox' }).first().click();
  await beaPage.getByRole('heading', { name: 'Inbox' }).waitFor();
  await page.getByText('Bea Baker is', { exact: false }).waitFor({ state: 'detached', timeout: 10_000 });
  await other.close();

  // Handle time: Bea's stretch from opening to typing was active time (both reports said so).
  const times = await apiCall<{ totalSeconds: number; people: Array<{ personId: number; seconds: number }> }>(
    'GET',
    `/conversations/${second}/handle-time`,
  );
  assert.ok(
    times.people.some((p) => p.personId === bea.id),
    `Bea's active time is recorded: ${JSON.stringify(times)}`,
  );
  const panel = page.getByRole('region', { name: 'Handle time' });
  await panel.waitFor();
  await panel.getByText(/^Bea Baker: \d+ s$/).waitFor({ timeout: 30_000 });
});

test('merge two conversations of one customer, then split a message off into a new one', async () => {
  const made = async (subject: string, body: string) =>
    (
      await apiCall<{ conversation: { id: number } }>('POST', '/conversations', {
        subject,
        channel: 'email',
        customer: { email: 'lena@example.com', name: 'Lena Weber' },
        message: { body },
      })
    ).conversation.id;
  const main = await made('Order 7781 missing', 'My order 7781 has not arrived.');
  const again = await made('Order 7781, second try', 'Writing again about order 7781.');
  await apiCall('POST', `/conversations/${main}/messages`, {
    direction: 'inbound',
    body: 'Also: the invoice for it is addressed to my old company.',
  });

  await page.goto(`${base}/conversations/${again}`);
  await page.getByRole('button', { name: 'Merge…' }).click();
  const dialog = page.getByRole('dialog', { name: /^Merge “Order 7781, second try”/ });
  await dialog.getByRole('radio', { name: /Order 7781 missing/ }).check();
  assert.deepEqual(await axe(page), []);
  await dialog.getByRole('button', { name: 'Merge' }).click();
  await page.waitForURL(conversationUrl(main));
  await page.getByText(`#${again} was merged into this conversation.`).waitFor();
  await page.locator('.msg-body', { hasText: 'Writing again about order 7781.' }).waitFor();
  await page.getByRole('button', { name: 'Split…' }).click();
  await page
    .locator('.msg', { hasText: 'the invoice for it is addressed' })
    .getByLabel('Move to the new conversation')
    .check();
  await page.getByLabel('Subject of the new conversation').fill('Invoice to the old company');
  await page.getByRole('button', { name: 'Split off 1 message' }).click();
  await page.getByRole('heading', { level: 1, name: 'Invoice to the old company' }).waitFor();
  await page.locator('.msg-body', { hasText: 'the invoice for it is addressed' }).waitFor();
  assert.equal(await page.locator('.msg').count(), 1, 'only the split message came along');

  await page.goto(`${base}/conversations/${again}`);
  await page.getByText('This conversation was merged into').waitFor();
  await page
    .locator('.merged-note')
    .getByRole('link', { name: `#${main}` })
    .click();
  await page.waitForURL(conversationUrl(main));
  // The page has loaded its timeline once the merged-in message is there; then count.
  await page.locator('.msg-body', { hasText: 'Writing again about order 7781.' }).waitFor();
  assert.equal(await page.locator('.msg').count(), 2, 'both of Lena’s first messages, without the split one');
});

test('at 800 px: the conversation with its reason and the open panel still fit; ? lists Shift+N', async () => {
  await page.setViewportSize({ width: 800, height: 1000 });
  await apiCall('PATCH', `/conversations/${third}`, { assigneeId: alex.id });
  await page.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor({ timeout: 10_000 });
  await bell().click();
  await page
    .locator('.bell-item', { hasText: `#${third}` })
    .getByRole('link')
    .click();
  await page.waitForURL(conversationUrl(third));
  await page.getByRole('heading', { level: 1, name: 'Cannot reset my password' }).waitFor();
  await page.screenshot({ path: 'test-results/agent-conversation-800.png', fullPage: true });
  await page.goto(`${base}/conversations/${first}`);
  await page.locator('.msg-files').first().waitFor();
  await page.screenshot({ path: 'test-results/agent-conversation-files-800.png', fullPage: true });
  await bell().click();
  await page.getByRole('dialog', { name: 'Notifications' }).locator('.bell-item').first().waitFor();
  const box = await page.locator('.bell-panel').boundingBox();
  assert.ok(
    box && box.x >= 0 && box.x + box.width <= 800,
    `the panel fits the window: ${JSON.stringify(box)}`,
  );
  await page.screenshot({ path: 'test-results/agent-notifications-800.png' });
  await page.keyboard.press('Escape');
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.getByText('Shift+N').waitFor();
  await page.keyboard.press('Escape');
  assert.deepEqual(problems, [], 'no page errors and no CSP violations');
});

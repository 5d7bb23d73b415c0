import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admin, axe, collectProblems, inboxList, startE2e } from './support.js';

/**
 * The agent app in a real browser, the journeys of issue 4: sign in, the inbox with seeded conversations, open
 * one, reply, solve, search, and a message created through the API appearing without a reload. axe-core on
 * the inbox, a conversation and a customer; screenshots under test-results/.
 */
const { base, browser, apiCall } = await startE2e();

const seeded = [
  ['Maria Lopez', 'Where is my parcel?', 'It was due on Monday and the tracking page has not moved.'],
  ['Tom Becker', 'Charged twice for one order', 'My card shows two payments of 49.90 for order 10142.'],
  ['Aiko Tanaka', 'Cannot reset my password', 'The reset e-mail never arrives, I checked the spam folder.'],
  ['Samuel Okoye', 'Refund for a damaged lamp', 'The lamp arrived with a cracked shade.'],
  ['Jana Novak', 'Change the delivery address', 'I moved last week; please send it to my new flat.'],
  ['Liam Byrne', 'Invoice without VAT number', 'Our accountant needs the VAT number on the invoice.'],
  ['Fatima Zahra', 'The app crashes on login', 'Since the update the app closes as soon as I sign in.'],
  ['Oskar Lind', 'Cancel my subscription', 'Please cancel at the end of this month.'],
  ['Priya Nair', 'Wrong size delivered', 'I ordered a medium and got a small.'],
  ['Chen Wei', 'Card declined at checkout', 'My card works everywhere else but is declined in your shop.'],
  ['Emma Rossi', 'Discount code not working', 'The code SPRING10 says it has expired.'],
  ['Noah Smith', 'Account locked after the update', 'I cannot get in since yesterday.'],
] as const;
for (const [i, [name, subject, body]] of seeded.entries()) {
  await apiCall('POST', '/conversations', {
    subject,
    channel: ['email', 'chat', 'webform', 'phone'][i % 4],
    priority: i % 5 === 0 ? 'high' : 'normal',
    customer: { email: `customer${i}@example.com`, name },
    message: { body },
  });
}

const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const problems = collectProblems(page);

async function visibleSubjects(): Promise<string[]> {
  return page.locator('.row-subject').allTextContents();
}

/** Nothing focused: single-key shortcuts are not typed into a field. */
async function leaveFields(): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

/** Subjects of rows on screen: inside the viewport, not merely in the page. */
async function subjectsOnScreen(): Promise<string[]> {
  return page.locator('.row-subject').evaluateAll((els) =>
    els
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
      })
      .map((el) => el.textContent ?? ''),
  );
}

test('sign in: a wrong password is explained, the right one opens the inbox', async () => {
  const res = await page.goto(base);
  assert.equal(res?.status(), 200);
  assert.match(res?.headers()['content-security-policy'] ?? '', /script-src 'self'/);
  await page.getByLabel('E-mail address').fill(admin.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor();
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
});

test('the inbox shows the seeded conversations, passes axe, and is saved as a screenshot', async () => {
  await page.locator('.row-subject', { hasText: seeded[0][1] }).waitFor();
  await page.locator('.row-customer', { hasText: seeded[0][0] }).waitFor();
  const subjects = await subjectsOnScreen();
  const shown = seeded.filter(([, subject]) => subjects.includes(subject));
  assert.ok(shown.length >= 10, `at least 10 seeded subjects visible, saw ${shown.length}: ${subjects}`);
  // Priority reads like the status beside it: capitalised.
  assert.equal(await page.locator('.row .badge.priority-high').first().textContent(), 'High');
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: 'test-results/inbox.png' });
});

test('a conversation created through the API appears in the open inbox without a reload', async () => {
  await page.evaluate(() => {
    (window as unknown as { stayed: boolean }).stayed = true;
  });
  await page.locator('.live-live').waitFor();
  await apiCall('POST', '/conversations', {
    subject: 'Arrived while you were looking',
    channel: 'email',
    customer: { email: 'late@example.com', name: 'Lena Late' },
    message: { body: 'Hello from the API.' },
  });
  await page
    .locator('.row-subject', { hasText: 'Arrived while you were looking' })
    .waitFor({ timeout: 10_000 });
  assert.equal(
    await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed),
    true,
    'no reload',
  );
});

test('keyboard: j/k move the selection, Enter opens, r replies, e solves', async () => {
  await leaveFields();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  const selected = (await page.locator('.row.selected .row-subject').textContent()) ?? '';
  assert.equal(selected, (await visibleSubjects())[1], 'the second row after j, j, k');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: selected }).waitFor();
  assert.match(page.url(), /\/conversations\/\d+$/);
  await page.locator('.msg-inbound').first().waitFor();

  await page.keyboard.press('r');
  const reply = page.getByRole('textbox', { name: /^Reply to/ });
  assert.equal(await reply.evaluate((el) => el === document.activeElement), true, 'r focuses the reply box');
  await reply.fill('Thank you for telling us; it is sorted now.');
  await page.keyboard.press('Control+Enter');
  await page.locator('.msg-outbound', { hasText: 'it is sorted now' }).waitFor();
  await leaveFields();
  await page.keyboard.press('e');
  await page.locator('.conversation-facts .badge', { hasText: 'Solved' }).waitFor();

  // Its row in Solved says when it changed in words: "updated just now", never "just now ago".
  await page.getByRole('link', { name: 'Inbox' }).first().click();
  await page
    .getByRole('navigation', { name: 'Inbox views' })
    .getByRole('link', { name: /^Solved/ })
    .click();
  const solved = (await inboxList(page, /^Solved/)).locator('.row', { hasText: selected });
  const facts = (await solved.locator('.row-facts').textContent()) ?? '';
  assert.match(facts, /updated just now/);
  assert.doesNotMatch(facts, /just now ago/);
});

test('a conversation: notes look different, messages from the API arrive live, axe passes', async () => {
  await page.getByRole('link', { name: 'Inbox' }).first().click();
  await page.locator('.row-subject', { hasText: seeded[1][1] }).click();
  await page.getByRole('heading', { level: 1, name: seeded[1][1] }).waitFor();
  await page.getByText('Internal note', { exact: false }).first().click();
  await page.getByRole('textbox', { name: /Internal note/ }).fill('Refund issued in the payment provider.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await page.locator('.msg-note', { hasText: 'Refund issued' }).waitFor();
  const id = Number(page.url().split('/').pop());
  await apiCall('POST', `/conversations/${id}/messages`, {
    direction: 'inbound',
    body: 'Thanks, I see it now!',
  });
  await page.locator('.msg-inbound', { hasText: 'Thanks, I see it now!' }).waitFor({ timeout: 10_000 });
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: 'test-results/conversation.png', fullPage: true });
});

test('the customer page: profile, identities and conversations; axe passes', async () => {
  await page.locator('.customer-panel').getByRole('link', { name: seeded[1][0] }).click();
  await page.getByRole('heading', { level: 1, name: seeded[1][0] }).waitFor();
  await page.getByText('customer1@example.com').waitFor();
  await page.locator('.history a', { hasText: seeded[1][1] }).waitFor();
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: 'test-results/customer.png' });
});

test('customer 360: edit the profile, notes and attributes; merge a duplicate with its conversation', async () => {
  // Still on Tom Becker's page.
  const panel = page.locator('.customer-panel');
  await panel.getByRole('button', { name: 'Edit customer' }).click();
  await page.getByLabel('Tier').fill('gold');
  await page.getByLabel('Lifetime value').fill('1250.50');
  await page.getByLabel('Notes (colleagues only)').fill('Prefers e-mail. Long-time customer.');
  await page.getByRole('button', { name: 'Add attribute' }).click();
  await page.getByLabel('Attribute 1 name').fill('plan');
  await page.getByLabel('Attribute 1 value').fill('business');
  assert.deepEqual(await axe(page), []);
  await page.getByRole('button', { name: 'Save customer' }).click();
  await panel.getByText('Prefers e-mail. Long-time customer.').waitFor();
  await panel.locator('.attributes dd', { hasText: 'business' }).waitFor();
  // The key is shown as a label ("plan" reads "Plan"), the key itself in its tooltip.
  assert.equal(await panel.locator('.attributes dt').first().textContent(), 'Plan');
  assert.equal(await panel.locator('.attributes dt').first().getAttribute('title'), 'plan');
  await panel.locator('dd', { hasText: 'gold' }).waitFor();
  type Found = { items: Array<{ tier: string; lifetimeValue: number; attributes: object }> };
  const found = await apiCall<Found>('GET', `/customers?q=${encodeURIComponent(seeded[1][0])}`);
  const tom = found.items[0]!;
  assert.deepEqual([tom.tier, tom.lifetimeValue, tom.attributes], ['gold', 1250.5, { plan: 'business' }]);

  await apiCall('POST', '/conversations', {
    subject: 'Refund for the double charge?',
    channel: 'email',
    customer: { email: 'tom.becker@work.example', name: 'T. Becker' },
    message: { body: 'Writing from my work address.' },
  });
  await panel.getByRole('button', { name: 'Merge a duplicate…' }).click();
  const dialog = page.getByRole('dialog', { name: /^Merge a duplicate into/ });
  await dialog.getByLabel('Find the duplicate (name, e-mail or phone)').fill('tom.becker@work');
  await dialog.getByRole('radio', { name: /T\. Becker/ }).check();
  await dialog.getByRole('button', { name: `Merge T. Becker into ${seeded[1][0]}` }).click();
  await dialog.waitFor({ state: 'hidden' });
  await panel.getByText('tom.becker@work.example', { exact: true }).waitFor();
  await panel.locator('.history a', { hasText: 'Refund for the double charge?' }).waitFor();

  // Taken for one person after all: the work address and its conversation split off again.
  const customerUrl = page.url();
  await panel.getByRole('button', { name: 'Split off…' }).click();
  const splitDialog = page.getByRole('dialog', { name: /^Split off a customer from/ });
  await splitDialog.getByLabel('Name of the new customer').fill('Tom at work');
  await splitDialog.getByRole('checkbox', { name: /tom\.becker@work\.example/ }).check();
  await splitDialog.getByRole('checkbox', { name: /Refund for the double charge\?/ }).check();
  assert.deepEqual(await axe(page), []);
  await splitDialog.getByRole('button', { name: 'Split off' }).click();
  await page.waitForURL((url) => url.href !== customerUrl && /\/customers\/\d+$/.test(url.pathname));
  await page.getByText('Tom at work').first().waitFor();
  // Exact: the closed split dialog may still be in the document for a moment, with its "email: …" label.
  await page.getByText('tom.becker@work.example', { exact: true }).waitFor();
  await page.locator('.history a', { hasText: 'Refund for the double charge?' }).waitFor();
});

test('search: / focuses the box, and the results lead to the conversation', async () => {
  // The previous test's dialog, closing, hands focus back to its opener: let that happen first, or it takes
  // the focus the key gives the search box.
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))));
  await leaveFields();
  await page.keyboard.press('/');
  const box = page.getByRole('searchbox', { name: 'Search messages and customers' });
  assert.equal(await box.evaluate((el) => el === document.activeElement), true);
  await box.fill('accountant');
  await page.keyboard.press('Enter');
  await page.getByRole('link', { name: 'Invoice without VAT number' }).click();
  await page.getByRole('heading', { level: 1, name: 'Invoice without VAT number' }).waitFor();
  // Its one message, counted in the singular.
  await page.getByText('1 message', { exact: true }).waitFor();
});

test('inbox: counts per view; select with click, shift-click and x; bulk-assign and tag; My teams', async () => {
  await page.goto(base);
  const nav = page.getByRole('navigation', { name: 'Inbox views' });
  const openLink = nav.getByRole('link', { name: /^All open/ });
  await openLink.waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.view-count').length >= 6);
  const openCount = Number(
    await openLink.locator('.view-count').evaluate((el) => el.childNodes[1]?.textContent),
  );
  assert.ok(openCount >= 10, `All open counts the seeded conversations: ${openCount}`);
  const mineBefore = await nav.getByRole('link', { name: /^Mine/ }).locator('.view-count').textContent();

  const boxes = page.locator('.row-check');
  await boxes.nth(0).click();
  await boxes.nth(2).click({ modifiers: ['Shift'] });
  await leaveFields();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await leaveFields();
  await page.keyboard.press('x');
  const picked = await page.locator('.row.checked .row-subject').allTextContents();
  assert.equal(picked.length, 4, `rows 1-3 by shift-click, row 4 by x: ${picked.join(' | ')}`);
  const bar = page.getByRole('form', { name: 'Change the selected conversations' });
  await bar.getByText('4 selected').waitFor();
  assert.deepEqual(await axe(page), []);
  const me = await bar.getByLabel('Assign to').locator('option', { hasText: '(me)' }).getAttribute('value');
  await bar.getByLabel('Assign to').selectOption(me!);
  await bar.getByLabel('Tag', { exact: true }).fill('Batch');
  await bar.getByRole('button', { name: 'Apply' }).click();
  await page.getByText('4 conversations changed.').waitFor();
  assert.equal(await page.locator('.row.checked').count(), 0, 'the selection is cleared');
  await page.locator('.row-tags .tag', { hasText: 'batch' }).first().waitFor();
  await page.waitForFunction((before) => {
    const link = [...document.querySelectorAll('nav[aria-label="Inbox views"] a')].find((a) =>
      a.textContent?.startsWith('Mine'),
    );
    return link && link.querySelector('.view-count')?.textContent !== before;
  }, mineBefore);
  const list = await apiCall<{ items: Array<{ subject: string; tags: string[] }> }>(
    'GET',
    '/conversations?tag=batch&limit=50',
  );
  assert.deepEqual(list.items.map((c) => c.subject).sort(), [...picked].sort());

  await nav.getByRole('link', { name: /^My teams/ }).click();
  await page.getByText('Nothing is waiting in your teams').waitFor();
});

test('inbox: sort by urgency and waiting time; a saved view with its count, edited and deleted', async () => {
  const high = seeded.filter((_, i) => i % 5 === 0).map(([, subject]) => subject);
  await page.goto(base);
  await page.locator('.row-subject').first().waitFor();
  await page.getByLabel('Sort').selectOption('priority');
  await page.waitForURL(/sort=priority/);
  await page.waitForFunction((subjects) => {
    const shown = [...document.querySelectorAll('.row-subject')].slice(0, 3).map((e) => e.textContent);
    return subjects.every((s) => shown.includes(s));
  }, high);
  await page.getByLabel('Sort').selectOption('waiting');
  await page.waitForURL(/sort=waiting/);
  // Nobody answered yet: the customer waiting longest wrote first.
  await page.locator('.row-subject').first().filter({ hasText: seeded[0][1] }).waitFor();

  await page.getByRole('button', { name: 'New view' }).click();
  const form = page.getByRole('dialog', { name: 'New inbox view' });
  await form.getByLabel('Name').fill('High priority');
  await form.getByLabel('Priority').selectOption('high');
  await form.getByLabel('Sort').selectOption('waiting');
  assert.deepEqual(await axe(page), []);
  await form.getByRole('button', { name: 'Create view' }).click();
  await page.waitForURL(/\/inbox\/saved-\d+$/);
  await page.getByRole('heading', { name: /^High priority/ }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.row-subject').length === 3);
  assert.deepEqual((await visibleSubjects()).sort(), [...high].sort());
  assert.equal(await page.getByLabel('Sort').inputValue(), 'waiting', "the view's own sort");
  const link = page
    .getByRole('navigation', { name: 'Inbox views' })
    .getByRole('link', { name: /^High priority/ });
  await link.locator('.view-count', { hasText: '3' }).waitFor();

  await page.getByRole('button', { name: 'Edit view' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit the view “High priority”' });
  await edit.getByLabel('Name').fill('High, by email');
  await edit.getByLabel('Channel').selectOption('email');
  await edit.getByRole('button', { name: 'Save view' }).click();
  await page.getByRole('heading', { name: /^High, by email/ }).waitFor();
  // Seeded channels rotate email, chat, webform, phone: of 0, 5 and 10 only 0 is email.
  await page.waitForFunction(() => document.querySelectorAll('.row-subject').length === 1);
  assert.deepEqual(await visibleSubjects(), [seeded[0][1]]);
  // Its count, to a screen reader in the singular.
  await page
    .getByRole('navigation', { name: 'Inbox views' })
    .getByRole('link', { name: /^High, by email\s*, 1 conversation$/ })
    .waitFor();

  await page.getByRole('button', { name: 'Delete view' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete view' }).click();
  await page.waitForURL(`${base}/`);
  await page
    .getByRole('navigation', { name: 'Inbox views' })
    .getByRole('link', { name: /^High, by email/ })
    .waitFor({ state: 'detached' });
  assert.equal((await apiCall<{ items: unknown[] }>('GET', '/views')).items.length, 0);
});

test('a page whose script cannot be fetched says so and offers a reload; the rest of the app still works', async () => {
  // As after a deploy with the old page still open: the admin pages' chunk is gone.
  await page.route(/\/assets\/AdminSection-[^/]+\.js$/, (route) => route.abort());
  await page.getByRole('link', { name: 'Admin' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'This page could not be loaded' });
  await alert.waitFor();
  await alert.getByRole('button', { name: 'Reload the page' }).waitFor();
  await page.unroute(/\/assets\/AdminSection-[^/]+\.js$/);
  await page.getByRole('link', { name: 'Inbox' }).first().click();
  await page.locator('.row-subject').first().waitFor();
  problems.length = 0; // the aborted script is the test's own doing
});

test('at tablet width the inbox still shows its rows; ? lists the shortcuts; sign out', async () => {
  await page.setViewportSize({ width: 800, height: 1000 });
  await page.getByRole('link', { name: 'Inbox' }).first().click();
  await page.locator('.row-subject').first().waitFor();
  // The top bar fits: the search box keeps a usable width, the user menu stays on screen, nothing scrolls sideways.
  const menu = await page.locator('.usermenu summary').boundingBox();
  assert.ok(
    menu && menu.x >= 0 && menu.x + menu.width <= 800,
    `the user menu is on screen: ${JSON.stringify(menu)}`,
  );
  const search = await page.getByRole('searchbox', { name: 'Search messages and customers' }).boundingBox();
  assert.ok(search && search.width >= 160, `the search box is usable: ${JSON.stringify(search)}`);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 800);
  await page.screenshot({ path: 'test-results/inbox-tablet.png' });
  await page.keyboard.press('?');
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
  await page.keyboard.press('Escape');
  await page.locator('.usermenu summary').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.deepEqual(problems, [], 'no page errors and no CSP violations');
});

// Browser test of the dashboard at `/`, as a user would drive it: Debian's chromium under
// playwright-core, against the running service at BASE_URL (started by .ci/checks/browser-e2e.sh).
// Screenshots go to SCREENSHOT_DIR (default: ../target/e2e).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { BASE_URL, SCREENSHOTS, WAIT, launchBrowser } from './browser.mjs';

let browser;
let context;

before(async () => {
  browser = await launchBrowser('dashboard-e2e');
  ({ context } = browser);
});

after(async () => {
  await browser?.close();
});

/** Resolves once {@code predicate(value)} holds for the polled value; fails with the last value seen. */
async function until(read, predicate, what, timeoutMs = WAIT.timeout) {
  const deadline = Date.now() + timeoutMs;
  let value;
  while (Date.now() < deadline) {
    value = await read();
    if (predicate(value)) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
}

test('a user starts, watches and cancels a ticker, then streams a fan-out, without console errors', async () => {
  const page = context.pages()[0] ?? await context.newPage();
  const consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      consoleErrors.push(message.text());
    }
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));

  await page.goto(BASE_URL);
  await page.getByRole('heading', { name: /async-patterns/ }).waitFor(WAIT);

  // Start a ticker through the form.
  const start = page.getByRole('region', { name: 'Start a job' });
  await start.getByLabel('Type').selectOption('ticker');
  await start.getByLabel('Params (JSON)').fill('{"intervalMs": 200}');
  await start.getByLabel(/^Name/).fill('e2e ticker');
  const [created] = await Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/jobs', WAIT),
    start.getByRole('button', { name: 'Start job' }).click(),
  ]);
  assert.equal(created.status(), 202);
  const { id } = await created.json();

  // Its row reaches RUNNING and its progress rises, live, without a reload.
  const row = page.locator(`#jobs-body tr[data-job-id="${id}"]`);
  await row.getByText('RUNNING', { exact: true }).waitFor(WAIT);
  const progress = () => row.locator('.progress-cell').getAttribute('data-completed').then(Number);
  const first = await until(progress, (completed) => completed >= 1, 'ticks shown in the row');
  await until(progress, (completed) => completed >= first + 3, 'progress rising in the row');

  // The detail (opened by starting the job) shows the live event stream.
  const detail = page.getByRole('region', { name: /^Job / });
  await detail.getByText('progress', { exact: true }).first().waitFor(WAIT);
  await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png') });

  // Cancel from the row: the row reads CANCELLED, the work stopped ticking.
  await row.getByRole('button', { name: /^Cancel/ }).click();
  await row.getByText('CANCELLED', { exact: true }).waitFor(WAIT);
  assert.equal(await row.getByRole('button', { name: /^Cancel/ }).count(), 0, 'a terminal row offers no Cancel');
  await detail.locator('#detail-events').getByText('CANCELLED — by USER').waitFor(WAIT);
  const job = await (await page.request.get(new URL(`api/jobs/${id}`, BASE_URL).href)).json();
  assert.equal(job.cancelReason, 'USER');
  await page.waitForTimeout(1000);
  const later = await (await page.request.get(new URL(`api/jobs/${id}`, BASE_URL).href)).json();
  assert.equal(later.progress.completed, job.progress.completed, 'no ticks after the cancel');

  // The filters ask the server for one state or type.
  const jobs = page.getByRole('region', { name: 'Jobs' });
  await jobs.getByLabel('State').selectOption('RUNNING');
  await row.waitFor({ state: 'detached', ...WAIT });
  await jobs.getByLabel('State').selectOption('CANCELLED');
  await jobs.getByLabel('Type').selectOption('ticker');
  await row.getByText('CANCELLED', { exact: true }).waitFor(WAIT);
  await jobs.getByLabel('State').selectOption('');
  await jobs.getByLabel('Type').selectOption('');

  // The ID button opens the detail from the keyboard too.
  await row.getByRole('button', { name: /show details/ }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: /^Job e2e ticker/ }).waitFor(WAIT);

  // A stream fan-out lists results one by one, in completion order.
  const fanout = page.getByRole('region', { name: 'Fan-out playground' });
  // 500 ms apart, so a busy machine's jitter cannot reorder them.
  const delays = [2500, 500, 2000, 1000, 1500];
  await fanout.getByLabel('URLs, one per line').fill(delays.map((ms) => new URL(`sim/delay/${ms}`, BASE_URL).href).join('\n'));
  await fanout.getByRole('radio', { name: /^stream/ }).check();
  await page.evaluate(() => {
    window.e2eArrivals = [];
    new MutationObserver(() => window.e2eArrivals.push({
      at: performance.now(), count: document.querySelectorAll('#fanout-results > li').length,
    })).observe(document.getElementById('fanout-results'), { childList: true });
  });
  await fanout.getByRole('button', { name: 'Run fan-out' }).click();
  await until(() => fanout.locator('#fanout-results > li').count(), (count) => count === delays.length, 'stream results');
  const arrivals = await page.evaluate(() => window.e2eArrivals);
  const counts = arrivals.map((arrival) => arrival.count);
  assert.deepEqual(counts, [1, 2, 3, 4, 5], 'one result added at a time');
  const spreadMs = arrivals.at(-1).at - arrivals[0].at;
  assert.ok(spreadMs >= 1000, `results arrived over time, not at once (spread ${Math.round(spreadMs)} ms)`);
  const order = await fanout.locator('#fanout-results > li').evaluateAll((items) => items.map((item) => Number(item.dataset.index)));
  assert.deepEqual(order, [1, 3, 4, 2, 0], 'completion order: shortest delay first');
  await fanout.getByText(/5 results in completion order/).waitFor(WAIT);
  await fanout.screenshot({ path: join(SCREENSHOTS, 'fanout.png') });
  await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-full.png'), fullPage: true });

  // Readable on a phone: nothing wider than the screen but the table, which scrolls in its card.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page wider than a phone by ${overflow}px`);
  await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  assert.deepEqual(consoleErrors, [], 'no console errors');

  // API errors read as the problem's title and detail (the one console error is the 400 itself).
  await start.getByLabel('Params (JSON)').fill('{"intervalMs": -5}');
  await start.getByRole('button', { name: 'Start job' }).click();
  const problem = start.getByRole('alert');
  await problem.waitFor(WAIT);
  assert.match(await problem.innerText(), /\(400\)[\s\S]*intervalMs/);
  assert.ok(consoleErrors.every((text) => text.includes('status of 400')), `unexpected console errors: ${consoleErrors}`);
});

test('a delayed job shows SCHEDULED with its due time, the state filter finds it, and a cancel ends it', async () => {
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(BASE_URL);
  await page.getByRole('heading', { name: /async-patterns/ }).waitFor(WAIT);

  const created = await page.request.post(new URL('api/jobs', BASE_URL).href, {
    data: { type: 'sleep', params: { durationMs: 100 }, delayMs: 600000, name: 'e2e later' },
  });
  assert.equal(created.status(), 202);
  const { id, nextAttemptAt } = await created.json();

  const jobs = page.getByRole('region', { name: 'Jobs' });
  await jobs.getByLabel('State').selectOption('SCHEDULED');
  const row = page.locator(`#jobs-body tr[data-job-id="${id}"]`);
  await row.getByText('SCHEDULED', { exact: true }).waitFor(WAIT);
  assert.equal(await row.locator('.state-cell .due time').getAttribute('datetime'), nextAttemptAt, 'the due time shown');

  await row.getByRole('button', { name: /show details/ }).click();
  const detail = page.getByRole('region', { name: /^Job / });
  await detail.getByText('Due', { exact: true }).waitFor(WAIT);

  await row.getByRole('button', { name: /^Cancel/ }).click();
  await row.waitFor({ state: 'detached', ...WAIT });
  const job = await (await page.request.get(new URL(`api/jobs/${id}`, BASE_URL).href)).json();
  assert.equal(job.state, 'CANCELLED');
  assert.equal(job.startedAt, null, 'it never started');
  await jobs.getByLabel('State').selectOption('');
});

test('a 401 makes the page ask for an API key, which it keeps for the tab and sends as a Bearer token', async () => {
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      consoleErrors.push(message.text());
    }
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  // The service runs here without access control: answer the job list like a secured one would.
  const authorizations = [];
  await page.route((url) => url.pathname === '/api/jobs', async (route) => {
    const authorization = route.request().headers().authorization ?? null;
    authorizations.push(authorization);
    if (authorization === 'Bearer e2e-key') {
      await route.continue();
    } else {
      await route.fulfill({
        status: 401,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'An API key is required.' }),
      });
    }
  });

  await page.goto(BASE_URL);
  const dialog = page.getByRole('dialog', { name: 'API key' });
  await dialog.getByText('An API key is required.').waitFor(WAIT);
  await page.getByRole('region', { name: 'Jobs' }).getByRole('alert').getByText('Unauthorized (401)').waitFor(WAIT);
  await dialog.getByLabel('API key or token').fill('e2e-key');
  await dialog.getByRole('button', { name: 'Use key' }).click();

  await page.getByText('Using an API key').waitFor(WAIT);
  await until(async () => authorizations.at(-1), (authorization) => authorization === 'Bearer e2e-key', 'the key sent');
  await page.getByText(/live, updated every second/).waitFor(WAIT);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('asyncpatterns.apiKey')), 'e2e-key');
  assert.equal(await dialog.isVisible(), false);
  assert.ok(consoleErrors.every((text) => text.includes('status of 401')), `unexpected console errors: ${consoleErrors}`);
  await page.close();
});

test('the detail of a job with a callback shows its delivery, and Redeliver sends it again', async () => {
  const page = await context.newPage();
  const api = (path) => new URL(path, BASE_URL).href;
  const delivered = async () => (await (await page.request.get(api('actuator/metrics/asyncpatterns.callbacks.delivered'))).json())
    .measurements[0].value;
  await page.goto(BASE_URL);
  // /sim/status/204 answers POST too: it stands in for the caller's receiver.
  const created = await page.request.post(api('api/jobs'), {
    data: { type: 'sleep', params: { durationMs: 50 }, name: 'e2e callback', callback: { url: api('sim/status/204') } },
  });
  assert.equal(created.status(), 202);
  const { id } = await created.json();

  const row = page.locator(`#jobs-body tr[data-job-id="${id}"]`);
  await row.getByText('SUCCEEDED', { exact: true }).waitFor(WAIT);
  await row.getByRole('button', { name: /show details/ }).click();
  const detail = page.getByRole('region', { name: /^Job / });
  const callback = detail.locator('dd.callback');
  await callback.getByText('DELIVERED', { exact: true }).waitFor(WAIT);
  assert.match(await callback.textContent(), /1 try · last answer 204 → .*\/sim\/status\/204/);

  const before = await delivered();
  await detail.getByRole('button', { name: /^Redeliver/ }).click();
  await until(delivered, (count) => count >= before + 1, 'a second delivery counted');
  await callback.getByText('DELIVERED', { exact: true }).waitFor(WAIT);
  await page.close();
});

test('a job that timed out on every attempt lists its attempts, and Retry runs it once more', async () => {
  const page = await context.newPage();
  await page.goto(BASE_URL);
  // Each attempt sleeps past its 50 ms timeout: two attempts by the policy, both TIMED_OUT.
  const created = await page.request.post(new URL('api/jobs', BASE_URL).href, {
    data: {
      type: 'sleep', params: { durationMs: 5000 }, timeoutMs: 50, name: 'e2e retries',
      retry: { maxAttempts: 2, backoffMs: 100, retryOn: ['TIMED_OUT'] },
    },
  });
  assert.equal(created.status(), 202);
  const { id } = await created.json();

  const row = page.locator(`#jobs-body tr[data-job-id="${id}"]`);
  await row.getByText('TIMED_OUT', { exact: true }).waitFor(WAIT);
  await row.getByRole('button', { name: /show details/ }).click();
  const detail = page.getByRole('region', { name: /^Job / });
  const attempts = detail.locator('table.attempts tbody tr');
  await until(() => attempts.count(), (count) => count === 2, 'two attempts listed');
  assert.match(await attempts.nth(1).textContent(), /^2TIMED_OUT/);

  await detail.getByRole('button', { name: 'Retry this job' }).click();
  await until(() => attempts.count(), (count) => count === 3, 'the requeued attempt listed');
  await until(() => attempts.nth(2).textContent(), (text) => /^3TIMED_OUT/.test(text), 'the third attempt ended');
  await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-retry.png'), fullPage: true });
  await page.close();
});

test('a user creates a schedule, triggers, pauses, resumes and deletes it from the Schedules panel', async () => {
  const page = await context.newPage();
  await page.goto(BASE_URL);
  const panel = page.getByRole('region', { name: 'Schedules' });
  await panel.getByLabel('Name').fill('e2e schedule');
  await panel.getByLabel('Cron or period, ms').fill('3600000');
  await panel.getByLabel('Params (JSON)').fill('{"durationMs": 50}');
  const [created] = await Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/schedules', WAIT),
    panel.getByRole('button', { name: 'Create schedule' }).click(),
  ]);
  assert.equal(created.status(), 201);
  const { id } = await created.json();
  const row = panel.locator(`#schedules-body tr[data-id="${id}"]`);
  await row.getByText('every 3600 s').waitFor(WAIT);

  await row.getByRole('button', { name: 'Trigger e2e schedule' }).click();
  await panel.locator(`#schedules-body tr[data-id="${id}"] .runs`).getByText('SUCCEEDED').waitFor(WAIT);

  await panel.locator(`#schedules-body tr[data-id="${id}"]`).getByRole('button', { name: 'Pause e2e schedule' }).click();
  await panel.locator(`#schedules-body tr[data-id="${id}"] .next-run`).getByText('paused').waitFor(WAIT);
  await panel.locator(`#schedules-body tr[data-id="${id}"]`).getByRole('button', { name: 'Resume e2e schedule' }).click();
  await panel.locator(`#schedules-body tr[data-id="${id}"] .next-run time`).waitFor(WAIT);

  await panel.locator(`#schedules-body tr[data-id="${id}"]`).getByRole('button', { name: 'Delete e2e schedule' }).click();
  await panel.locator(`#schedules-body tr[data-id="${id}"]`).waitFor({ ...WAIT, state: 'detached' });
  await page.close();
});

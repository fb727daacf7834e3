// Browser test of Swagger UI: open /swagger-ui.html, expand POST /api/jobs, "Try it out", Execute
// with the default example, and expect the 202 the service answers, shown by Swagger UI itself.
// Runs against the service at BASE_URL (started by .ci/checks/browser-e2e.sh); screenshot
// swagger-ui.png in SCREENSHOT_DIR.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { BASE_URL, SCREENSHOTS, launchBrowser } from './browser.mjs';

const STEP_MS = 30_000;

let browser;

before(async () => {
  browser = await launchBrowser('swagger-ui-e2e');
  browser.context.setDefaultTimeout(STEP_MS);
});

after(async () => {
  await browser?.close();
});

test('"Try it out" on POST /api/jobs with the default example answers 202 and shows the job', async () => {
  const { context } = browser;
  const page = context.pages()[0] ?? await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  await page.goto(new URL('swagger-ui.html', BASE_URL).href, { waitUntil: 'domcontentloaded' });
  // The operation block's id is springdoc's tag and operationId: find it by method and path instead.
  const operation = page.locator('.opblock-post').filter({
    has: page.locator('.opblock-summary-path', { hasText: /^\/api\/jobs$/ }),
  }).first();
  await operation.waitFor({ state: 'visible' });
  await operation.locator('.opblock-summary-control').click();

  // "Try it out": springdoc's try-it-out-enabled may have switched it on already (the button then
  // reads "Cancel", and a click would switch it off).
  const tryOut = operation.locator('button.try-out__btn');
  if ((await tryOut.innerText()).trim().toLowerCase() === 'try it out') {
    await tryOut.click();
  }
  const body = operation.locator('textarea.body-param__text');
  await body.waitFor({ state: 'visible' });
  const example = JSON.parse(await body.inputValue());
  assert.ok(example.type, `the default example has no job type: ${JSON.stringify(example)}`);

  const jobsUrl = new URL('api/jobs', BASE_URL).href;
  const answered = page.waitForResponse((r) => r.url() === jobsUrl && r.request().method() === 'POST');
  await operation.locator('button.execute').click();
  const response = await answered;
  assert.equal(response.status(), 202, 'POST /api/jobs status');
  const job = await response.json();

  // Swagger UI's own rendering of the answer: the live response table shows 202 and the job id.
  const status = operation.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor({ state: 'visible' });
  assert.match((await status.innerText()).trim(), /^202/, 'status shown by Swagger UI');
  const shownBody = await operation.locator('.live-responses-table .response-col_description pre').first().innerText();
  assert.ok(shownBody.includes(job.id), 'Swagger UI shows the created job id');

  await page.screenshot({ path: join(SCREENSHOTS, 'swagger-ui.png'), fullPage: true });
  assert.deepEqual(pageErrors, [], 'no page errors');

  // The example job must not outlive the test in a shared service: cancel it if still running.
  await page.request.post(new URL(`api/jobs/${job.id}/cancel`, BASE_URL).href).catch(() => undefined);
});

// Drives Swagger UI in Debian's chromium: expand POST /api/jobs, "Try it out", Execute with the
// default example, and expect the 202 the service answers. Never downloads a browser.
//
// Usage: BASE_URL=http://localhost:8080 node swagger-ui.e2e.js [screenshot.png]
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const baseUrl = (process.env.BASE_URL || 'http://localhost:8080').replace(/\/$/, '');
const screenshot = path.resolve(process.argv[2] || '../target/swagger-ui-e2e.png');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const STEP_MS = 30_000;

async function main() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'swagger-ui-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    timeout: STEP_MS,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    context.setDefaultTimeout(STEP_MS);
    const page = context.pages()[0] || await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));

    await page.goto(`${baseUrl}/swagger-ui.html`, { waitUntil: 'domcontentloaded' });
    // The operation block's id is springdoc's tag and operationId: find it by method and path instead.
    const operation = page.locator('.opblock-post').filter({
      has: page.locator('.opblock-summary-path', { hasText: /^\/api\/jobs$/ }),
    });
    await operation.first().waitFor({ state: 'visible' });
    await operation.first().locator('.opblock-summary-control').click();

    // "Try it out": springdoc's try-it-out-enabled may have switched it on already (the button then
    // reads "Cancel", and a click would switch it off).
    const tryOut = operation.first().locator('button.try-out__btn');
    if ((await tryOut.innerText()).trim().toLowerCase() === 'try it out') {
      await tryOut.click();
    }
    const body = operation.first().locator('textarea.body-param__text');
    await body.waitFor({ state: 'visible' });
    const example = JSON.parse(await body.inputValue());
    if (!example.type) throw new Error(`the default example has no job type: ${JSON.stringify(example)}`);

    const answered = page.waitForResponse((r) => r.url() === `${baseUrl}/api/jobs` && r.request().method() === 'POST');
    await operation.first().locator('button.execute').click();
    const response = await answered;
    if (response.status() !== 202) throw new Error(`POST /api/jobs answered ${response.status()}, expected 202`);
    const job = await response.json();

    // Swagger UI's own rendering of the answer: the live response table shows 202.
    const status = operation.first().locator('.live-responses-table .response .response-col_status');
    await status.first().waitFor({ state: 'visible' });
    const shown = (await status.first().innerText()).trim();
    if (!shown.startsWith('202')) throw new Error(`Swagger UI shows status "${shown}", expected 202`);
    const shownBody = await operation.first().locator('.live-responses-table .response-col_description pre').first().innerText();
    if (!shownBody.includes(job.id)) throw new Error('Swagger UI does not show the created job id');

    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    if (pageErrors.length > 0) throw new Error(`page errors: ${pageErrors.join('; ')}`);
    console.log(`swagger-ui-e2e: POST /api/jobs with example ${JSON.stringify(example)} -> 202, job ${job.id} (${job.type}); screenshot ${screenshot}`);

    // The example job must not outlive the test run in a shared service: cancel it if still running.
    await page.request.post(`${baseUrl}/api/jobs/${job.id}/cancel`).catch(() => undefined);
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`swagger-ui-e2e: FAILED: ${e.message}`);
  process.exit(1);
});

// A portable copy (`signpost build --portable`) opened from the file system, as
// it would be from a shared drive or a USB stick: no server, file:// URLs only.
// A folder URL there shows a listing, not the page, so every step checks that
// it landed on a page of the guide. Run by .ci/run with SIGNPOST_PORTABLE_SITE.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const SITE = process.env.SIGNPOST_PORTABLE_SITE && path.resolve(process.env.SIGNPOST_PORTABLE_SITE);
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

let browser;

before(async () => {
  if (!SITE) return;
  assert.ok(fs.existsSync(path.join(SITE, 'index.html')), `no portable build at ${SITE}: build it first`);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
});

/// The page is one of the guide's (its stylesheet applied, one h1), not a
/// folder listing or an error, at a file:// URL ending in index.html.
async function assertGuidePage(page, pattern) {
  await page.waitForLoadState('load');
  const url = page.url();
  assert.match(url, /^file:\/\//, url);
  assert.match(url, pattern, `landed on ${url}`);
  assert.equal(await page.locator('h1').count(), 1, `${url}: one h1`);
  assert.equal(await page.locator('[data-quick-exit]').count(), 1, `${url}: the quick exit`);
  // The stylesheet loaded: the exit bar is styled (the browser's default is static).
  const position = await page.locator('.quick-exit-bar').evaluate((el) => getComputedStyle(el).position);
  assert.notEqual(position, 'static', `${url}: the stylesheet did not load`);
}

test('a portable copy works from file://: front page, an area, a service, back, and search', { skip: !SITE && 'SIGNPOST_PORTABLE_SITE is not set: build with --portable and set it' }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));

  await page.goto(pathToFileURL(path.join(SITE, 'index.html')).href);
  await assertGuidePage(page, /\/index\.html$/);
  const entries = await page.evaluate(() => history.length);

  // Front page → Essex's guide.
  await page.click('a[href="essex/index.html"]');
  await assertGuidePage(page, /\/essex\/index\.html$/);

  // → a service, from the A to Z list.
  await page.click('main a[href*="/services/"] >> nth=0');
  await assertGuidePage(page, /\/essex\/services\/[a-z0-9-]+\/index\.html$/);

  // ← back to the area by the breadcrumb, then to the front page.
  await page.click('.breadcrumbs a >> nth=1');
  await assertGuidePage(page, /\/essex\/index\.html$/);
  await page.click('.breadcrumbs a >> nth=0');
  await assertGuidePage(page, /\/index\.html$/);
  await page.click('a[href="essex/index.html"]');
  await assertGuidePage(page, /\/essex\/index\.html$/);

  // Search runs from its index file, and a result opens the service's page.
  await page.locator('[data-search]').waitFor({ state: 'visible' });
  await page.fill('#search-words', 'housing');
  // Each result's name links to its page (its phone number, if any, is a tel: link).
  const hrefs = await page.$$eval('#search-results .service-list__name a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.length > 0, 'search finds something for "housing"');
  assert.ok(hrefs.every((h) => h.endsWith('/index.html')), `result links: ${hrefs.join(', ')}`);
  await page.click('#search-results .service-list__name a >> nth=0');
  await assertGuidePage(page, /\/essex\/services\/[a-z0-9-]+\/index\.html$/);

  // With JavaScript, links inside the guide replace the history entry, from a
  // file as on the web: the whole visit is still one entry for the exit to replace.
  assert.equal(await page.evaluate(() => history.length), entries, 'the visit is one history entry');
  assert.deepEqual(problems, []);
  await context.close();
});

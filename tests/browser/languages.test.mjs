// The guide in another language, in a real browser: the Welsh tree of the
// example guide (SIGNPOST_SITE) and a right-to-left fixture (SIGNPOST_RTL_SITE,
// built from rtl-site/). Run by .ci/run; see README.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SITE = path.resolve(process.env.SIGNPOST_SITE || path.join(import.meta.dirname, '../../output'));
const RTL_SITE = process.env.SIGNPOST_RTL_SITE && path.resolve(process.env.SIGNPOST_RTL_SITE);
const SHOTS = process.env.SIGNPOST_SCREENSHOTS;
const EXIT_HOST = 'www.bbc.co.uk';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-quic'];
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

function serve(root) {
  return new Promise((resolve) => {
    const s = http.createServer((req, res) => {
      let file = path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
      if (!file.startsWith(root)) { res.writeHead(400).end(); return; }
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      if (!fs.existsSync(file)) { res.writeHead(404).end('not found'); return; }
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(fs.readFileSync(file));
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

let browser;
const servers = [];
async function originOf(root) {
  const s = await serve(root);
  servers.push(s);
  return `http://127.0.0.1:${s.address().port}`;
}

async function axe(page) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS);
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  servers.forEach((s) => s.close());
});

const WELSH = path.join(SITE, 'cy', 'cardiff', 'index.html');

test('the Welsh guide: Welsh words, axe clean, and a switcher to the English page', { skip: !fs.existsSync(WELSH) && `no Welsh tree at ${WELSH}` }, async () => {
  const origin = await originOf(SITE);
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  for (const url of ['/cy/cardiff/', '/cy/cardiff/services/live-fear-free/', '/cy/cardiff/pathways/cardiff-if-you-are-being-hurt-at-home/', '/cy/cover-your-tracks/']) {
    await page.goto(origin + url);
    assert.equal(await page.getAttribute('html', 'lang'), 'cy', url);
    assert.equal(await page.textContent('[data-quick-exit]'), 'Gadael y dudalen hon', url);
    assert.equal(await page.textContent('.skip-link'), "Neidio i'r prif gynnwys", url);
    assert.deepEqual(await axe(page), [], url);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `${url}: ${width}px wide`);
  }
  await page.goto(origin + '/cy/cardiff/services/live-fear-free/');
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'welsh-service-phone.png'), fullPage: true });
  // On a phone the switcher is in the footer (the header keeps the numbers).
  const english = page.locator('.site-footer a[hreflang="en-GB"]');
  assert.equal(await english.textContent(), 'English');
  await english.click();
  await page.waitForURL(`${origin}/cardiff/services/live-fear-free/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en-GB');
  assert.equal(await page.textContent('.site-footer a[hreflang="cy"]'), 'Cymraeg');
  await page.close();
});

test('the Welsh quick exit leaves, replaces the history entry, and counts Shift in Welsh', { skip: !fs.existsSync(WELSH) && 'no Welsh tree' }, async () => {
  const origin = await originOf(SITE);
  const context = await browser.newContext();
  await context.route(`https://${EXIT_HOST}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Weather</title>' }));
  const page = await context.newPage();
  await page.goto(origin + '/cy/cardiff/');
  await page.goto(origin + '/cy/cardiff/services/dan-247/');
  // The first or second Tab stop.
  let reached = false;
  for (let i = 0; i < 2 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.matches('[data-quick-exit]') ?? false);
  }
  assert.ok(reached, 'quick exit within two Tab presses');
  await page.keyboard.press('Shift');
  await page.waitForTimeout(100);
  assert.equal(await page.textContent('[data-quick-exit-status]'), 'Shift, pwyswch 2 gwaith eto i adael');
  const before = await page.evaluate(() => history.length);
  await Promise.all([page.waitForURL(`https://${EXIT_HOST}/**`), page.keyboard.press('Shift').then(() => page.keyboard.press('Shift'))]);
  assert.equal(await page.evaluate(() => history.length), before, 'the exit replaces the entry');
  await page.goBack();
  assert.equal(page.url(), `${origin}/cy/cardiff/`);
  await context.close();
});

test('the Welsh printed handout dates and numbers its pages in Welsh', { skip: !fs.existsSync(WELSH) && 'no Welsh tree' }, async () => {
  const origin = await originOf(SITE);
  const page = await browser.newPage();
  // A browser whose own dates are in English: the date is the page's words'.
  await page.goto(origin + '/cy/cardiff/print/contacts/');
  const months = ['Ionawr', 'Chwefror', 'Mawrth', 'Ebrill', 'Mai', 'Mehefin', 'Gorffennaf', 'Awst', 'Medi', 'Hydref', 'Tachwedd', 'Rhagfyr'];
  const now = new Date();
  const printed = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--print-date'));
  assert.equal(printed.trim(), JSON.stringify(`Argraffwyd ${now.getDate()} ${months[now.getMonth()]} ${now.getFullYear()}`));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-cy-print-')), 'handout.pdf');
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: file, format: 'A4', printBackground: true });
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  assert.match(text, /Tudalen 1 o \d/, 'the running footer counts pages in Welsh');
  assert.match(text, /Argraffwyd \d+ [A-Z][a-z]+ \d{4}/, 'and dates them in Welsh');
  fs.rmSync(path.dirname(file), { recursive: true });
  await page.close();
});

test('Welsh search: "tŷ" and "ty" find the same housing services, in Welsh', { skip: !fs.existsSync(WELSH) && 'no Welsh tree' }, async () => {
  const origin = await originOf(SITE);
  const page = await browser.newPage();
  await page.goto(origin + '/cy/cardiff/');
  await page.locator('[data-search]').waitFor({ state: 'visible' });
  const results = async (query) => {
    await page.fill('#search-words', query);
    return page.$$eval('#search-results a', (as) => as.map((a) => a.textContent));
  };
  const withCircumflex = await results('tŷ');
  const without = await results('ty');
  assert.ok(withCircumflex.includes('Opsiynau Tai Caerdydd'), `tŷ found ${withCircumflex.join(', ')}`);
  assert.deepEqual(without, withCircumflex);
  assert.ok((await results('cyffuriau')).includes('DAN 24/7'));
  await page.fill('#search-words', 'zzzzqqq');
  await page.waitForTimeout(500);
  assert.match(await page.textContent('[data-search-status]'), /Does dim gwasanaethau’n cyfateb/);
  await page.fill('#search-words', 'tŷ');
  await page.waitForTimeout(500);
  assert.match(await page.textContent('[data-search-status]'), /gwasanaeth yn cyfateb/);
  assert.deepEqual(await axe(page), []);
  await page.close();
});

test('right to left: dir="rtl", a mirrored layout, no overflow at 320 px, axe clean', { skip: !RTL_SITE && 'set SIGNPOST_RTL_SITE to a build of tests/browser/rtl-site' }, async () => {
  const origin = await originOf(RTL_SITE);
  const page = await browser.newPage({ viewport: { width: 800, height: 1000 } });
  const side = async (selector) => page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    return r.left + r.width / 2 < window.innerWidth / 2 ? 'left' : 'right';
  });
  await page.goto(origin + '/essex/');
  assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
  assert.equal(await side('[data-quick-exit]'), 'right');
  assert.equal(await side('h1'), 'left');
  await page.goto(origin + '/ar/essex/');
  assert.equal(await page.getAttribute('html', 'lang'), 'ar');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await side('[data-quick-exit]'), 'left', 'the exit sits at the start of the line, on the left');
  assert.equal(await side('h1'), 'right', 'headings start on the right');
  const border = await page.$eval('.need-card', (el) => getComputedStyle(el).borderRightWidth);
  assert.notEqual(border, '0px', 'the need cards’ accent border is on the right');
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'rtl-area.png'), fullPage: true });
  for (const url of ['/ar/essex/', '/ar/essex/services/open-road/', '/ar/essex/pathways/first-steps/', '/ar/essex/print/']) {
    await page.setViewportSize({ width: 320, height: 800 });
    await page.goto(origin + url);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 320, `${url}: ${width}px wide at 320`);
    assert.deepEqual(await axe(page), [], url);
  }
  // The diagram reads from the right too.
  await page.goto(origin + '/ar/essex/pathways/first-steps/');
  assert.equal(await page.getAttribute('svg.pathway-diagram', 'direction'), 'rtl');
  await page.close();
});

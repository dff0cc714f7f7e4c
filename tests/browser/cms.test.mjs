// The browser editor (issue 18): Decap CMS, configured by `signpost build`,
// run against decap-server (its local stand-in for GitHub) on a copy of the
// example guide. A service made through the form passes `check` and builds
// into a page; a service edited through the form changes only where edited.
//
// Needs the signpost binary (SIGNPOST_BIN, default target/debug/signpost) and
// the pinned Decap release that .ci/install-browser-deps unpacks into
// .decap-cms/. Nothing leaves the machine: the page's requests for Decap's
// script are answered from that copy (its integrity hash still checked).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import YAML from 'yaml';

const require = createRequire(import.meta.url);
const REPO = path.resolve(import.meta.dirname, '../..');
const BIN = process.env.SIGNPOST_BIN || path.join(REPO, 'target/debug/signpost');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const DECAP_SERVER = require.resolve('decap-server/dist/index.js');
// Where Decap looks for decap-server (`local_backend: true`); the test's own
// decap-server runs on a free port, and requests are passed on to it.
const LOCAL_BACKEND = 'http://localhost:8081';
const TYPES = { '.html': 'text/html; charset=utf-8', '.yml': 'text/yaml; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript' };

let work; // the copy of the example guide, a Git repository
let site; // its built output
let server;
let origin;
let decap; // the decap-server process
let decapPort;
let browser;
let decapDist;

const git = (...args) => execFileSync('git', args, { cwd: work, encoding: 'utf8' });

/// `signpost ARGS --root work`: exit code and standard error.
function signpost(...args) {
  const r = spawnSync(BIN, [...args, '--root', work], {
    encoding: 'utf8', env: { ...process.env, SIGNPOST_TODAY: '2026-12-01' },
  });
  return { code: r.status, stderr: r.stderr };
}

function build() {
  const r = signpost('build', '--output', site);
  assert.equal(r.code, 0, r.stderr);
}

function serve(root) {
  return new Promise((resolve) => {
    const s = http.createServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      let file = path.join(root, decodeURIComponent(url.pathname));
      if (!file.startsWith(root)) { res.writeHead(400).end(); return; }
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      if (!fs.existsSync(file)) { res.writeHead(404).end('not found'); return; }
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(fs.readFileSync(file));
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

function freePort() {
  return new Promise((resolve) => {
    const s = http.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function waitFor(check, what, ms = 20000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

before(async () => {
  assert.ok(fs.existsSync(BIN), `no signpost binary at ${BIN}: run cargo build, or set SIGNPOST_BIN`);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-cms-'));
  site = path.join(work, 'output');
  fs.cpSync(path.join(REPO, 'content'), path.join(work, 'content'), { recursive: true });
  fs.writeFileSync(path.join(work, '.gitignore'), 'output/\n');
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=Test', '-c', 'user.email=test@example.org', 'add', '.');
  git('-c', 'user.name=Test', '-c', 'user.email=test@example.org', 'commit', '-q', '-m', 'The example guide');
  git('config', 'user.name', 'Signpost test');
  git('config', 'user.email', 'test@example.org');
  build();
  const admin = fs.readFileSync(path.join(site, 'admin/index.html'), 'utf8');
  const version = admin.match(/decap-cms@([^/]+)\/dist\//)[1];
  decapDist = path.join(import.meta.dirname, '.decap-cms', version, 'package/dist');
  assert.ok(fs.existsSync(path.join(decapDist, 'decap-cms.js')),
    `no copy of decap-cms ${version} in ${decapDist}: run .ci/install-browser-deps`);
  server = await serve(site);
  origin = `http://127.0.0.1:${server.address().port}`;
  decapPort = await freePort();
  // Git mode: the editorial workflow, each change a branch, as on GitHub.
  decap = spawn(process.execPath, [DECAP_SERVER], {
    env: { ...process.env, PORT: String(decapPort), MODE: 'git', GIT_REPO_DIRECTORY: work, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitFor(async () => {
    try {
      const r = await fetch(`http://127.0.0.1:${decapPort}/api/v1`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"action":"info"}',
      });
      return r.ok;
    } catch { return false; }
  }, 'decap-server');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
});

after(async () => {
  await browser?.close();
  decap?.kill();
  server?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/// A page of the editor, with Decap's script answered from the local copy
/// and decap-server's address passed on to the test's own; every other
/// request off the machine is refused and remembered.
async function editor() {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const offsite = [];
  const cspErrors = [];
  await context.route(/^https?:\/\//, (route) => answer(route).catch((e) => {
    // A request still open when the test closes the page has nowhere to go.
    if (!/disposed|closed/.test(e.message)) throw e;
  }));
  const answer = async (route) => {
    const url = new URL(route.request().url());
    if (url.origin === origin) return route.continue();
    if (url.hostname === 'unpkg.com') {
      const rel = url.pathname.replace(/^\/decap-cms@[^/]+\/dist\//, '');
      const file = path.join(decapDist, rel);
      if (!file.startsWith(decapDist) || !fs.existsSync(file)) return route.fulfill({ status: 404 });
      return route.fulfill({
        status: 200,
        headers: { 'Access-Control-Allow-Origin': '*', 'Content-Type': rel.endsWith('.wasm') ? 'application/wasm' : 'text/javascript' },
        body: fs.readFileSync(file),
      });
    }
    if (url.origin === LOCAL_BACKEND) {
      const response = await route.fetch({ url: `http://127.0.0.1:${decapPort}${url.pathname}` });
      return route.fulfill({ response, headers: { ...response.headers(), 'access-control-allow-origin': origin } });
    }
    offsite.push(url.href);
    return route.abort();
  };
  const page = await context.newPage();
  // "Are you sure you want to publish?": yes.
  page.on('dialog', (d) => d.accept());
  page.on('console', (m) => {
    if (process.env.CMS_DEBUG) console.log('console:', m.type(), m.text().slice(0, 400));
    if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
  });
  page.on('pageerror', (e) => { if (process.env.CMS_DEBUG) console.log('pageerror:', e.message.slice(0, 400)); });
  await page.goto(`${origin}/admin/`);
  if (process.env.CMS_DEBUG) { await page.waitForTimeout(5000); await page.screenshot({ path: '/dev/shm/cms-explore/login.png' }); console.log(offsite); }
  // decap-server needs no password: its login page has one button.
  await page.getByRole('button', { name: /login/i }).click();
  await page.getByText('Services', { exact: true }).first().waitFor();
  return { context, page, offsite, cspErrors };
}

test('the editor loads under its own CSP, with nothing from any other host', async () => {
  const { context, page, offsite, cspErrors } = await editor();
  try {
    await page.screenshot({ path: '/dev/shm/cms-explore/a.png' });
    assert.deepEqual(offsite, []);
    assert.deepEqual(cspErrors, []);
  } finally {
    await context.close();
  }
});

/// Picks `label` in the react-select widget of the field labelled `field`.
async function choose(page, field, label) {
  const control = page.locator(`[id="${await page.getByText(field, { exact: true }).first().getAttribute('for')}"]`);
  await control.click();
  await control.pressSequentially(label);
  await page.keyboard.press('Enter');
}

/// Saves, marks the entry ready and publishes it: the editorial workflow
/// (on GitHub, merging its pull request).
async function saveAndPublish(page) {
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Entry saved', { exact: false }).first().waitFor();
  await page.getByRole('button', { name: /Status:/ }).click();
  await page.getByRole('menuitem', { name: 'Ready' }).click();
  await page.getByRole('button', { name: /^Publish/ }).click();
  await page.getByRole('menuitem', { name: 'Publish now' }).click();
}

test('a service made through the form passes check and builds into its page', async () => {
  const { context, page, offsite, cspErrors } = await editor();
  try {
    await page.goto(`${origin}/admin/#/collections/services/new`);
    const box = (label) => page.getByLabel(label, { exact: true }).first();
    await box('Name').fill('Chelmsford Women\'s Drop-in');
    await box('Organisation').fill('Essex Women\'s Network');
    await box('Summary').fill('A weekly drop-in for women in contact with the criminal justice system.');
    await choose(page, 'Areas', 'Essex');
    await choose(page, 'Needs', 'Housing');
    await choose(page, 'How she gets in', 'She can contact them herself');
    await page.getByLabel(/^Phone/).first().fill('01245 000000');
    await page.locator('[data-slate-editor="true"]').last().click();
    await page.keyboard.type('Drop in on Tuesdays for a cup of tea and advice.');
    await saveAndPublish(page);
    const file = path.join(work, 'content/services/chelmsford-womens-drop-in.md');
    await waitFor(() => fs.existsSync(file), `${file} on the main branch (files: ${git('ls-files', '--others', 'content').trim()}; branches: ${git('branch').trim()})`);
    const text = fs.readFileSync(file, 'utf8');
    if (process.env.CMS_DEBUG) fs.writeFileSync('/dev/shm/cms-explore/new.md', text);
    // The change came the editorial way: a branch, merged into main.
    assert.match(git('log', '--format=%s', '-3'), /chelmsford-womens-drop-in/i);
    const check = signpost('check');
    assert.equal(check.code, 0, `check fails on what Decap wrote:\n${check.stderr}\n${text}`);
    build();
    const built = fs.readFileSync(path.join(site, 'essex/services/chelmsford-womens-drop-in/index.html'), 'utf8');
    assert.match(built, /<h1[^>]*>Chelmsford Women(’|'|&#x27;|&#39;)s Drop-in<\/h1>/);
    assert.match(built, /Drop in on Tuesdays for a cup of tea and advice\./);
    assert.match(built, /tel:01245000000/);
  } finally {
    await context.close();
  }
  assert.deepEqual(offsite, []);
  assert.deepEqual(cspErrors, []);
});

/// A Markdown file's front matter as YAML's document (with its comments),
/// and its body.
function split(text) {
  const [, front, body] = text.match(/^---\n([\s\S]*?)\n---\n([\s\S]*)$/);
  return { doc: YAML.parseDocument(front), front, body };
}

/// Each comment line, with the field written after it.
function commentsByField(front) {
  const found = [];
  let pending = [];
  for (const line of front.split('\n')) {
    // A commented example (`#  - name: ...`) or field (`# reviewer: ...`)
    // is nobody's note, as `signpost new`'s templates are read.
    if (/^\s*#(  |\s*[a-z_]+:)/.test(line)) pending = [];
    else if (/^\s*#/.test(line)) pending.push(line.trim());
    else if (/^[a-z_]+:/.test(line)) {
      const field = line.split(':')[0];
      for (const c of pending) found.push(`${field} <- ${c}`);
      pending = [];
    } else if (line.trim() === '') pending = [];
  }
  return found;
}

/// Opens `slug` in the editor, replaces its summary, saves and publishes.
async function editSummary(slug, summary) {
  const { context, page, offsite, cspErrors } = await editor();
  try {
    await page.goto(`${origin}/admin/#/collections/services/entries/${slug}`);
    const box = page.getByLabel('Summary', { exact: true }).first();
    await box.waitFor();
    await box.fill(summary);
    await saveAndPublish(page);
    const file = path.join(work, `content/services/${slug}.md`);
    // Parsed, not searched for: Decap's YAML writer folds long lines.
    await waitFor(() => split(fs.readFileSync(file, 'utf8')).doc.toJS().summary === summary, `the new summary in ${file}`);
  } catch (e) {
    if (process.env.CMS_DEBUG) await page.screenshot({ path: `/dev/shm/cms-explore/${slug}.png` });
    throw e;
  } finally {
    await context.close();
  }
  assert.deepEqual(offsite, []);
  assert.deepEqual(cspErrors, []);
}

test('editing a service changes only the field edited: values, order and body kept', async () => {
  const slug = 'barnardos-capi-essex';
  const file = path.join(work, `content/services/${slug}.md`);
  const before = split(fs.readFileSync(file, 'utf8'));
  const summary = 'Support for children when a parent or carer is arrested, goes to court or to prison.';
  await editSummary(slug, summary);
  const written = fs.readFileSync(file, 'utf8');
  if (process.env.CMS_DEBUG) fs.writeFileSync('/dev/shm/cms-explore/edited.md', written);
  const after = split(written);
  const old = before.doc.toJS();
  const now = after.doc.toJS();
  assert.deepEqual(Object.keys(now), Object.keys(old), 'the fields, in their order');
  assert.deepEqual({ ...now, summary: old.summary }, old, 'every other field as it was');
  assert.equal(now.summary, summary);
  assert.equal(after.body, before.body, 'the body byte for byte');
  const check = signpost('check');
  assert.equal(check.code, 0, `check fails on what Decap wrote:\n${check.stderr}\n${written}`);
});

test('editing a file that `signpost new` wrote keeps the notes above its fields', async () => {
  // A service as an editor makes one at the command line, filled in.
  const made = signpost('new', 'service', 'Basildon Women\'s Centre');
  assert.equal(made.code, 0, made.stderr);
  const slug = 'basildon-womens-centre';
  const file = path.join(work, `content/services/${slug}.md`);
  let text = fs.readFileSync(file, 'utf8')
    .replace('organisation:\n', 'organisation: Basildon Women\'s Centre CIC\n')
    .replace('summary:\n', 'summary: A centre for women.\n')
    .replace('areas: []', 'areas: [essex]')
    .replace('needs: []', 'needs: [housing]')
    .replace('  phone:\n', '  phone: 01268 000000\n');
  fs.writeFileSync(file, text);
  assert.equal(signpost('check').code, 0, signpost('check').stderr);
  git('add', '.');
  git('commit', '-q', '-m', 'A new service');
  const before = split(text);
  await editSummary(slug, 'A centre for women in south Essex.');
  const written = fs.readFileSync(file, 'utf8');
  if (process.env.CMS_DEBUG) fs.writeFileSync('/dev/shm/cms-explore/edited-new.md', written);
  const after = split(written);
  // Every note above a field that has a value is still above that field.
  const kept = commentsByField(after.front);
  const lost = commentsByField(before.front)
    .filter((c) => before.doc.get(c.split(' <- ')[0]) !== null && before.doc.get(c.split(' <- ')[0]) !== undefined)
    .filter((c) => !kept.includes(c));
  assert.deepEqual(lost, [], `notes lost:\n${written}`);
  const old = before.doc.toJS();
  const now = after.doc.toJS();
  assert.equal(now.summary, 'A centre for women in south Essex.');
  for (const [k, v] of Object.entries(old)) {
    if (k !== 'summary' && v !== null) assert.deepEqual(now[k], v, k);
  }
  assert.equal(after.body, before.body);
  const check = signpost('check');
  assert.equal(check.code, 0, `check fails on what Decap wrote:\n${check.stderr}\n${written}`);
});

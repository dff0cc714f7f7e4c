import { chromium } from '/work/main/tests/browser/node_modules/playwright-core/index.mjs';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking'] });
for (const url of ['http://127.0.0.1:8766/pftest-nocsp.html', 'http://127.0.0.1:8766/pftest.html', 'file:///tmp/pf/site/pftest-nocsp.html']) {
  const page = await browser.newPage();
  const msgs = []; page.on('console', m => msgs.push(m.type() + ': ' + m.text())); page.on('pageerror', e => msgs.push('pageerror ' + e));
  const bytes = []; page.on('response', async r => { try { bytes.push([r.url().replace(/.*\/pagefind\//, ''), (await r.body()).length]); } catch {} });
  await page.goto(url); await page.waitForTimeout(4000);
  console.log('==', url); console.log((await page.textContent('#out')).slice(0, 3000)); console.log(msgs.slice(0, 4).join('\n'));
  if (url.includes('nocsp') && url.startsWith('http')) console.log('downloads', JSON.stringify(bytes), 'total', bytes.reduce((a, b) => a + b[1], 0));
  await page.close();
}
await browser.close();

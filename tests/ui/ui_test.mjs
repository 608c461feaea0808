// Browser test of credstack's HTML pages in Debian's headless Chromium
// (driven by playwright-core; no browser download). Starts the real
// `credstack serve --demo true` (what `make run` starts), then as a visitor:
// the home page lists the demo issuer, its ESCO-aligned achievements and
// sample credentials; a sample credential's page says it verifies; after
// the issuer revokes it through the API, the same page says it does not.
// Screenshots go to OUT_DIR for people to look at.
//
//   node ui_test.mjs path/to/credstack OUT_DIR
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [binary, outDir] = process.argv.slice(2);
if (!binary || !outDir) {
  console.error('usage: node ui_test.mjs path/to/credstack OUT_DIR');
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not up yet */ }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`server not ready at ${url}`);
}

const data = mkdtempSync(join(tmpdir(), 'credstack-ui-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(binary, ['serve', '--listen', `127.0.0.1:${port}`, '--data', data,
                              '--demo', 'true', '--log-level', 'warn'],
                     { stdio: ['ignore', 'pipe', 'inherit'] });
let banner = '';
server.stdout.on('data', d => { banner += d; });
let browser;
try {
  await waitFor(`${base}/readyz`, 30000);
  mkdirSync(outDir, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const consoleErrors = [];
  page.on('console', m => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', e => consoleErrors.push(String(e)));

  // The home page: the demo issuer, achievements with ESCO skills, samples.
  const home = await page.goto(`${base}/`);
  check(home.status() === 200, 'home page answers 200');
  check((home.headers()['content-type'] || '').startsWith('text/html'), 'home page is HTML');
  const h2 = await page.locator('h2').first().textContent();
  check(h2.includes('Demo University'), `home page names the demo issuer (${h2})`);
  const achievements = await page.locator('li strong').allTextContents();
  check(achievements.includes('Spreadsheet Essentials'),
        `home page lists the demo achievements (${achievements.length})`);
  const skillLinks = await page.locator('a[href*="data.europa.eu/esco/skill"]').count();
  check(skillLinks >= 10, `achievements link their ESCO skills (${skillLinks} links)`);
  await page.screenshot({ path: join(outDir, 'home.png'), fullPage: true });

  // A sample credential, reached by clicking its link.
  const sample = page.locator(`a[href^="${base}/credentials/"]`).first();
  const href = await sample.getAttribute('href');
  check(!!href, 'home page links a sample credential');
  await Promise.all([page.waitForLoadState('load'), sample.click()]);
  check(page.url() === href, `clicking the sample opens ${href}`);
  const title = await page.locator('h1').textContent();
  check(title.trim().length > 0, `credential page shows the achievement (${title.trim()})`);
  let verdict = await page.locator('.card .ok, .card .bad').first().textContent();
  check(verdict.includes('verified') && !verdict.includes('not'),
        `credential page says it verifies (${verdict.trim()})`);
  const body = await page.locator('body').textContent();
  check(!/@/.test(body.replace(/@context|data-binary @-/g, '')),
        'credential page shows no email address');
  await page.screenshot({ path: join(outDir, 'credential.png'), fullPage: true });

  // The issuer revokes it; the page now says why it does not verify.
  const key = readFileSync(join(data, 'demo.key'), 'utf8').trim();
  const id = href.split('/').pop();
  const me = await (await fetch(`${base}/api/v1/me`,
                                { headers: { Authorization: `Bearer ${key}` } })).json();
  const org = me.organization.id;
  const revoke = await fetch(`${base}/api/v1/orgs/${org}/credentials/${id}/status`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ action: 'revoke', reason: 'browser test' }),
  });
  check(revoke.status === 200, `the issuer revokes it through the API (${revoke.status})`);
  await page.reload();
  verdict = await page.locator('.card .ok, .card .bad').first().textContent();
  check(verdict.includes('not verified'), `after revocation the page says so (${verdict.trim()})`);
  const reasons = await page.locator('.card ul li').allTextContents();
  check(reasons.some(r => r.includes('REVOKED')), 'and names the revocation as the reason');
  await page.screenshot({ path: join(outDir, 'credential-revoked.png'), fullPage: true });

  // An unknown credential is a readable 404 page, not a stack trace.
  const missing = await page.goto(`${base}/credentials/00000000-0000-4000-8000-000000000000`);
  check(missing.status() === 404, 'an unknown credential is 404');
  check(consoleErrors.length === 0 ||
        consoleErrors.every(e => e.includes('404')),
        `no script errors in the pages (${consoleErrors.join('; ')})`);
} catch (e) {
  console.log(`FAIL ${e.stack || e}`);
  failures++;
} finally {
  if (browser) await browser.close();
  server.kill('SIGTERM');
  await new Promise(r => server.once('exit', r));
  rmSync(data, { recursive: true, force: true });
}
console.log(failures === 0 ? 'ui: all checks passed' : `ui: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);

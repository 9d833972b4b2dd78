// Browser tests: the demo storefront and a widget fixture, served from 127.0.0.1 and
// driven in Debian's Chromium by playwright-core. Every test gets a fresh browser context
// (its own localStorage and Cache Storage); a test marked {bfcache: true} gets it from a second
// browser whose Back uses the back/forward cache (launch(), below). A test marked
// {dedicated: true} runs its pages without SharedWorker (NO_SHARED_WORKER, below).
// usage: node tests/web/run.mjs --site DIR --fixture DIR [--only NAME]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const root = fileURLToPath(new URL('../..', import.meta.url));

// Playwright neither routes nor reports the requests of a SharedWorker (it attaches to pages,
// their dedicated workers and service workers only: microsoft/playwright#36690, #33917), so a
// test that fails, delays, replaces or counts the engine's downloads runs its pages without
// SharedWorker: the loader then takes the dedicated worker, as in a browser without one, and
// the engine's requests are the page's again.
export const NO_SHARED_WORKER = 'delete window.SharedWorker;';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function serve(dir, extra = []) {
  const child = spawn(process.execPath, [`${root}/web/serve.mjs`, '--root', dir, '--port', String(20000 + Math.floor(Math.random() * 20000)), ...extra],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      const m = String(d).match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve(m[0]);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url, stop: () => child.kill() };
}

// Every page's clock starts here and runs on: what a page shows never depends on the day
// the suite runs. A day after the demo store's logs end (tools: DemoOptions::end_ms).
export const TEST_TIME = Date.parse('2026-11-02T10:00:00Z');

// Chromium runs on the machine's real clock even when the suite runs under faketime
// (tools/test.sh): with libfaketime loaded into its processes, Chromium never got a page to
// render its lists here (timers started but the engine never came up). The pages'
// clocks are pinned to TEST_TIME anyway; what runs in the future is everything else --
// the server, the site and snapshot builds, and the checks in this process.
const realClockEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) =>
  k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME')));

// Playwright starts Chromium with --disable-back-forward-cache (so that page.goBack()
// always reloads); `bfcache: true` drops that switch, and Back then restores the page from
// the back/forward cache as a shopper's browser does (headless Chromium included).
export function launch({ bfcache = false } = {}) {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, env: realClockEnv(),
    ignoreDefaultArgs: bfcache ? ['--disable-back-forward-cache'] : [] });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const site = await serve(opt('--site'));
  const fixture = await serve(opt('--fixture'));
  process.on('exit', () => { site.stop(); fixture.stop(); });
  const browser = await launch();
  let bfcacheBrowser = null; // for the tests marked {bfcache: true}, started when the first runs
  const only = opt('--only');
  let passed = 0;
  let failed = 0;
  const { tests: storefront, init } = await import('./tests.mjs');
  const tests = [...storefront, ...(await import('./shopify.mjs')).tests]; // Shopify and the npm package
  for (const [name, fn, { bfcache = false, dedicated = false } = {}] of tests) {
    if (only && !name.includes(only)) continue;
    const from = bfcache ? (bfcacheBrowser ??= await launch({ bfcache: true })) : browser;
    const context = await from.newContext({ viewport: { width: 1280, height: 900 } });
    await context.clock.setSystemTime(TEST_TIME);
    await context.addInitScript(init);
    if (dedicated) await context.addInitScript(NO_SHARED_WORKER);
    const logs = [];
    context.on('console', (m) => logs.push({ type: m.type(), text: m.text() }));
    context.on('weberror', (e) => logs.push({ type: 'pageerror', text: String(e.error()) }));
    const t0 = Date.now();
    try {
      await fn({ context, site: site.url, fixture: fixture.url, logs, serve });
      passed++;
      console.log(`ok   ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}: ${e.stack ?? e}`);
      for (const l of logs) console.log(`     console ${l.type}: ${l.text}`);
    } finally {
      await context.close();
    }
  }
  await browser.close();
  await bfcacheBrowser?.close();
  site.stop();
  fixture.stop();
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

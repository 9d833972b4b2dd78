// The browser benchmark (a report, not a test): in headless Chromium, "one event, then a
// 10-item list" for each store's snapshot, and the time from snapshot bytes to the first
// list, beside the native figures of `aisle bench` measured in the same run: its engine
// path (item indexes in, recommendations out) and its storefront path (ids in, the list as
// JSON text out), the one the browser's engine.js takes.
// usage: node tests/web/bench.mjs --dir DIR --native FILE.json --queries N
// DIR holds bench.html, engine.js, engine/, and per store N: N.snap, N.events.json.
import { readFileSync } from 'node:fs';
import { launch, serve } from './run.mjs';

const args = process.argv.slice(2);
const opt = (name) => args[args.indexOf(name) + 1];
const native = JSON.parse(readFileSync(opt('--native'), 'utf8'));
const server = await serve(opt('--dir'), ['--isolated']);
process.on('exit', () => server.stop());
const browser = await launch();
const page = await browser.newPage();
await page.goto(`${server.url}bench.html`);
await page.waitForFunction(() => window.benchReady);
const f = (x, d = 1) => x.toFixed(d);
console.log('| items | where | queries | p50 | p99 | max | bytes to first list | engine start |');
console.log('|---:|---|---:|---:|---:|---:|---:|---:|');
for (const [i, n] of native.entries()) {
  const size = [10000, 100000][i];
  const b = await page.evaluate(([s, e]) => window.runBench(s, e, 2000), [`${size}.snap`, `${size}.events.json`]);
  if (b.checksum !== n.snapshot_checksum) throw new Error(`${n.items}: the browser loaded another snapshot than the native bench built`);
  if (!b.isolated) throw new Error('the page is not cross-origin isolated: performance.now() would be coarse');
  console.log(`| ${n.items} | native | ${n.queries} | ${f(n.p50_us)} µs | ${f(n.p99_us)} µs | ${f(n.max_us, 0)} µs | ${f(n.first_list_ms)} ms | — |`);
  console.log(`| ${n.items} | native, storefront path | ${n.queries} | ${f(n.storefront_p50_us)} µs | ${f(n.storefront_p99_us)} µs | | | — |`);
  console.log(`| ${b.items} | Chromium (wasm) | ${b.queries} | ${f(b.p50)} µs | ${f(b.p99)} µs | ${f(b.max, 0)} µs | ${f(b.firstListMs)} ms | ${f(b.engineStartMs)} ms |`);
  console.log(`| | ratio browser/native | | ${f(b.p50 / n.p50_us, 2)} | ${f(b.p99 / n.p99_us, 2)} | | ${f(b.firstListMs / n.first_list_ms, 2)} | |`);
  console.log(`| | ratio browser/native storefront path | | ${f(b.p50 / n.storefront_p50_us, 2)} | ${f(b.p99 / n.storefront_p99_us, 2)} | | | |`);
}
await browser.close();
server.stop();

// Micro-benchmark (a report, not a test): the cost of one product list through the raw
// wasm module under Node, k = 10 against k = 1, and of parsing its JSON.
// usage: node tests/web/bench_lists.mjs build-wasm/wasm/aisle_engine.mjs \
//          build/bench-browser/10000.snap build/bench-browser/10000.events.json
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [modulePath, snapPath, eventsPath] = process.argv.slice(2);
const { default: factory } = await import(pathToFileURL(modulePath).href);
const wasm = await factory({ wasmBinary: readFileSync(modulePath.replace(/\.mjs$/, '.wasm')) });
const engine = new wasm.Engine();
engine.load(new Uint8Array(readFileSync(snapPath)));
const events = JSON.parse(readFileSync(eventsPath, 'utf8'));
for (const e of events.slice(0, 5)) engine.track(e);
const options = (k) => ({ placement: 'product', item: events[4].items?.[0]?.item_id, k, now: events[4].timestamp });
const runs = 2000;
for (const k of [10, 1, 10, 1]) {
  let t = performance.now();
  let json;
  for (let i = 0; i < runs; i++) json = engine.recommend(options(k));
  const call = ((performance.now() - t) / runs) * 1000;
  t = performance.now();
  for (let i = 0; i < runs; i++) JSON.parse(json);
  const parse = ((performance.now() - t) / runs) * 1000;
  console.log(`k=${k}: recommend ${call.toFixed(1)} µs, JSON.parse ${parse.toFixed(1)} µs, ${json.length} chars`);
}

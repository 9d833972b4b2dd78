// The engine's per-event cost in wasm under Node, through the JS wrapper a storefront uses
// (web/package/engine.js): a store's GA4 events replayed as "track the event, then a
// 10-item list for its page", as tests/web/bench.html does in Chromium. With several
// builds, each replays the same events in turn, twice (A B A B), and the median of the
// per-query medians is reported: builds compared side by side in one run.
// usage: node tests/wasm/bench_events.mjs SNAPSHOT EVENTS.jsonl ENGINE.mjs [OTHER.mjs ...] [--queries N]
import { readFileSync } from 'node:fs';
import { createEngine } from '../../web/package/engine.js';

const args = process.argv.slice(2);
const at = args.indexOf('--queries');
const queries = at >= 0 ? Number(args.splice(at, 2)[1]) : 20000;
const [snapPath, eventsPath, ...modules] = args;
if (!snapPath || !eventsPath || !modules.length || !(queries > 0)) {
  console.error('usage: node tests/wasm/bench_events.mjs SNAPSHOT EVENTS.jsonl ENGINE.mjs [OTHER.mjs ...] [--queries N]');
  process.exit(2);
}
const WARMUP = 2000;
const PLACEMENT = { add_to_cart: 'cart', remove_from_cart: 'cart', begin_checkout: 'cart', purchase: 'post_purchase',
                    search: 'search_empty', view_item_list: 'category' };
const bytes = new Uint8Array(readFileSync(snapPath));
const events = readFileSync(eventsPath, 'utf8').split('\n').filter(Boolean).slice(0, queries + WARMUP)
  .map((l) => { const e = JSON.parse(l); e.timestamp = Date.parse(e.timestamp); return e; });
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];

async function replay(path) {
  const engine = await createEngine({ moduleUrl: new URL(path, `file://${process.cwd()}/`).href,
                                      wasmBinary: readFileSync(path.replace(/\.mjs$/, '.wasm')) });
  engine.load(bytes);
  const empty = engine.exportProfile();
  const latency = [];
  let session = null;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.session_id !== session) { engine.endVisit(); engine.importProfile(empty); session = e.session_id; }
    const placement = PLACEMENT[e.event] ?? 'product';
    const item = placement === 'product' ? e.items?.[0]?.item_id : undefined;
    const t0 = performance.now();
    engine.track(e);
    engine.recommend({ placement, item, k: 10, now: e.timestamp });
    if (i >= WARMUP) latency.push((performance.now() - t0) * 1000);
  }
  return median(latency);
}

const p50 = new Map(modules.map((m) => [m, []]));
for (let round = 0; round < 2; round++) for (const m of modules) p50.get(m).push(await replay(m));
console.log(`${(bytes.length / 1e6).toFixed(1)} MB snapshot, ${events.length - WARMUP} queries after ${WARMUP} warm-up, two rounds`);
for (const [m, v] of p50) console.log(`${m}: p50 ${median(v).toFixed(1)} us per event and list (rounds: ${v.map((x) => x.toFixed(1)).join(', ')})`);

// The engine's per-event cost in wasm under Node, through the JS wrapper a storefront uses
// (web/package/engine.js): a store's GA4 events replayed as "track the event, then a
// 10-item list for its page", as tests/web/bench.html does in Chromium. With several
// builds, each replays the same events in turn, twice (A B A B), and the median of the
// per-query medians is reported: builds compared side by side in one run.
// Each build goes through the engine.js beside it if there is one (an older wrapper for an
// older module), else through web/package/engine.js.
// usage: node tests/wasm/bench_events.mjs SNAPSHOT EVENTS.jsonl ENGINE.mjs [OTHER.mjs ...] [--queries N]
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

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
  const beside = join(dirname(path), 'engine.js');
  const wrapper = existsSync(beside) ? pathToFileURL(beside).href : '../../web/package/engine.js';
  const { createEngine } = await import(wrapper);
  const engine = await createEngine({ moduleUrl: new URL(path, `file://${process.cwd()}/`).href,
                                      wasmBinary: readFileSync(path.replace(/\.mjs$/, '.wasm')) });
  engine.load(bytes);
  const empty = engine.exportProfile();
  const latency = [];
  let session = null, digest = 0; // of every list, so that builds are seen to answer the same
  const mix = (text) => { for (let j = 0; j < text.length; j++) digest = (Math.imul(digest, 31) + text.charCodeAt(j)) | 0; };
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.session_id !== session) { engine.endVisit(); engine.importProfile(empty); session = e.session_id; }
    const placement = PLACEMENT[e.event] ?? 'product';
    const item = placement === 'product' ? e.items?.[0]?.item_id : undefined;
    const t0 = performance.now();
    engine.track(e);
    const list = engine.recommend({ placement, item, k: 10, now: e.timestamp });
    if (i >= WARMUP) latency.push((performance.now() - t0) * 1000);
    mix(JSON.stringify(list));
  }
  return { p50: median(latency), digest };
}

const p50 = new Map(modules.map((m) => [m, []]));
const digests = new Set();
for (let round = 0; round < 2; round++) {
  for (const m of modules) {
    const r = await replay(m);
    p50.get(m).push(r.p50);
    digests.add(r.digest);
  }
}
if (digests.size !== 1) console.log('THE BUILDS ANSWERED DIFFERENTLY: their lists differ');
console.log(`${(bytes.length / 1e6).toFixed(1)} MB snapshot, ${events.length - WARMUP} queries after ${WARMUP} warm-up, two rounds`);
for (const [m, v] of p50) console.log(`${m}: p50 ${median(v).toFixed(1)} us per event and list (rounds: ${v.map((x) => x.toFixed(1)).join(', ')})`);

// Shows the demo snapshot: the summary written by `aisle inspect --json`, and the same
// snapshot verified and read by the wasm engine in this browser. Catalog text goes in
// with textContent only.
import { createEngine } from './aisle/engine.js';

const $ = (sel) => document.querySelector(sel);
const cell = (row, text) => { const td = document.createElement('td'); td.textContent = text; row.append(td); return td; };

function showSummary(s) {
  const dl = $('#summary');
  const add = (k, v) => {
    const dt = document.createElement('dt'); dt.textContent = k;
    const dd = document.createElement('dd'); dd.textContent = v;
    dl.append(dt, dd);
  };
  add('Items', `${s.items} (${s.recommendable} recommendable, ${s.on_sale} on sale)`);
  add('Categories / groups', `${s.categories} / ${s.groups}`);
  add('Snapshot size', `${(s.bytes / 1024).toFixed(1)} KiB, ${s.bytes_per_item.toFixed(1)} bytes per item`);
  add('Events', `${s.meta.events_read} read, ${s.meta.interactions_used} item interactions used`);
  add('Trend as of', `${s.meta.as_of} (half-life ${s.meta.trend_half_life_days} days)`);
  const sections = $('#sections tbody');
  for (const sec of s.sections) {
    const tr = document.createElement('tr');
    cell(tr, sec.name); cell(tr, sec.bytes.toLocaleString()); cell(tr, sec.count.toLocaleString());
    sections.append(tr);
  }
}

function showTop(s, engine) {
  const body = $('#top tbody');
  for (const t of s.top_items.by_purchases) {
    const tr = document.createElement('tr');
    const item = engine ? engine.item(t.id) : null;
    const name = cell(tr, '');
    if (item && /^https?:/.test(new URL(item.url, location.href).protocol)) {
      const a = document.createElement('a');
      a.href = new URL(item.url, location.href).href;
      a.textContent = t.title;
      name.append(a);
    } else {
      name.textContent = t.title;
    }
    const price = item ? new Intl.NumberFormat(undefined, { style: 'currency', currency: item.currency || 'USD' })
      .format(item.sale_price ?? item.price) : '';
    cell(tr, price); cell(tr, t.views); cell(tr, t.purchases); cell(tr, t.trend.toFixed(1));
    body.append(tr);
  }
}

const summary = await (await fetch('summary.json')).json();
showSummary(summary);
let engine = null;
try {
  const t0 = performance.now();
  const [eng, bytes] = await Promise.all([
    createEngine({ moduleUrl: new URL('./aisle/engine/aisle_engine.mjs', import.meta.url).href }),
    fetch('demo.snap').then((r) => { if (!r.ok) throw new Error(`snapshot: HTTP ${r.status}`); return r.arrayBuffer(); }),
  ]);
  engine = eng;
  engine.load(new Uint8Array(bytes)); // throws AisleError when the snapshot is refused
  const ms = (performance.now() - t0).toFixed(1);
  $('#engine-status').textContent =
    `Verified and loaded ${engine.itemCount.toLocaleString()} items (${(bytes.byteLength / 1024).toFixed(0)} KiB) in ${ms} ms.`;
} catch (e) {
  console.warn('aisle engine unavailable:', e);
  $('#engine-status').textContent = `The engine could not load the snapshot: ${e.message}`;
}
showTop(summary, engine);

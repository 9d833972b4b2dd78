// The shopper's benchmark (a report, not a test; issue 13): what aisle costs a shopper's
// phone. A plain store's product page (tests/web/bench-store/) served like a CDN
// (web/serve.mjs --cdn), in Chromium with network and 4x CPU emulation, for each store size,
// network profile and loader mode: bytes and time to the first painted list on a first
// visit, the page of the item its list shows first (the shopper's click on it), the page of
// an item the store's own list on the first page shows (a click on it, in another phone), a
// repeat page view (another product) and the next day's first page (after the store's nightly
// snapshot), long tasks per page view, event -> re-render, the wasm heap after a visit, and
// what the loader costs a page without a list. tools/scripts/bench_shopper.sh builds the
// inputs and runs this; the figures are in docs/benchmarks.md.
// usage: node tests/web/bench_shopper.mjs --dir DIR [--sizes 2000,100000] [--modes snapshot,manifest,shards]
//          [--profiles fast4g,slow4g] [--runs 3] [--pages 30] [--pages-large 20] [--events 10]
//          [--label TEXT] [--out FILE]
//        node tests/web/bench_shopper.mjs --report FILE,FILE...   (the tables of earlier runs, side by side)
//        node tests/web/bench_shopper.mjs --tabs --dir DIR [--sizes ...] [--modes ...] [--profiles ...] [--runs N]
//        node tests/web/bench_shopper.mjs --cpu-profile --dir DIR [--sizes ...] [--modes ...] [--profiles ...] [--runs N]
// --cpu-profile: only the first visit's product page, under V8's sampling profiler (50 us):
// where the main thread's time in aisle's code goes, function by function (self and total),
// and each run's profile in DIR/cpu-N-MODE-R.cpuprofile (Chrome DevTools opens it).
// --tabs: only a repeat page view while another tab of the store holds the engine, with the
// shared worker against the dedicated one (SharedWorker deleted from the pages), run after run.
// --pages: the visit's product pages at up to 10,000 items; --pages-large above.
// --label: names the run in the tables (e.g. which loader it measured).
// --plain-tag: the loader's tag without `async` (as before 2026-12-02: the loader then runs
// at the end of parsing, in the document's own task).
// DIR holds site/aisle/ (the published package with engine/, or site/aisle/HASH/ with it:
// the pages then load /aisle/HASH/aisle.js) and per size N store-N/:
// catalog.tsv, events.jsonl, images/, days.json, day1.snap, day2.snap, fallback.json, and
// for the manifest mode pub-day1/ and pub-day2/ (`aisle publish`), for the shards mode
// shards-day1/ and shards-day2/ (`aisle publish --shards`). It serves DIR/www and
// writes DIR/results.json (--out FILE for another file).
// Pages run on the real clock (not pinned as run.mjs does: Playwright's clock replaces
// performance.now() and every timer, which the measurement needs, and cannot reach the
// engine's worker), so the next day is the next day's files, not the next date; the visit
// is ended before it (aisle.endVisit), so that its first page is a new visit's. CPU
// throttling applies to the page's main thread only: Chromium refuses it for workers.
// One tab at a time, the pages run without SharedWorker (NO_SHARED_WORKER): the harness sees
// no request of a shared worker (run.mjs), and a lone tab's shared worker downloads and
// does what the dedicated one does. --tabs measures what sharing it between tabs gains.
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, NO_SHARED_WORKER, serve } from './run.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const dir = resolve(opt('--dir', 'build/bench-shopper'));
const sizes = opt('--sizes', '2000,100000').split(',').map(Number);
const modes = opt('--modes', 'snapshot,manifest').split(',');
const out = resolve(opt('--out', join(dir, 'results.json')));
const runs = Number(opt('--runs', '3'));
const eventCount = Number(opt('--events', '10'));
const LARGE = 10000; // stores above this many items visit --pages-large pages, not --pages
const visitPages = (n) => Number(n > LARGE ? opt('--pages-large', '20') : opt('--pages', '30'));

// Network profiles. CDP applies `latency` once per request (no connection setup is modelled:
// the pages come from 127.0.0.1 over kept-alive HTTP/1.1); throughputs in bytes per second.
const PROFILES = {
  fast4g: { name: 'Fast 4G', latency: 150, down: 9e6 / 8, up: 1.5e6 / 8 },
  slow4g: { name: 'Slow 4G', latency: 150, down: 1.6e6 / 8, up: 750e3 / 8 },
};
const profiles = opt('--profiles', 'fast4g,slow4g').split(',').map((p) => {
  if (!PROFILES[p]) throw new Error(`unknown profile ${p} (${Object.keys(PROFILES).join(', ')})`);
  return PROFILES[p];
});
const CPU_RATE = 4;
const PHONE = { viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true };
// The loader's tag; `pkg` is where the package is: /aisle/, or /aisle/HASH/ (content-addressed).
const TAG_OPEN = args.includes('--plain-tag') ? '<script type="module"' : '<script type="module" async';
const LOADER = {
  snapshot: (pkg) => `${TAG_OPEN} src="${pkg}aisle.js" data-snapshot="/aisle/store.snap" data-fallback="/aisle/fallback.json"></script>`,
  manifest: (pkg) => `${TAG_OPEN} src="${pkg}aisle.js" data-manifest="/aisle/store/manifest.json" data-fallback="/aisle/fallback.json"></script>`,
  // The same, published with --shards: the engine downloads the head and the visit's shards.
  shards: (pkg) => `${TAG_OPEN} src="${pkg}aisle.js" data-manifest="/aisle/shards/manifest.json" data-fallback="/aisle/fallback.json"></script>`,
  none: () => '',
};
const here = fileURLToPath(new URL('.', import.meta.url));
const TEMPLATES = Object.fromEntries(['product', 'info'].map((t) => [t, readFileSync(join(here, `bench-store/${t}.html`), 'utf8')]));
const www = join(dir, 'www');
const log = (s) => process.stderr.write(`${s}\n`);

// ---- the store: mid-popularity products, its pages, the day served ----
async function* lines(file) {
  for await (const line of createInterface({ input: createReadStream(file) })) if (line) yield line;
}

// The store's catalog rows: what a product page shows of each, and its availability.
async function* catalog(store) {
  let columns = null;
  for await (const line of lines(join(store, 'catalog.tsv'))) {
    const cells = line.split('\t');
    if (!columns) {
      columns = Object.fromEntries(cells.map((c, i) => [c, i]));
      continue;
    }
    const field = (name) => cells[columns[name]] ?? '';
    yield { id: field('id'), title: field('title'), brand: field('brand'), price: field('price'), image: field('image_link'),
      category: field('product_type'), availability: field('availability') };
  }
}

// `count` in-stock products from the middle of the store's popularity (views in its logs):
// the median viewed item and the ones after it. Cached in the store's products.json.
async function products(store, count) {
  const cache = join(store, 'products.json');
  if (existsSync(cache)) {
    const cached = JSON.parse(readFileSync(cache, 'utf8'));
    if (cached.length >= count) return cached.slice(0, count);
  }
  const views = new Map();
  for await (const line of lines(join(store, 'events.jsonl'))) {
    const e = JSON.parse(line);
    if (e.event === 'view_item') for (const i of e.items ?? []) views.set(i.item_id, (views.get(i.item_id) ?? 0) + 1);
  }
  const ranked = [...views].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
  const wanted = ranked.slice(Math.floor(ranked.length / 2), Math.floor(ranked.length / 2) + 3 * count);
  const rank = new Map(wanted.map((id, i) => [id, i]));
  const found = [];
  for await (const p of catalog(store)) {
    if (rank.has(p.id) && p.availability === 'in_stock') found.push({ ...p, views: views.get(p.id) });
  }
  const picked = found.sort((a, b) => rank.get(a.id) - rank.get(b.id)).slice(0, count);
  if (picked.length < count) throw new Error(`${store}: only ${picked.length} in-stock products around the median`);
  writeFileSync(cache, JSON.stringify(picked, null, 1));
  return picked;
}

const esc = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fill = (template, values) => template.replace(/\{\{(\w+)\}\}/g, (_, k) => values[k]);

function productPage(p, loader) {
  const [amount, currency = 'USD'] = p.price.split(' ');
  const price = Number(amount);
  const viewItem = { event: 'view_item', ecommerce: { currency, value: price,
    items: [{ item_id: p.id, item_name: p.title, item_brand: p.brand, price }] } };
  return fill(TEMPLATES.product, { id: esc(p.id), title: esc(p.title), brand: esc(p.brand),
    price: esc(new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(price)),
    image: esc(p.image), category: esc(p.category), loader,
    view_item: JSON.stringify(viewItem).replace(/</g, '\\u003c') });
}

function link(target, path) {
  rmSync(path, { recursive: true, force: true });
  symlinkSync(target, path);
}

const loaderTags = {}; // mode -> the loader's tag in the pages assemble() wrote

async function catalogRow(store, id) {
  for await (const p of catalog(store)) if (p.id === id) return p;
  throw new Error(`${store}: no catalog row for ${id}`);
}

// The shopper reads the first page until the loader has computed the next pages' lists ahead
// (or, with a loader that does not, until its engine has been up for 3 s; at most two
// minutes; how long is reported), then opens the page of the item its list shows first, as
// a click on it would: /MODE/product-next.html.
async function recommendedPage(tab, store, mode, first) {
  const t0 = Date.now();
  const ready = await tab.page.waitForFunction(() => {
    if (Object.keys(sessionStorage).some((k) => k.endsWith(':ahead'))) return true;
    if (window.aisle?.stats().state === 'ready') window.__readyAt ??= Date.now();
    return window.__readyAt !== undefined && Date.now() - window.__readyAt > 3000 && 'no lists ahead';
  }, null, { timeout: 120000, polling: 100 }).then((h) => h.jsonValue(), () => false);
  const row = await catalogRow(store, first.lastItems[0]);
  writeFileSync(join(www, mode, 'product-next.html'), productPage(row, loaderTags[mode]));
  return { waited: Date.now() - t0, ready };
}

// The first page again, in a fresh phone, with a list of the store's own on it: a "More in
// this category" list its theme fills and reports with GA4's view_item_list (pushed here once
// the page has settled, as a lazily filled list would be), of in-stock items of the product's
// category that aisle's list does not show. The shopper opens the first of them once the
// loader has computed a list ahead for it (or, with a loader that does not, 3 s after the push
// with its engine up), as a click on it would: /MODE/product-listed.html.
async function listedPage(tab, store, mode, product, first) {
  const shown = new Set([product.id, ...first.lastItems]);
  const grid = [];
  for await (const p of catalog(store)) {
    if (grid.length < 8 && p.category === product.category && p.availability === 'in_stock' && !shown.has(p.id)) grid.push(p);
  }
  const t0 = Date.now();
  await tab.page.evaluate((ids) => window.dataLayer.push({ event: 'view_item_list',
    ecommerce: { item_list_name: 'More in this category', items: ids.map((id) => ({ item_id: id })) } }), grid.map((p) => p.id));
  const ready = await tab.page.waitForFunction((id) => {
    const key = Object.keys(sessionStorage).find((k) => k.endsWith(':ahead'));
    if (key && Object.hasOwn(JSON.parse(sessionStorage.getItem(key)).lists ?? {}, id)) return true;
    window.__listedAt ??= Date.now();
    return window.aisle?.stats().state === 'ready' && Date.now() - window.__listedAt > 3000 && 'no list ahead';
  }, grid[0].id, { timeout: 120000, polling: 100 }).then((h) => h.jsonValue(), () => false);
  writeFileSync(join(www, mode, 'product-listed.html'), productPage(grid[0], loaderTags[mode]));
  const inAisleList = await tab.page.evaluate((id) => window.__bench.renders.at(-1)?.items.includes(id), grid[0].id); // then not only the store's
  return { waited: Date.now() - t0, ready, item: grid[0].id, inAisleList };
}

// DIR/www for one store: the store's pages in every loader mode (/MODE/product-I.html,
// /MODE/info.html), its CSS and images, and /aisle/ as the store publishes it.
function assemble(store, items) {
  rmSync(www, { recursive: true, force: true });
  mkdirSync(join(www, 'aisle'), { recursive: true });
  link(join(here, 'bench-store/store.css'), join(www, 'store.css'));
  link(join(store, 'images'), join(www, 'images'));
  for (const f of readdirSync(join(dir, 'site/aisle'))) link(join(dir, 'site/aisle', f), join(www, 'aisle', f));
  link(join(store, 'fallback.json'), join(www, 'aisle/fallback.json'));
  const hash = readdirSync(join(dir, 'site/aisle')).find((f) => /^[0-9a-f]{16}$/.test(f)); // tools/scripts/package.sh
  const pkg = hash ? `/aisle/${hash}/` : '/aisle/';
  for (const [mode, tag] of Object.entries(LOADER)) {
    const loader = (loaderTags[mode] = tag(pkg));
    mkdirSync(join(www, mode));
    items.forEach((p, i) => writeFileSync(join(www, mode, `product-${i}.html`), productPage(p, loader)));
    writeFileSync(join(www, mode, 'info.html'), fill(TEMPLATES.info, { loader }));
  }
}

// The store's data of `day` (1 or 2) at the paths the pages name; the server compresses the
// large files before anything is measured (it keeps them compressed in memory).
async function useDay(store, day, url) {
  link(join(store, `day${day}.snap`), join(www, 'aisle/store.snap'));
  if (existsSync(join(store, `pub-day${day}`))) link(join(store, `pub-day${day}`), join(www, 'aisle/store'));
  if (existsSync(join(store, `shards-day${day}`))) link(join(store, `shards-day${day}`), join(www, 'aisle/shards'));
  const walk = (d) => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
  for (const f of walk(join(www, 'aisle')).filter((f) => statSync(f).size > 64 << 10)) {
    await new Promise((res, rej) => get(new URL(f.slice(www.length + 1), url), { headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } },
      (r) => r.resume().on('end', res)).on('error', rej));
  }
}

// ---- in the page: marks, long tasks, the list's renders ----
function instrument() {
  const b = (window.__bench = { renders: [], longtasks: [], frames: [], visible: null });
  const mark = (what) => window.__benchMark?.(what); // a CDP binding: the harness waits on it without polling the page
  const observe = (type, fn) => {
    try { new PerformanceObserver((l) => l.getEntries().forEach(fn)).observe({ type, buffered: true }); } catch { /* unsupported */ }
  };
  observe('longtask', (e) => b.longtasks.push({ start: e.startTime, duration: e.duration }));
  observe('long-animation-frame', (e) => b.frames.push({ start: e.startTime, duration: e.duration, renderStart: e.renderStart,
    styleStart: e.styleAndLayoutStart,
    scripts: e.scripts.map((s) => ({ url: s.sourceURL, fn: s.sourceFunctionName, invoker: s.invoker, start: s.startTime, duration: s.duration,
      layout: s.forcedStyleAndLayoutDuration })) }));
  addEventListener('aisle-render', (e) => {
    const r = { t: performance.now(), mode: e.detail.mode, source: e.detail.source ?? 'engine', items: e.detail.items.map((i) => i.id) };
    b.renders.push(r);
    const early = (x) => x.source === 'page' || x.source === 'ahead'; // lists shown before the engine's
    const engine = !early(r) && !b.renders.some((x) => x !== r && !early(x)); // the engine's first list
    if (b.renders.length === 1) mark('render');
    requestAnimationFrame(() => { // the next frame: the list has been painted
      r.paint = performance.now();
      if (b.renders.length === 1) mark('paint');
      if (engine) mark('engine-paint');
    });
  });
  document.addEventListener('DOMContentLoaded', () => {
    const el = document.querySelector('aisle-recs');
    if (!el) return;
    const io = new IntersectionObserver((es) => {
      if (b.visible === null && es.some((x) => x.isIntersecting)) {
        b.visible = es[0].time;
        io.disconnect();
      }
    });
    io.observe(el);
  });
}

// ---- the harness side: one emulated phone tab ----
// A phone with an empty profile of its own: a persistent context, so that the HTTP cache is
// on disk as a phone's is (an incognito context's in-memory cache keeps no response over
// a few MB: a 100,000-item snapshot was downloaded again on every page).
async function phone(profile, shareWorker = false) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'aisle-phone-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS, ...PHONE });
  await context.addInitScript(instrument);
  if (!shareWorker) await context.addInitScript(NO_SHARED_WORKER);
  const page = context.pages()[0] ?? await context.newPage();
  const cdp = await context.newCDPSession(page);
  const tab = { context, page, marks: new Set(), waiting: new Map(), inflight: new Set(), activity: Date.now(),
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 10 });
    } };
  cdp.on('Runtime.bindingCalled', (e) => {
    tab.marks.add(e.payload);
    tab.waiting.get(e.payload)?.();
  });
  // A shared worker's script request is reported to the page but never finishes (Playwright
  // does not attach to shared workers): not waited for.
  const busy = (r) => { if (!r.url().endsWith('/engine-worker.js')) tab.inflight.add(r); tab.activity = Date.now(); };
  const done = (r) => { tab.inflight.delete(r); tab.activity = Date.now(); };
  page.on('request', busy); // a page's workers' requests too
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  await cdp.send('Network.enable');
  await cdp.send('Runtime.enable');
  await cdp.send('Runtime.addBinding', { name: '__benchMark' });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: profile.latency,
    downloadThroughput: profile.down, uploadThroughput: profile.up });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_RATE });
  return tab;
}

const mark = (tab, name) => (tab.marks.has(name) ? Promise.resolve() : new Promise((r) => tab.waiting.set(name, r)));

async function quiet(tab, ms) {
  while (tab.inflight.size || Date.now() - tab.activity < ms) await new Promise((r) => setTimeout(r, 50));
}

// Runs in the page or one of its workers: what it fetched, by Resource Timing's transferSize
// (encoded body + 300 bytes for the headers; 0 for a cache hit), ending at `end` (ms since
// 1970). The page's CDP session sees neither a worker's requests nor its script.
const fetchedHere = () => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
  .map((e) => ({ url: e.name, bytes: e.transferSize, end: performance.timeOrigin + e.responseEnd }));

// One page view: load `url`, wait for the painted list (or, with list: false, for the
// loader's idle start to have passed), then for the network to be quiet.
async function view(tab, url, { list = true, settle = 1000 } = {}) {
  tab.marks.clear();
  tab.waiting.clear();
  const painted = mark(tab, 'paint');
  await tab.page.goto(url, { waitUntil: 'domcontentloaded', timeout: 0 });
  if (list) {
    let timer;
    await Promise.race([painted, new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${url}: no list painted in 10 minutes`)), 600000);
    })]);
    clearTimeout(timer);
  } else {
    await tab.page.waitForTimeout(5000); // the loader starts at idle, 4 s at most
  }
  await quiet(tab, settle);
  const s = await tab.page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const { renders, longtasks, frames, visible } = window.__bench;
    return { renders, longtasks, frames, visible, dcl: nav.domContentLoadedEventStart, timeOrigin: performance.timeOrigin,
      stats: window.aisle?.stats?.() ?? null };
  });
  const all = await tab.page.evaluate(fetchedHere);
  for (const w of tab.page.workers()) all.push(...await w.evaluate(fetchedHere));
  const listAt = s.renders[0] ? s.timeOrigin + s.renders[0].t : Infinity;
  const fetched = all.map((f) => ({ ...f, beforeList: f.end <= listAt }));
  const own = (f) => new URL(f.url).pathname.startsWith('/aisle/');
  const sum = (fs) => fs.reduce((a, f) => a + f.bytes, 0);
  const toList = fetched.filter((f) => f.beforeList);
  const first = s.renders[0];
  // A long task's share of aisle's code: the scripts from /aisle/ that ran inside it, as
  // the long animation frames list them (every script over 5 ms of a frame over 50 ms).
  const scripts = s.frames.flatMap((f) => f.scripts).filter((x) => x.url.includes('/aisle/'));
  const share = (t) => scripts.filter((x) => x.start >= t.start - 1 && x.start + x.duration <= t.start + t.duration + 1)
    .reduce((a, x) => a + x.duration, 0);
  const tasks = s.longtasks.map((t) => ({ ...t, aisle: share(t) }));
  const aisleTasks = tasks.filter((t) => t.aisle > 0);
  return {
    url,
    bytes: { list: { aisle: sum(toList.filter(own)), page: sum(toList.filter((f) => !own(f))) },
      view: { aisle: sum(fetched.filter(own)), page: sum(fetched.filter((f) => !own(f))) } },
    aisleFiles: fetched.filter(own).map((f) => ({ path: new URL(f.url).pathname, bytes: f.bytes, beforeList: f.beforeList })),
    dcl: s.dcl,
    list: first && { mode: first.mode, items: first.items.length, fromDcl: first.t - s.dcl,
      paintFromDcl: first.paint - s.dcl, paintFromNav: first.paint, paintFromVisible: first.paint - s.visible,
      source: first.source, engineFromVisible: (s.renders.find((r) => r.source !== 'page' && r.source !== 'ahead')?.paint ?? NaN) - s.visible },
    lastItems: s.renders.at(-1)?.items ?? [],
    longtasks: { count: tasks.length, max: Math.max(0, ...tasks.map((t) => t.duration)), tasks,
      aisle: aisleTasks.length, aisleMax: Math.max(0, ...aisleTasks.map((t) => t.duration)), aisleShare: Math.max(0, ...tasks.map((t) => t.aisle)) },
    frames: s.frames,
    stats: s.stats && { state: s.stats.state, thread: s.stats.thread ?? 'main', worker: s.stats.worker, joined: s.stats.joined, memoryBytes: s.stats.memoryBytes, snapshot: s.stats.snapshot,
      errors: s.stats.errors, error: s.stats.error },
  };
}

// `n` add_to_cart pushes on a page showing its list, one at a time: from the push to the
// list's next aisle-render, and to the frame after it.
function eventRenders(page, n) {
  return page.evaluate(async (n) => {
    const el = document.querySelector('aisle-recs');
    const out = [];
    for (let i = 0; i < n; i++) {
      await new Promise((r) => setTimeout(r, 300));
      const ids = window.__bench.renders.at(-1).items;
      const rendered = new Promise((r) => el.addEventListener('aisle-render', () => {
        const t = performance.now();
        requestAnimationFrame(() => r([t, performance.now()]));
      }, { once: true }));
      const t0 = performance.now();
      window.dataLayer.push({ event: 'add_to_cart', ecommerce: { items: [{ item_id: ids[i % ids.length] }] } });
      const [t1, t2] = await rendered;
      out.push({ render: t1 - t0, paint: t2 - t0 });
    }
    return out;
  }, n);
}

// ---- the runs ----
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

async function measure() {
  const server = await serve(www, ['--cdn']);
  process.on('exit', () => server.stop());
  const results = { date: new Date().toISOString(), label: opt('--label', ''), runs, eventCount, cpuRate: CPU_RATE, phone: PHONE,
    profiles: PROFILES, stores: [] };
  for (const n of sizes) {
    const store = join(dir, `store-${n}`);
    const days = JSON.parse(readFileSync(join(store, 'days.json'), 'utf8'));
    const pages = visitPages(n);
    const items = await products(store, Math.max(pages, 3));
    assemble(store, items);
    const result = { size: n, products: items.map((p) => p.id), days, visitPages: pages, modes: [] };
    results.stores.push(result);
    const page = (mode, i) => `${server.url}${mode}/product-${i}.html`;
    log(`== ${n} items: first-visit product ${items[0].id} (${items[0].views} views in the logs)`);
    await useDay(store, 1, server.url);
    { // the page alone: no loader tag
      const tab = await phone(PROFILES.fast4g);
      result.pageAlone = await view(tab, page('none', 0), { list: false });
      await tab.close();
    }
    for (const mode of modes.filter((m) => m !== 'none')) {
      const folder = { manifest: 'pub-day1', shards: 'shards-day1' }[mode];
      if (folder && !existsSync(join(store, folder, 'manifest.json'))) {
        log(`== ${n} items, ${mode} mode: skipped (no ${store}/${folder}/manifest.json: the aisle binary cannot publish it)`);
        continue;
      }
      const m = { mode, profiles: [] };
      result.modes.push(m);
      for (const profile of profiles) {
        const p = { profile: profile.name, runs: [] };
        m.profiles.push(p);
        for (let r = 0; r < runs; r++) {
          log(`== ${n} items, ${mode}, ${profile.name}: run ${r + 1} of ${runs}`);
          await useDay(store, 1, server.url);
          const tab = await phone(profile);
          const first = await view(tab, page(mode, 0));
          const ahead = await recommendedPage(tab, store, mode, first);
          const clicked = await view(tab, page(mode, 'next'));
          const repeat = await view(tab, page(mode, 1));
          const events = await eventRenders(tab.page, eventCount);
          // Overnight: the visit ends (as after 30 minutes without events; the clock is not
          // moved) and the store publishes the next day's build.
          await tab.page.evaluate(() => window.aisle?.endVisit?.());
          await useDay(store, 2, server.url);
          const nextDay = await view(tab, page(mode, 2));
          await tab.close();
          await useDay(store, 1, server.url);
          const other = await phone(profile); // a product of the store's own list on the first page
          const listedAhead = await listedPage(other, store, mode, items[0], await view(other, page(mode, 0)));
          const listed = await view(other, page(mode, 'listed'));
          await other.close();
          p.runs.push({ first, ahead, clicked, repeat, events, nextDay, listedAhead, listed });
        }
      }
      { // the page without a list: the loader alone
        await useDay(store, 1, server.url);
        const tab = await phone(PROFILES.fast4g);
        m.noWidget = await view(tab, `${server.url}${mode}/info.html`, { list: false });
        await tab.close();
      }
      { // a visit of `pages` product pages: bytes and the wasm heap
        log(`== ${n} items, ${mode}: a ${pages}-page visit`);
        const tab = await phone(PROFILES.fast4g);
        m.visit = [];
        for (let i = 0; i < pages; i++) m.visit.push(await view(tab, page(mode, i), { settle: 500 }));
        await tab.close();
      }
    }
  }
  server.stop();
  writeFileSync(out, JSON.stringify(results, null, 1));
    return results;
}

// ---- the report: three markdown tables (docs/benchmarks.md), of one run or of several ----
const kb = (b) => (Number.isFinite(b) ? `${(b / 1000).toFixed(1)} KB` : '—');
const ms = (t) => (Number.isFinite(t) ? `${Math.round(t)} ms` : '—');
const max = (xs) => Math.max(0, ...xs);
const row = (...cells) => console.log(`| ${cells.join(' | ')} |`);
const table = (head, align) => { row(...head); row(...align); };

// Each store size's loader modes, run by run file: [{size, pageAlone, m, label}].
function rows(all) {
  const sizes = [...new Set(all.flatMap((r) => r.stores.map((s) => s.size)))].sort((a, b) => a - b);
  return sizes.flatMap((size) => all.flatMap((r) => {
    const s = r.stores.find((x) => x.size === size);
    return (s?.modes ?? []).map((m) => {
      const views = m.profiles.flatMap((p) => p.runs.flatMap((x) => [x.first, x.repeat, x.nextDay]));
      const thread = views[0]?.stats?.thread === 'worker' ? 'engine in a worker' : 'engine on the page';
      const fallback = views.some((v) => v.list?.mode === 'fallback') ? ', FALLBACK SHOWN' : '';
      return { size, s, m, label: `${m.mode}, ${thread}${r.label ? ` (${r.label})` : ''}${fallback}` };
    });
  }));
}

function report(all) {
  const { runs, eventCount, cpuRate } = all[0];
  console.log(`\nBytes of aisle's files (compressed as served; Resource Timing's transferSize, headers counted as 300 bytes a response; median of ${runs} runs a network profile):\n`);
  table(['items', 'loader', 'first visit: to the list', 'first visit: whole view', 'the first item\'s page (clicked)', 'repeat view', 'next day: to the list',
    'next day: whole view', 'visit (pages)', 'first 20 pages', 'page without a list', 'page\'s own, first view'],
  ['---:', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---', '---:']);
  row('budget', '', '≤ 100 KB', '', '', '', '', '', '', '≤ 1 MB at 100k items', 'the loader alone', '');
  for (const { size, m, label } of rows(all)) {
    const med = (f) => median(m.profiles.flatMap((p) => p.runs).map(f));
    const visit = (vs) => vs.reduce((a, v) => a + v.bytes.view.aisle, 0);
    const w = m.noWidget;
    row(size, label, kb(med((r) => r.first.bytes.list.aisle)), kb(med((r) => r.first.bytes.view.aisle)),
      kb(med((r) => r.clicked?.bytes.view.aisle)), kb(med((r) => r.repeat.bytes.view.aisle)),
      kb(med((r) => r.nextDay.bytes.list.aisle)), kb(med((r) => r.nextDay.bytes.view.aisle)), `(${m.visit.length}) ${kb(visit(m.visit))}`,
      m.visit.length >= 20 ? kb(visit(m.visit.slice(0, 20))) : '—',
      `${kb(w.bytes.view.aisle)}: ${w.aisleFiles.map((f) => f.path.replace('/aisle/', '')).join(', ')}; engine ${w.stats?.state}`,
      kb(med((r) => r.first.bytes.view.page)));
  }

  console.log(`\nTime to the painted list (the frame after the first aisle-render; median of ${runs} runs) at ${cpuRate}x CPU, and one event -> re-rendered list, painted (median of ${eventCount} a run, the longest):\n`);
  table(['items', 'network', 'loader', 'first visit: DCL → painted', 'first visit: navigation → painted',
    'the first item\'s page (clicked): visible → painted (which list)', 'a product of the store\'s own list (clicked): visible → painted (which list)',
    'repeat view (another product): visible → painted', 'repeat view: visible → the engine\'s list painted', 'next day: DCL → painted', 'event → re-render'],
  ['---:', '---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']);
  row('budget', 'Fast 4G / Slow 4G', '', '≤ 1.0 s / ≤ 2.5 s', '', '≤ 150 ms', '≤ 150 ms', '≤ 150 ms', '', '', '≤ 50 ms');
  for (const { size, m, label } of rows(all)) {
    for (const p of m.profiles) {
      const med = (f) => median(p.runs.map(f));
      const events = p.runs.flatMap((r) => r.events.map((e) => e.paint));
      const sources = [...new Set(p.runs.map((r) => r.clicked?.list?.source).filter(Boolean))].join(', ');
      const ready = p.runs.filter((r) => r.ahead?.ready === true);
      const waited = ready.length ? `the lists ahead ready ${ms(median(ready.map((r) => r.ahead.waited)))} after the first page settled`
        : 'no lists ahead';
      const listedSources = [...new Set(p.runs.map((r) => r.listed?.list?.source).filter(Boolean)),
        ...(p.runs.some((r) => r.listedAhead?.inAisleList) ? ['ALSO IN AISLE\'S LIST'] : [])].join(', ');
      row(size, p.profile, label, ms(med((r) => r.first.list.paintFromDcl)), ms(med((r) => r.first.list.paintFromNav)),
        `${ms(med((r) => r.clicked?.list?.paintFromVisible))} (${sources || '—'}; ${waited})`,
        `${ms(med((r) => r.listed?.list?.paintFromVisible))} (${listedSources || '—'})`,
        ms(med((r) => r.repeat.list.paintFromVisible)), ms(med((r) => r.repeat.list.engineFromVisible)), ms(med((r) => r.nextDay.list.paintFromDcl)),
        `${ms(median(events))} (${ms(max(events))})`);
    }
  }

  console.log(`\nThe main thread at ${cpuRate}x CPU: long tasks (over 50 ms) a page view, median count (the longest); "aisle:" those in which aisle's code ran (its part of the longest such task); every network profile's runs. The wasm heap after the visit:\n`);
  table(['items', 'loader', 'first visit', 'the first item\'s page', 'repeat view', 'next day', 'visit (pages), a page', 'the page without aisle', 'DCL, first visit: with aisle / without (Fast 4G)',
    'wasm heap after the visit'], ['---:', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']);
  row('budget', '', 'aisle: 0', 'aisle: 0', 'aisle: 0', 'aisle: 0', 'aisle: 0', '', '', '≤ 64 MB (30 pages)');
  const tasks = (vs) => `${median(vs.map((v) => v.longtasks.count))} (${ms(max(vs.map((v) => v.longtasks.max)))}); ` +
    `aisle: ${median(vs.map((v) => v.longtasks.aisle))} (${ms(max(vs.map((v) => v.longtasks.aisleShare)))})`;
  for (const { size, s, m, label } of rows(all)) {
    const views = (k) => m.profiles.flatMap((p) => p.runs).map((r) => r[k]);
    const fast = m.profiles.find((p) => p.profile === PROFILES.fast4g.name)?.runs ?? []; // as the page alone
    const heap = m.visit.at(-1).stats?.memoryBytes;
    row(size, label, tasks(views('first')), tasks(views('clicked').filter(Boolean)), tasks(views('repeat')), tasks(views('nextDay')), `(${m.visit.length}) ${tasks(m.visit)}`,
      `${s.pageAlone.longtasks.count} (${ms(s.pageAlone.longtasks.max)})`,
      `${ms(median(fast.map((r) => r.first.dcl)))} / ${ms(s.pageAlone.dcl)}`, heap ? `${(heap / 2 ** 20).toFixed(0)} MiB` : '—');
  }
}

// ---- --tabs: a repeat page view while another tab holds the engine ----
// A phone's tab A views a product page; a second tab B opens another product page and
// stays open; then A's next product page is the repeat view measured, from the widget
// visible to its first list painted and to the engine's own list painted. With SharedWorker,
// A's page joins the engine B holds; with it deleted from every page (NO_SHARED_WORKER: the
// dedicated worker of a browser without one, as before), A's page starts its own. The two
// alternate run by run, each in a fresh phone. Bytes are not counted here: the harness sees
// no request of a shared worker (run.mjs).
async function measureTabs() {
  const server = await serve(www, ['--cdn']);
  process.on('exit', () => server.stop());
  const results = { date: new Date().toISOString(), label: opt('--label', ''), tabs: true, runs, cpuRate: CPU_RATE, stores: [] };
  for (const n of sizes) {
    const store = join(dir, `store-${n}`);
    const items = await products(store, 3);
    assemble(store, items);
    await useDay(store, 1, server.url);
    const page = (mode, i) => `${server.url}${mode}/product-${i}.html`;
    const result = { size: n, rows: [] };
    results.stores.push(result);
    for (const mode of modes.filter((m) => m !== 'none')) {
      for (const profile of profiles) {
        const pair = { mode, profile: profile.name, shared: [], dedicated: [] };
        result.rows.push(pair);
        for (let r = 0; r < runs; r++) {
          for (const worker of r % 2 ? ['dedicated', 'shared'] : ['shared', 'dedicated']) {
            log(`== ${n} items, ${mode}, ${profile.name}, ${worker} worker: run ${r + 1} of ${runs}`);
            const tab = await phone(profile, worker === 'shared');
            await view(tab, page(mode, 0));
            const other = await tab.context.newPage(); // tab B, open while A goes on
            await other.goto(page(mode, 1));
            await other.waitForFunction(() => ['ready', 'failed'].includes(window.aisle?.stats().state), null, { timeout: 0 });
            await tab.page.waitForFunction(() => window.__bench.renders.some((x) => x.source !== 'page' && x.paint), null, { timeout: 0 });
            await tab.page.bringToFront(); // the shopper is back in tab A: B in the background (else A's timers are a hidden tab's)
            tab.marks.clear();
            tab.waiting.clear();
            const painted = mark(tab, 'engine-paint');
            await tab.page.goto(page(mode, 2), { waitUntil: 'domcontentloaded', timeout: 0 });
            await painted;
            const s = await tab.page.evaluate(() => ({ renders: window.__bench.renders, visible: window.__bench.visible,
              stats: window.aisle.stats() }));
            const engine = s.renders.find((x) => x.source !== 'page');
            pair[worker].push({ first: s.renders[0].paint - s.visible, firstSource: s.renders[0].source, engine: engine.paint - s.visible,
              worker: s.stats.worker, joined: s.stats.joined, state: s.stats.state });
            await tab.close();
          }
        }
      }
    }
  }
  server.stop();
  writeFileSync(out, JSON.stringify(results, null, 1));
  console.log(`\nA repeat product page view while another tab of the store holds the engine, at ${CPU_RATE}x CPU (the page's main thread): from the widget visible to its first list painted, and to the engine's own list painted; median of ${runs} runs (each run's figures in ${out}):\n`);
  table(['items', 'loader', 'network', 'worker', 'visible → first list painted', 'visible → engine\'s list painted', 'joined the other tab\'s engine'],
    ['---:', '---', '---', '---', '---:', '---:', '---']);
  for (const { size, rows: rs } of results.stores) {
    for (const r of rs) {
      for (const worker of ['dedicated', 'shared']) {
        const xs = r[worker];
        row(size, r.mode, r.profile, `${worker} (${[...new Set(xs.map((x) => x.worker))].join(', ')})`,
          `${ms(median(xs.map((x) => x.first)))} (${[...new Set(xs.map((x) => x.firstSource))].join(', ')})`,
          ms(median(xs.map((x) => x.engine))), `${xs.filter((x) => x.joined).length} of ${xs.length}`);
      }
    }
  }
}

// ---- --cpu-profile: the first visit's main thread, function by function ----
async function measureProfile() {
  const server = await serve(www, ['--cdn']);
  process.on('exit', () => server.stop());
  for (const n of sizes) {
    const store = join(dir, `store-${n}`);
    const items = await products(store, 3);
    assemble(store, items);
    await useDay(store, 1, server.url);
    for (const mode of modes.filter((m) => m !== 'none')) {
      for (const profile of profiles) {
        const self = new Map(), total = new Map();
        let aisleMs = 0;
        for (let r = 0; r < runs; r++) {
          const tab = await phone(profile);
          const cdp = await tab.context.newCDPSession(tab.page);
          await cdp.send('Profiler.enable');
          await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
          await cdp.send('Profiler.start');
          const v = await view(tab, `${server.url}${mode}/product-0.html`);
          const { profile: prof } = await cdp.send('Profiler.stop');
          for (const t of v.longtasks.tasks.filter((x) => x.aisle > 0)) {
            const inside = v.frames.flatMap((f) => f.scripts).filter((x) => x.start >= t.start - 1 && x.start < t.start + t.duration);
            const f = v.frames.find((x) => x.start <= t.start + 1 && x.start + x.duration >= t.start + t.duration - 1);
            log(`run ${r + 1}: a long task of ${ms(t.duration)} at ${ms(t.start)}, scripts: ${inside.map((x) =>
              `${x.invoker.replace(/.*\//, '')} ${ms(x.duration)} at ${ms(x.start)}`).join(', ')}${f ? `; its frame ${ms(f.start)}-${ms(f.start + f.duration)}, render ${ms(f.renderStart)}, style and layout ${ms(f.styleStart)}` : ''}`);
          }
          await tab.close();
          writeFileSync(join(dir, `cpu-${n}-${mode}-${r + 1}.cpuprofile`), JSON.stringify(prof));
          // Each sample's time, charged to its own function (self) and to every distinct
          // function on its stack (total), for the samples with aisle's code on the stack.
          const nodes = new Map(prof.nodes.map((x) => [x.id, x]));
          const parent = new Map();
          for (const x of prof.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
          const name = (x) => {
            const f = x.callFrame;
            return f.url ? `${f.functionName || '(top level)'} ${f.url.replace(/.*\//, '')}:${f.lineNumber + 1}` : f.functionName;
          };
          prof.samples.forEach((id, i) => {
            const dt = (prof.timeDeltas[i + 1] ?? 0) / 1000 / runs;
            const stack = [];
            for (let x = id; x !== undefined; x = parent.get(x)) stack.push(nodes.get(x));
            if (!stack.some((x) => x.callFrame.url.includes('/aisle/'))) return;
            aisleMs += dt;
            self.set(name(stack[0]), (self.get(name(stack[0])) ?? 0) + dt);
            for (const k of new Set(stack.map(name))) total.set(k, (total.get(k) ?? 0) + dt);
          });
        }
        const top = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 25);
        console.log(`\n${n} items, ${mode}, ${profile.name}, ${CPU_RATE}x CPU: the first visit's samples with aisle's code on the stack, ${ms(aisleMs)} a view (mean of ${runs})\n`);
        table(['function (self)', 'ms', 'function (total)', 'ms'], ['---', '---:', '---', '---:']);
        const [a, b] = [top(self), top(total)];
        for (let i = 0; i < Math.max(a.length, b.length); i++) {
          row(a[i]?.[0] ?? '', a[i] ? a[i][1].toFixed(1) : '', b[i]?.[0] ?? '', b[i] ? b[i][1].toFixed(1) : '');
        }
      }
    }
  }
  server.stop();
}

const saved = opt('--report');
if (args.includes('--tabs')) await measureTabs();
else if (args.includes('--cpu-profile')) await measureProfile();
else report(saved ? saved.split(',').map((f) => JSON.parse(readFileSync(f, 'utf8'))) : [await measure()]);

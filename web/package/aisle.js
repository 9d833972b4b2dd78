// aisle storefront loader: shows the published page lists at once, starts the wasm engine
// lazily in a Web Worker (engine-worker.js), feeds it the store's GA4 events, keeps the
// visit and profile in localStorage, defines <aisle-recs>. Sends nothing anywhere. Usage,
// options and API: docs/storefront.md.
import { AisleError } from './engine.js';
import { defineAisleRecs } from './aisle-recs.js';
import {
  MAX_EVENT_ITEMS, MAX_TEXT, MAX_VISIT_EVENTS, NAME, RECORD, TEXT_FIELDS, TIME, conforms, fnv1a, newRecord as storedRecord, num, obj,
  landingEvent, list, randomHex, storeKeyFor, str,
} from './record.js';

export { AisleError };
export const VERSION = '2.0.0'; // web/package/package.json's; its major is the snapshot format's (docs/storefront.md)

// One localStorage key per store (its manifest's or snapshot's path): two stores on one
// origin never read each other's visitor. Set by configure().
let storeKey = 'aisle:v1:';

// What `aisle publish` writes (docs/snapshot-format.md); later versions may add fields.
const PATH = str(1000, /^[\w./-]+$/);
const MANIFEST = obj({
  v: num(1, 1), build: str(16, /^[0-9a-f]{16}$/), snapshot: PATH, snapshot_checksum: num(0, 2 ** 32), lists: PATH,
  files: num(1, 2 ** 32), limits: obj({ home: num(1, 100), product: num(1, 100), category: num(1, 100) }),
}, true);
// With --shards, these too (docs/snapshot-format.md, "Shards").
const SHARDED = obj({ head: PATH, head_checksum: num(0, 2 ** 32), shards: PATH, shard_files: num(1, 2 ** 32) }, true);
const MAP = { type: 'object', fields: {}, open: true };
const LIST_FILE = obj({ v: num(1, 1), build: str(16), file: num(0, 2 ** 32), items: MAP, lists: MAP }, true);

const config = {
  manifest: null,
  snapshot: null,
  engine: new URL('./engine/aisle_engine.mjs', import.meta.url).href,
  worker: new URL('./engine-worker.js', import.meta.url).href,
  fallback: null,
  visitMinutes: 30,
  shareContext: false, // the detected shopper context (aisle_context) in the page's analytics: opt-in
};
const stats = { state: 'idle', tracked: 0, ignored: 0, errors: 0, unknownItems: 0, resets: 0, storageErrors: 0, snapshot: null,
  thread: null, worker: null, joined: false, sharedFailures: 0, memoryBytes: 0, pageLists: 0, aheadLists: 0 };
// call(op, arg) into the engine's thread, once it has the visit. Every request carries the
// page's time (`now`): the worker's clock is not the page's under a test's or a tool's clock.
let engine = null;
let version = 0;   // changes whenever the engine's state does: its lists before are stale
const lists = new Map(); // request key -> {version, result}: the engine's latest list for it
const asking = new Set(); // request key@version in flight
let starting = null;
let startRun = 0; // leaveShared() counts it up: a start() still running then hands over
const LEFT = 'left_shared'; // the code of a request the shared engine never answered (leaveShared)
let fallbackList;
let saved = null; // {v, profile, snap, visit: {last, src, events}, ended: [events of a visit to fold]}
let saveTimer = 0;
const closed = new Set(); // ids of the events of visits this page closed
// `saved` was made here, not read: other tabs may have made one at the same moment, and
// each reads the others' writes late (a renderer's copy of localStorage), so every such tab
// keeps the oldest of them (merge).
let fresh = false;
const own = new WeakSet(); // dataLayer entries the widgets pushed: not shopper actions
const shown = new Map(); // item id -> the placement of the last list that showed it

// ---- nothing aisle does may break the page: every hook into it goes through guard() ----
let warned = false;
function failed(e) {
  if (e?.code === LEFT) return; // not an error: the page moved to an engine of its own
  stats.errors++;
  if (warned) return;
  warned = true;
  try { console.warn(`aisle: ${e?.message ?? e} (counted in stats().errors)`); } catch { /* a hostile console */ }
}

// `fn` made exception-proof: what it throws is counted and `otherwise` returned instead.
function guard(fn, otherwise) {
  return function guarded(...args) {
    try {
      return fn.apply(this, args);
    } catch (e) {
      failed(e);
      return otherwise;
    }
  };
}

// ---- storage: one versioned record; corrupt or foreign data is reset ----
function readStore() {
  let s;
  try {
    s = JSON.parse(localStorage.getItem(storeKey) ?? 'null');
  } catch {
    s = undefined;
  }
  const valid = conforms(s, RECORD) && !forgotten(s);
  if (valid) s.experiments ??= []; // reassigned at start
  if (s !== null && !valid) {
    stats.resets++;
    try { localStorage.removeItem(storeKey); } catch { stats.storageErrors++; }
  }
  // A visitor another tab made moments ago may still give way to an older one made at the
  // same moment in a third tab (merge): a page that reads it takes part as its maker does,
  // else it would keep writing a visitor the others left, without their events.
  fresh = !valid || Date.now() - (s.born ?? 0) < JOIN_MS;
  return valid ? s : newRecord();
}
const JOIN_MS = 10000;

// A new visitor's record.
const newRecord = (visit = newVisit()) => storedRecord(visit);

function newVisit() {
  const q = new URLSearchParams(location.search);
  const src = {
    source: (q.get('utm_source') ?? (q.has('gclid') ? 'google' : '')).slice(0, MAX_TEXT),
    medium: (q.get('utm_medium') ?? (q.has('gclid') ? 'cpc' : '')).slice(0, MAX_TEXT),
    referrer: '',
  };
  try {
    const ref = document.referrer && new URL(document.referrer);
    if (ref && ref.origin !== location.origin) src.referrer = ref.hostname.slice(0, MAX_TEXT);
  } catch { /* no referrer */ }
  return { last: 0, src, events: [] };
}

// ---- consent: the store's Consent Mode signal or aisle.consent(); without it granted, the
// visit and profile live in this page's memory only ----
let consented = true; // a store with no consent signal keeps the visitor as before
const EMPTY_PROFILE = '{"v":1,"visits":0,"views":[],"purchases":[]}';

// Google Consent Mode: gtag('consent', 'default' | 'update', {personalization_storage, ...});
// personalization_storage decides, else analytics_storage.
function onConsent(params) {
  const v = params?.personalization_storage ?? params?.analytics_storage;
  if (v === 'granted' || v === 'denied') consent(v === 'granted');
}

/** The shopper's consent to keep their visit and profile on this device (false erases them). */
const consent = guard((granted) => {
  consented = granted === true;
  if (consented) return save(true);
  clearTimeout(saveTimer);
  // Withdrawn on a page that shares the store's engine with its other tabs (whose records keep
  // what it hears): this page's visit goes on in an engine of its own, in memory only.
  const restart = leaveShared();
  erase(false);
  if (restart) start();
});

/** Erases everything aisle stored on this device (logout, shared devices); a new visitor follows. */
const forget = guard(() => erase(true));

// The visitors aisle.forget() erased on this origin (the last 16 random ids), the one thing
// it leaves: another open tab, or a page Back restores, then drops that visitor instead of
// writing them back (merge).
const FORGOT = 'aisle:forgot';
const FORGOT_KEPT = 16;
const FORGOT_LIST = list(FORGOT_KEPT, str(32, /^[0-9a-f]{32}$/));
function forgotList() {
  try {
    const v = JSON.parse(localStorage.getItem(FORGOT) ?? '[]');
    return conforms(v, FORGOT_LIST) ? v : [];
  } catch { return []; }
}
const forgotten = (record, ids = forgotList()) => ids.includes(record.visitor);

// Removes the stored record (every store's and the cached snapshots too, when `all`); the
// page goes on with a new visitor in memory, the current visit kept unless `all`.
function erase(all) {
  const gone = all && saved ? [saved.visitor, ...forgotList().filter((v) => v !== saved.visitor)].slice(0, FORGOT_KEPT) : [];
  try {
    for (const k of Object.keys(localStorage)) if (k === storeKey || (all && k.startsWith('aisle:'))) localStorage.removeItem(k);
    if (gone.length) localStorage.setItem(FORGOT, JSON.stringify(gone));
  } catch { stats.storageErrors++; }
  dropAhead(all);
  if (all) globalThis.caches?.delete('aisle-snapshots').catch(() => {});
  startOver(all);
  fresh = all; // after a forget, the store's other tabs make new visitors too: one is kept (merge)
}

// A new visitor in this page (the visit kept unless `all`), and in the engine if it runs.
function startOver(all) {
  saved = all || !saved ? newRecord() : newRecord(saved.visit);
  dropAhead(false); // another visitor's
  if (all) { lists.clear(); version++; }
  if (engine) { // in order: the visit folded (forget), the profile emptied, the new visitor's arms
    if (all) engine('endVisit').catch(failed);
    engine('importProfile', EMPTY_PROFILE).catch(failed);
    identify(engine).catch(failed);
  }
  document.dispatchEvent(new CustomEvent('aisle:update', { detail: { event: 'forgotten' } }));
}

function save(now = false) {
  clearTimeout(saveTimer);
  if (!consented) return; // memory only
  const write = () => {
    try {
      merge();
      localStorage.setItem(storeKey, JSON.stringify(saved));
    } catch {
      stats.storageErrors++; // quota or privacy mode: the page still works, the visit is not kept
    }
  };
  if (now) write(); else saveTimer = setTimeout(write, 200);
}

// Another tab of the store, or this page before Back restored it from the back/forward
// cache, may have stored events this page has not seen: they join the visit here (and the
// engine, if it runs) before anything is written, so no page overwrites another's events.
// Returns whether the stored record lacks something this page has: a tab wrote without
// having read this page's last write, and the page writes the union back (storage), so
// every tab ends with the same record whatever order the writes cross in.
function merge() {
  const gone = forgotList(); // read once: both records are checked against it
  if (forgotten(saved, gone)) { // another tab forgot this visitor: so does this page
    startOver(true);
    fresh = true; // and it joins the first new visitor the store's tabs make
  }
  let stored;
  try { stored = JSON.parse(localStorage.getItem(storeKey) ?? 'null'); } catch { return false; }
  if (!conforms(stored, RECORD)) return false;
  if (forgotten(stored, gone)) return true; // a tab wrote a forgotten visitor before it knew: ours replaces it
  if (stored.visitor !== saved.visitor) {
    if (!fresh) return false; // not this visitor's record: ours replaces it
    if (!older(stored, saved)) return true; // ours is the one every such tab keeps
    adopt(stored); // another tab made the visitor first: this page joins them
  }
  const known = new Set(saved.visit.events.map((e) => e.id));
  const missing = stored.visit.events.filter((e) => e.id && !known.has(e.id) && !closed.has(e.id));
  if (missing.length) {
    // In one order in every tab (time, then id), so the same events are kept past the limit.
    const events = [...saved.visit.events, ...missing].sort((x, y) => x.timestamp - y.timestamp || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    saved.visit.events = events.slice(-MAX_VISIT_EVENTS);
    saved.visit.last = Math.max(saved.visit.last, stored.visit.last);
    if (engine) for (const e of missing) apply(e);
    document.dispatchEvent(new CustomEvent('aisle:update', { detail: { event: 'merged' } }));
  }
  const storedIds = new Set(stored.visit.events.map((e) => e.id));
  return saved.visit.events.some((e) => !storedIds.has(e.id));
}

// Of two visitors made at once in two tabs, the one every tab keeps: the first made (a
// record from before `born` counts as the oldest), then the smaller id.
const older = (a, b) => (a.born ?? 0) < (b.born ?? 0) || ((a.born ?? 0) === (b.born ?? 0) && a.visitor < b.visitor);

// This page started a record while another tab of the same browser stored one: the page
// joins that visitor (their id, profile and experiment arms) instead of replacing them.
function adopt(stored) {
  Object.assign(saved, { visitor: stored.visitor, born: stored.born, profile: stored.profile, snap: stored.snap });
  if (engine) identify(engine).catch(failed);
}

// The engine takes the stored visitor: their profile, and their arm of each experiment in
// the rules (kept with the profile).
async function identify(call, known = false) {
  version++;
  // Both sent at once: the engine's thread takes them in order (no round trip between).
  const imported = saved.profile && !known && call('importProfile', saved.profile).catch((e) => {
    if (e?.code === LEFT) return; // the page left the shared engine: its own gets the profile
    saved.profile = '';
    stats.resets++;
  });
  const arms = call('assign', saved.visitor);
  await imported;
  saved.experiments = await arms;
}

// ---- events ----
function normalize(name, params) {
  const e = { event: name, timestamp: conforms(params.timestamp, TIME) ? params.timestamp : Date.now() };
  const items = params.ecommerce?.items ?? params.items;
  if (Array.isArray(items)) {
    e.items = items.slice(0, MAX_EVENT_ITEMS).filter((i) => i && (typeof i.item_id === 'string' || typeof i.item_id === 'number'))
      .map((i) => ({ item_id: String(i.item_id) })).filter((i) => i.item_id.length <= MAX_TEXT);
  }
  for (const f of TEXT_FIELDS) {
    const v = params[f] ?? params.ecommerce?.[f];
    if (typeof v === 'string') e[f] = v.slice(0, MAX_TEXT);
  }
  return e;
}

/** Records a shopper action (a GA4 e-commerce event). Unknown names are ignored and counted. */
const track = guard(trackEvent, false);

function trackEvent(event) {
  if (!event || typeof event !== 'object' || typeof (event.event ?? event.name) !== 'string') {
    stats.ignored++;
    return false;
  }
  const name = event.event ?? event.name;
  const e = (NAME.test(name) || name === 'view_cart') && normalize(name, event);
  if (!e || (name === 'view_cart' && !e.items)) {
    stats.ignored++;
    return false;
  }
  saved ??= readStore();
  if (visitOver(e.timestamp)) closeVisit();
  if (name === 'view_item_list') for (const { item_id: id } of e.items ?? []) if (listedHere.size < AHEAD_ITEMS) listedHere.add(id);
  const changes = name === 'view_cart' ? cartChanges(e) : [e];
  for (const c of changes) record(c);
  stats.tracked++;
  if (changes.length) document.dispatchEvent(new CustomEvent('aisle:update', { detail: { event: name } }));
  return true;
}

// GA4 view_cart carries the whole cart. The engine's session knows the cart from add_to_cart,
// remove_from_cart and purchase, so view_cart becomes those: the lines the visit has not
// seen added (a cart filled in an earlier visit or another tab), the lines it no longer holds removed.
function cartChanges(e) {
  const cart = new Set();
  for (const v of saved.visit.events) {
    if (v.event === 'purchase') cart.clear();
    for (const { item_id: id } of v.items ?? []) {
      if (v.event === 'add_to_cart') cart.add(id);
      else if (v.event === 'remove_from_cart') cart.delete(id);
    }
  }
  const want = new Set(e.items.map((i) => i.item_id));
  const lines = (ids) => ids.map((id) => ({ item_id: id }));
  const changes = [];
  const gone = [...cart].filter((id) => !want.has(id));
  const added = [...want].filter((id) => !cart.has(id));
  if (gone.length) changes.push({ ...e, event: 'remove_from_cart', items: lines(gone) });
  if (added.length) changes.push({ ...e, event: 'add_to_cart', items: lines(added) });
  return changes;
}

// Keeps a shopper action in the visit (stored) and gives it to the engine if it runs.
function record(e) {
  e.id = randomHex(6);
  const { src } = saved.visit;
  for (const f of ['source', 'medium', 'referrer']) if (!e[f] && src[f]) e[f] = src[f];
  if (!e.page_type && document.documentElement.dataset.aislePage) e.page_type = document.documentElement.dataset.aislePage.slice(0, MAX_TEXT);
  saved.visit.last = Math.max(saved.visit.last, e.timestamp);
  saved.visit.events.push(e);
  if (saved.visit.events.length > MAX_VISIT_EVENTS) saved.visit.events.splice(0, saved.visit.events.length - MAX_VISIT_EVENTS);
  save();
  if (engine) apply(e);
}

function apply(e) {
  version++;
  engine('track', e).then((r) => { stats.unknownItems += r.unknown_items ?? 0; },
    failed); // the engine failed on an event it should take: an error, not an ignored event
}

const ids = (events) => events.map((e) => e.id).filter((id) => typeof id === 'string');

function visitOver(t) {
  return saved.visit.last > 0 && t - saved.visit.last > config.visitMinutes * 60000;
}

// A visit ends after visitMinutes without events: it is folded into the profile (at the
// next start if the engine is not running yet). It is kept as `ended` until the profile that
// folds it is back from the engine's thread: a page left sooner (endVisit() on logout, then
// a navigation) leaves it for the next start to fold.
function closeVisit() {
  const events = saved.visit.events;
  for (const e of events) closed.add(e.id); // not merged back into the next visit
  dropAhead(false); // computed for the visit that ends
  if (events.length) saved.ended = events;
  if (engine) {
    version++;
    // The ids say which visit: where tabs share the engine, another may have folded it already.
    if (events.length) engine('endVisit', ids(events)).catch(failed);
    engine('exportProfile').then((p) => {
      saved.profile = p;
      if (saved.ended === events) delete saved.ended;
      save();
    }, failed);
  }
  saved.visit = newVisit();
}

// A visit without events yet: this page is where it lands, and a source the page names (an
// ad's utm parameters or gclid, another site's referrer) is the visit's. The engine hears it
// now, not with the first event, so the first list (home, before any product view) knows it.
function land() {
  const { src } = newVisit();
  if (src.source || src.medium || src.referrer) saved.visit.src = src;
  const e = landingEvent(saved.visit.src, Date.now());
  if (e) apply(e);
}

const heard = new WeakSet(); // entries already read: one copied into a new dataLayer is not tracked twice

function onDataLayer(entry) {
  if (!entry || typeof entry !== 'object' || own.has(entry) || heard.has(entry)) return;
  heard.add(entry);
  if (typeof entry.length === 'number' && entry[0] === 'event' && typeof entry[1] === 'string') {
    track({ ...(entry[2] ?? {}), event: entry[1] }); // gtag('event', name, params)
  } else if (typeof entry.length === 'number' && entry[0] === 'consent') {
    onConsent(entry[2]); // gtag('consent', 'default' | 'update', {...})
  } else if (typeof entry.event === 'string' && (NAME.test(entry.event) || entry.event === 'view_cart')) {
    track(entry);
  }
}

// Reads the entries already in `dl` and wraps its push.
function hook(dl) {
  if (!dl || typeof dl.push !== 'function' || dl.aisle) return;
  const onEntry = guard(onDataLayer);
  for (const entry of dl) onEntry(entry);
  const push = dl.push;
  dl.push = function (...args) {
    const r = push.apply(this, args); // the page's own push: its result and its exceptions stay the page's
    for (const a of args) onEntry(a);
    return r;
  };
  Object.defineProperty(dl, 'aisle', { value: true });
}

// The page's dataLayer, and any the page assigns later (a tag manager snippet that writes
// `dataLayer = [...]` after aisle loaded): window.dataLayer becomes an accessor that hooks each.
function listen() {
  let current = (window.dataLayer = window.dataLayer || []);
  guard(hook)(current);
  if (Object.getOwnPropertyDescriptor(window, 'dataLayer')?.configurable === false) {
    console.warn('aisle: window.dataLayer cannot be watched; a dataLayer assigned later is not heard');
    return;
  }
  Object.defineProperty(window, 'dataLayer', {
    configurable: true, enumerable: true,
    get: () => current,
    set: (value) => {
      current = value; // the page's assignment always happens, whatever hook() meets
      guard(hook)(value);
    },
  });
}

/**
 * Pushes to dataLayer on behalf of a widget (not tracked as a shopper action). What aisle
 * inferred about the shopper (`aisle_context`: price-sensitive, gift, ...) stays on the
 * device unless the store opted in (shareContext): any GA4 tag forwards what is pushed.
 */
function pushAnalytics(entry) {
  let out = entry;
  if (!config.shareContext && entry && typeof entry === 'object' && Object.hasOwn(entry, 'aisle_context')) {
    out = { ...entry };
    delete out.aisle_context;
  }
  own.add(out);
  (window.dataLayer = window.dataLayer || []).push(out);
}

// ---- the engine's thread: a module Web Worker; on the page where a policy forbids workers ----
let policy;
function workerUrl() { // under `require-trusted-types-for 'script'` a worker's URL must be trusted
  if (!window.trustedTypes?.createPolicy) return config.worker;
  policy ??= trustedTypes.createPolicy('aisle', {
    createScriptURL: (u) => { if (u === config.worker) return u; throw new TypeError(`aisle: not the engine worker: ${u}`); },
  });
  return policy.createScriptURL(config.worker);
}

// call(op, arg) -> the result of the engine's operation (engine-worker.js), in call order.
// One thread per page, started by the first list a page shows (before the engine itself:
// its first message warms the number formats the element needs; see engine-worker.js):
// the store's shared worker where the browser has SharedWorker, else a dedicated worker,
// else the page itself. `snapshotUrl` names the shared worker (sharedName).
let thread = null;
function connect(snapshotUrl) {
  thread ??= open(snapshotUrl);
  return thread;
}

// Whether this page's engine may be a shared worker: the browser has SharedWorker, and the
// shopper's consent holds (the store's other tabs store the shared engine's profile: a page
// without consent keeps its visit to its own engine).
const canShare = () => {
  try { return consented && typeof window.SharedWorker === 'function'; } catch { return false; }
};

// One shared worker per store, loader version, engine and snapshot: a tab on another build
// (a manifest published meanwhile) or with another loader gets its own and never changes
// the engine of a tab still on the old one.
const sharedName = (snapshotUrl) => `aisle ${VERSION} ${storeKey} ${fnv1a(`${config.engine} ${snapshotUrl}`).toString(16)}`;
const HELLO_MS = 8000; // a shared worker that has not said hello by then is given up for a dedicated one

function open(snapshotUrl) {
  let send; // posts a message, resolves to its reply: the worker's, or the page's (onPage)
  const pending = new Map(); // id -> {message, resolve}, until the worker answers
  let seq = 0;
  let detach = () => {}; // stops listening to the worker in use (use())
  // The messages not answered yet go to the thread that takes over (`send` replaced).
  const takeOver = () => {
    const waiting = [...pending.values()];
    pending.clear();
    for (const { message, resolve } of waiting) send(message).then(resolve, (e) => resolve({ ok: false, code: 'engine_failed', message: String(e.message ?? e) }));
  };
  const onPage = () => { // no worker could start: the same module runs on the page
    stats.thread = 'page';
    stats.worker = null;
    const mod = import(config.worker);
    let last = Promise.resolve();
    send = (message) => (last = last.then(() => mod).then((m) => m.handle(message)));
    takeOver();
  };
  // Messages through `port` (a dedicated worker, or a shared worker's port). An error from
  // `source` before the worker said anything means it never ran (a policy, a 404, no module
  // workers): `instead` takes over the messages waiting.
  const use = (port, source, instead) => {
    let answered = false;
    let timer = 0;
    const giveUp = () => {
      clearTimeout(timer);
      port.onmessage = null;
      source.onerror = null;
      try { // nothing more goes to, or comes from, a worker this page gave up on
        port.close?.(); // a shared worker's port
        source.terminate?.(); // a dedicated worker
      } catch { /* already gone */ }
      instead();
    };
    port.onmessage = guard(({ data }) => {
      answered = true;
      clearTimeout(timer);
      if (data?.changed && data.id === undefined) return stale(); // another tab changed the shared engine
      pending.get(data?.id)?.resolve(data);
      pending.delete(data?.id);
    });
    source.onerror = guard((e) => {
      e.preventDefault();
      if (!answered) return giveUp();
      const dead = (message) => Promise.resolve({ id: message.id, ok: false, code: 'engine_failed', message: 'the engine worker failed' });
      for (const { resolve, message } of pending.values()) dead(message).then(resolve);
      pending.clear();
      send = dead; // a worker that crashed answers nothing more
    });
    send = (message) => new Promise((resolve) => {
      pending.set(message.id, { message, resolve });
      port.postMessage(message);
    });
    detach = () => { // leave(): nothing more from this worker, not even its failure
      clearTimeout(timer);
      port.onmessage = null;
      source.onerror = null;
      try { port.close?.(); } catch { /* already gone */ }
    };
    return (ms) => { timer = setTimeout(guard(() => { if (!answered) giveUp(); }), ms); };
  };
  const dedicated = () => {
    try {
      const worker = new Worker(workerUrl(), { type: 'module', name: 'aisle' });
      use(worker, worker, onPage);
      stats.thread = 'worker';
      stats.worker = 'dedicated';
      takeOver();
    } catch {
      onPage();
    }
  };
  const shared = () => { // any failure here is counted, and a dedicated worker takes over
    let port = null;
    const failedShared = () => {
      stats.sharedFailures++;
      if (sharedPort === port) sharedPort = null;
      dedicated();
    };
    try {
      const worker = new SharedWorker(workerUrl(), { type: 'module', name: sharedName(snapshotUrl) });
      port = worker.port;
      port.start?.();
      use(port, worker, failedShared)(HELLO_MS);
      stats.thread = 'worker';
      stats.worker = 'shared';
      sharedPort = port;
    } catch {
      failedShared();
    }
  };
  if (snapshotUrl && canShare()) shared(); else dedicated();
  const call = (op, arg) => {
    const message = { id: ++seq, op, arg };
    return send(message).then((r) => {
      if (Number.isFinite(r.memoryBytes)) stats.memoryBytes = r.memoryBytes;
      if (!r.ok) throw new AisleError(r.code, r.message);
      return r.result;
    });
  };
  call.leave = () => { // leaveShared()
    const left = (message) => Promise.resolve({ id: message.id, ok: false, code: LEFT, message: 'this page left the shared engine' });
    for (const { resolve, message } of pending.values()) left(message).then(resolve);
    pending.clear();
    send = left;
    detach();
  };
  call('warm', document.documentElement.lang).catch(failed);
  return call;
}

// This page leaves the shared engine: its messages not answered yet fail, nothing more goes
// there, and the engine starts again, in a dedicated worker (canShare() is false now), with
// the visit replayed. Whether it was sharing one.
function leaveShared() {
  if (!sharedPort || !thread) return false;
  thread.leave();
  sharedPort = null;
  thread = null;
  engine = null;
  starting = null;
  startRun++;
  version++;
  return true;
}

// Going into the back/forward cache (pagehide, persisted) and back (pageshow): the shared
// worker holds this page's messages meanwhile, for a message to a cached page makes Chromium
// evict it. Back, the page may have missed changes: its lists are stale.
let sharedPort = null;
function rest(asleep) {
  sharedPort?.postMessage({ tab: asleep ? 'asleep' : 'awake' });
  if (!asleep && sharedPort) stale();
}

// Another tab changed the engine this page shares (an event, the visit folded, another
// visitor): this page's lists are stale, and its widgets render again in their next frame.
function stale() {
  if (!engine) return;
  version++;
  document.dispatchEvent(new CustomEvent('aisle:update', { detail: { event: 'shared' } }));
}

// ---- page lists (aisle publish): the engine's list for a fresh visit on this page, shown
// before the engine runs; the engine's own list replaces it once it has the visit ----
let manifest = null; // promise of the validated manifest
let published = null; // the manifest, once read
const pageFiles = new Map(); // list file URL -> its lists once read, null if unusable

function readManifest() {
  manifest ??= (async () => {
    const get = (cache) => fetch(config.manifest, { cache }).then((r) => {
      if (!r.ok) throw new AisleError('download_failed', `${config.manifest}: HTTP ${r.status}`);
      return r.json();
    }).then((m) => {
      if (!conforms(m, MANIFEST)) throw new AisleError('invalid_manifest', `${config.manifest}: not an aisle manifest (v1)`);
      return m;
    });
    // On a later page of a visit the copy the browser has, at once (no round trip before the
    // list); revalidated meanwhile, so a new build takes over from the next page. On a
    // visit's first page, the network's (else the browser's copy).
    if (saved?.visit.events.length > 1) {
      const cached = await get('force-cache').catch(() => null);
      if (cached) {
        get('no-cache').catch(() => {}); // refreshes the browser's copy for the next page
        return (published = cached);
      }
    }
    return (published = await get('no-cache').catch(() => get('force-cache')));
  })().then((m) => { // a list shown from the lists ahead is checked again against its snapshot
    if (aheadShown.size) document.dispatchEvent(new CustomEvent('aisle:update', { detail: { event: 'manifest' } }));
    return m;
  });
  return manifest;
}

function pageKey(placement, item, category) {
  if (placement === 'home') return 'home';
  if (placement === 'product' && item) return `product:${item}`;
  if (placement === 'category' && category) return `category:${category}`;
  return null;
}

let pageFetch = Promise.resolve(); // the page list being read: the engine's downloads wait for it
const requested = new Set(); // page keys whose file was asked for

const fileUrl = (key) => new URL(`${published.lists}${fnv1a(key) % published.files}.json`, config.manifest).href;

// Reads the list file holding a page's list (the manifest first); an aisle:update follows.
function readPageFile(key) {
  // A dedicated worker starts now, in a task of its own (starting one takes the main thread
  // ~10 ms at 4x CPU); a shared worker is named after the build: it starts once the manifest is read.
  if (!canShare()) setTimeout(guard(() => connect()));
  pageFetch = (async () => {
    await readManifest();
    connect(snapshotUrl(published));
    const url = fileUrl(key);
    if (pageFiles.has(url)) return;
    pageFiles.set(url, null);
    const file = await fetch(url).then((r) => (r.ok ? r.json() : null)).catch(() => null);
    if (conforms(file, LIST_FILE) && file.build === published.build) pageFiles.set(url, file);
    else console.warn(`aisle: ${url} is missing or not build ${published.build}'s list file; the engine's lists follow`);
    document.dispatchEvent(new CustomEvent('aisle:update', { detail: { event: 'page-list' } }));
  })().catch(failed);
}

// Whether a list shown before the engine's (a page list, a list ahead; untrusted) may stand in
// for a request of `limit` slots: a list, and for `fill` one that kept all its slots.
const standsIn = (list, limit, fill) => !!list && typeof list === 'object' && Array.isArray(list.items) &&
  !(fill && (list.slots !== limit || list.mode === 'focused'));

// The page list for a request if its file has been read; otherwise starts reading it and
// returns null. Lists are published for one length per placement (a list's rules, e.g. a
// guaranteed share, depend on its length): another length waits for the engine. They are
// published without `fill`: a fill request takes one only if the engine showed all its
// slots there anyway (on a product page it trims a new visitor's list: those wait).
let unpublished = false;
function pageList(placement, { item, category, limit, fill }) {
  const key = config.manifest && pageKey(placement, item, category);
  if (!key) return null;
  if (published && published.limits[placement] !== limit) {
    if (!unpublished) console.warn(`aisle: page lists are published for ${placement} lists of ${published.limits[placement]}, not ${limit} (aisle publish --limits)`);
    unpublished = true;
    return null;
  }
  if (!requested.has(key)) {
    requested.add(key);
    readPageFile(key);
  }
  const file = published && pageFiles.get(fileUrl(key));
  const list = file && Object.hasOwn(file.lists, key) ? file.lists[key] : null;
  if (!standsIn(list, limit, fill)) return null;
  const items = list.items.slice(0, limit).filter((e) => typeof e?.id === 'string' && Object.hasOwn(file.items, e.id))
    .map((e) => ({ ...file.items[e.id], ...e }));
  return { ...list, placement, items, source: 'page' };
}

// ---- the next page, ahead: once the engine's lists show, the product page list of each item
// they show, then of each item the store's own lists on the page show (its view_item_list
// pushes: a category grid, search results), is computed in the engine's thread (the visit as
// if that item were viewed next)
// while the page is idle, and kept for this tab's next page (sessionStorage), which shows
// it at once, before its engine is up; that engine's own list replaces it. Kept only with
// the shopper's consent, as the visit is; erased with it ----
const AHEAD_ITEMS = 24; // lists computed ahead per page
const AHEAD_CHARS = 256 * 1024; // more is not kept (UTF-16 code units, as storage counts)
const AHEAD = obj({ v: num(1, 1), visitor: str(32), snap: num(0, 2 ** 32), seen: list(MAX_VISIT_EVENTS, str(32)),
  k: num(1, 100), lists: MAP });
const aheadKey = () => `${storeKey}:ahead`;
let ahead; // this page's lists computed ahead by an earlier page of the tab (readAhead), or false
const aheadShown = new Set(); // product ids whose list ahead this page shows: kept until the engine's
let aheadFor = ''; // the engine state and items last looked ahead from

const listedHere = new Set(); // items of the store's own lists on this page (view_item_list), in order

// After an engine list: the items of every engine list of the current state, in the order
// they came, then those the store listed on the page, and the length a product page's widget
// asks for (this page's product widget's, else the published one). One item at a time, so
// that a list the shopper's next event asks for waits for one of them at most.
function lookAhead() {
  const limit = document.querySelector('aisle-recs[placement=product]')?.limit; // the element's, as it asks
  const k = Number.isInteger(limit) ? limit : published?.limits.product;
  const wanted = [...new Set([...[...lists.values()].filter((l) => l.version === version)
    .flatMap((l) => l.result.items.map((i) => i.id)), ...listedHere].filter((id) => typeof id === 'string'))].slice(0, AHEAD_ITEMS);
  const key = `${version} ${k} ${wanted.join(' ')}`;
  if (!consented || !k || !wanted.length || key === aheadFor) return;
  aheadFor = key;
  const state = version;
  // Not for a newer state (its own lists come), nor without the engine or consent, nor for
  // another visitor (forgotten, adopted meanwhile).
  const stale = (visitor) => aheadFor !== key || version !== state || !engine || !consented || saved.visitor !== visitor;
  (window.requestIdleCallback ?? ((f) => setTimeout(f, 200)))(guard(() => aheadOf(wanted, k, stale).catch(failed)), { timeout: 2000 });
}

// Computes the lists ahead of `wanted`, one message each, and stores them unless `stale`.
async function aheadOf(wanted, k, stale) {
  const visitor = saved.visitor;
  const record = { v: 1, visitor, snap: published?.snapshot_checksum ?? stats.snapshot?.checksum ?? 0,
    seen: ids(saved.visit.events), k, lists: {} };
  let size = JSON.stringify(record).length;
  for (const id of wanted) {
    if (stale(visitor)) return;
    const list = await engine('ahead', { id, k, now: Date.now() });
    size += JSON.stringify([id, list]).length;
    if (size > AHEAD_CHARS) break; // the first ones, that fit
    record.lists[id] = list;
  }
  if (stale(visitor)) return;
  const text = JSON.stringify(record);
  try {
    if (text.length <= AHEAD_CHARS) sessionStorage.setItem(aheadKey(), text);
    else sessionStorage.removeItem(aheadKey()); // not an older state's lists instead
  } catch {
    stats.storageErrors++;
    try { sessionStorage.removeItem(aheadKey()); } catch { /* none kept */ }
  }
}

// What an earlier page of this tab computed ahead (read once), or false.
function readAhead() {
  try {
    const text = sessionStorage.getItem(aheadKey());
    const a = text && text.length <= AHEAD_CHARS ? JSON.parse(text) : null;
    return conforms(a, AHEAD) ? a : false;
  } catch {
    return false; // unreadable: none
  }
}

// Whether lists computed ahead are the engine's answer for `item`'s page now: the same
// visitor and snapshot (the manifest's, once read), the visit not over, and nothing in it
// that the lists did not see but views of `item` (this page's own) and the store's
// select_item of it (GA4's click on a store's list that led here; the engine counts it as a
// view too, so its own list, which replaces this one, may differ in that).
const reached = (e, item) => (e.event === 'view_item' || e.event === 'select_item') && e.items?.length === 1 && e.items[0].item_id === item;
function current(a, item) {
  if (!a || a.visitor !== saved.visitor || a.snap !== (published?.snapshot_checksum ?? saved.snap) || visitOver(Date.now())) return false;
  const seen = new Set(a.seen);
  return saved.visit.events.every((e) => seen.has(e.id) || reached(e, item));
}

// This store's lists ahead dropped (every store's, when `all`).
function dropAhead(all) {
  ahead = false;
  aheadFor = '';
  try {
    for (const k of Object.keys(sessionStorage)) if (k === aheadKey() || (all && k.startsWith('aisle:'))) sessionStorage.removeItem(k);
  } catch { /* nothing kept */ }
}

// The list computed ahead for this request, if there is one it may show (unchecked items).
function aheadFound(placement, { item, limit, fill }) {
  if (placement !== 'product' || typeof item !== 'string' || (engine && !aheadShown.has(item))) return null;
  ahead ??= readAhead();
  const list = current(ahead, item) && ahead.k === limit && Object.hasOwn(ahead.lists, item) ? ahead.lists[item] : null;
  return standsIn(list, limit, fill) ? list : null;
}

// The list computed ahead for this product page, for a widget of its length (as pageList),
// until the engine is up (a widget already showing it keeps it until the engine's list).
function aheadList(placement, request) {
  const list = aheadFound(placement, request);
  if (!list) return null;
  const { item, limit } = request;
  const items = list.items.slice(0, limit).filter((e) => e && typeof e === 'object' && typeof e.id === 'string');
  aheadShown.add(item);
  return { ...list, placement, items, source: 'ahead' };
}

// ---- start: engine, snapshot (cached, versioned), profile, visit replay ----
// What the engine downloads first (and names a shared worker by): the snapshot, or its head.
const snapshotUrl = (m) => new URL(conforms(m, SHARDED) ? m.head : m.snapshot, config.manifest).href;

async function snapshotSource() {
  if (!config.manifest) {
    if (!config.snapshot) throw new AisleError('invalid_argument', 'no snapshot configured (data-manifest or data-snapshot)');
    return { url: config.snapshot, cacheKey: config.snapshot, revalidate: true };
  }
  const m = await readManifest();
  // In shards (aisle publish --shards): the head and the shards of the items the visit, the
  // profile and this page need; the engine's thread fetches more as the visit goes on.
  if (conforms(m, SHARDED)) {
    return { url: snapshotUrl(m), cacheKey: `${config.manifest}?head`, revalidate: false, headChecksum: m.head_checksum,
      checksum: m.snapshot_checksum, shards: { base: new URL(m.shards, config.manifest).href, files: m.shard_files },
      need: neededIds() };
  }
  // Content-addressed: the browser's cache may keep it for good. The last one that verified is
  // also kept under one key, for when a new one cannot be had or fails verification.
  return { url: snapshotUrl(m), cacheKey: `${config.manifest}?snapshot`, revalidate: false,
    checksum: m.snapshot_checksum };
}

// The items whose shards the engine needs from the start: the visit's and the profile's, and
// the products of this page's lists.
function neededIds() {
  const out = [];
  for (const e of [...saved.visit.events, ...(saved.ended ?? [])]) {
    if (Array.isArray(e.items)) for (const i of e.items) out.push(i?.item_id);
  }
  try {
    const p = JSON.parse(saved.profile ?? 'null');
    for (const e of [...(p?.views ?? []), ...(p?.purchases ?? [])]) if (Array.isArray(e)) out.push(e[0]);
  } catch { /* an unreadable profile is dropped at import */ }
  for (const key of requested) if (key.startsWith('product:')) out.push(key.slice(8));
  return out.filter((id) => typeof id === 'string' && id);
}

/** Starts the engine now (otherwise it starts when the page is idle or a widget shows). */
function start() {
  if (starting) return starting;
  const run = startRun;
  const overtaken = () => run !== startRun; // leaveShared() started another run
  starting = (async () => {
    saved ??= readStore();
    stats.state = 'loading';
    // On a visit's first page the page list is the engine's list: it goes first, before the
    // engine's bytes. Later in the visit the engine's list is the one to show: no waiting.
    if (saved.visit.events.length <= 1) await pageFetch; // (never rejects)
    if (overtaken()) return start();
    // A dedicated worker needs no snapshot URL: it starts now and creates the engine while
    // the manifest is read (a shared worker is named after the snapshot: connected below).
    if (!canShare()) connect()('prepare', config.engine).catch(failed);
    const snapshot = await snapshotSource();
    if (overtaken()) return start();
    const call = connect(snapshot.url);
    const opened = await call('open', { moduleUrl: config.engine, snapshot: { ...snapshot, known: saved.snap } });
    if (overtaken()) return start();
    stats.snapshot = { source: opened.source, checksum: opened.checksum };
    stats.joined = opened.joined === true; // another tab's engine, up in the shared worker
    if (opened.warning) console.warn(`aisle: ${opened.warning}`);
    if (opened.source === 'network') saved.snap = opened.checksum;
    // A tab of the same visitor has given the shared engine the profile, as new as this
    // page's stored one or newer (a visit folded there since this page read it).
    await identify(call, stats.joined && opened.visitor === saved.visitor);
    if (saved.ended) {
      for (const e of saved.ended) call('track', e).catch(failed);
      call('endVisit', ids(saved.ended)).catch(failed);
      saved.profile = await call('exportProfile');
      delete saved.ended;
    }
    if (overtaken()) return start();
    engine = call; // from here every recorded event goes to the engine: the visit so far first
    for (const e of saved.visit.events) apply(e);
    if (visitOver(Date.now())) closeVisit();
    if (!saved.visit.events.length) land();
    if (saved.experiments.length && !saved.visit.exposed) { // once per visit, for the report
      pushAnalytics({ event: 'aisle_exposure', ...experimentParams() });
      saved.visit.exposed = true;
    }
    save();
    stats.state = 'ready';
    document.dispatchEvent(new CustomEvent('aisle:update', { detail: { event: 'ready' } }));
    return true;
  })().catch((e) => {
    if (overtaken()) return start();
    stats.state = 'failed';
    stats.error = String(e.message ?? e);
    console.warn(`aisle: recommendations unavailable, showing the fallback (${stats.error})`);
    return false;
  });
  return starting;
}

/** Resolves to true once recommendations can be computed, false if they cannot. */
const ready = () => start();

/** GA4 parameters naming the visitor's experiment arms: {aisle_experiment, aisle_variant}. */
function experimentParams() {
  const arms = saved?.experiments ?? [];
  return arms.length ? { aisle_experiment: arms.map((a) => a.experiment).join(','), aisle_variant: arms.map((a) => a.variant).join(',') } : {};
}

const holdout = (placement) => saved?.experiments.some((a) => a.holdout && a.show === 'nothing') &&
  { ok: true, placement, mode: 'holdout', slots: 0, items: [] }; // the holdout sees no list

function remember(result, placement, { item, category, fill }) {
  for (const i of result.items) shown.set(i.id, { placement, item, category, fill });
  return result;
}

// Asks the engine for a request's list in its current state; an aisle:update follows.
function ask(key, placement, { item, category, limit, fill }) {
  const asked = version;
  if (asking.has(`${key}@${asked}`)) return;
  asking.add(`${key}@${asked}`);
  engine('recommend', { placement, item, category, k: limit, fill, now: Date.now() }).then((result) => {
    if (lists.size > 100) lists.clear();
    if (!(lists.get(key)?.version > asked)) lists.set(key, { version: asked, result });
    document.dispatchEvent(new CustomEvent('aisle:update', { detail: { event: 'list' } }));
    lookAhead();
  }, failed).finally(() => asking.delete(`${key}@${asked}`));
}

/**
 * The list for a placement now, synchronously: the engine's latest for this request (one
 * event behind at most while the engine's thread works; an aisle:update follows each new
 * one), else the published page list, else null.
 */
function recommendNow(placement, { item, category, limit = 10, fill = false } = {}) {
  const held = holdout(placement);
  if (held) {
    start(); // no list, but the engine runs for the visit (and its exposure, for the report)
    return held;
  }
  const request = { item, category, limit, fill };
  const key = JSON.stringify([placement, item, category, limit, fill]);
  const known = lists.get(key);
  if (engine && known?.version !== version) ask(key, placement, request);
  const result = known?.result ?? aheadList(placement, request) ?? pageList(placement, request);
  if (result?.source === 'page') stats.pageLists++;
  if (result?.source === 'ahead') stats.aheadLists++;
  // A list that stands in before the engine's: the engine's own follows (a widget that gets a
  // list asks for nothing more, and its list may have been read before the loader's idle start).
  if (result?.source === 'page' || result?.source === 'ahead') start();
  return result && remember(result, placement, request);
}

/**
 * Starts reading what a widget's first list will need (its published page list, unless the
 * engine is up or a list computed ahead stands in), so that it is there when the widget comes into view.
 */
function prepare(placement, { item, category, limit = 10, fill = false } = {}) {
  const request = { item, category, limit, fill };
  if (!engine && !holdout(placement) && !aheadFound(placement, request)) pageList(placement, request);
}

/** The recommendations for a placement: {items, mode, slots, context, placement}. */
async function recommend(placement, { item, category, limit = 10, fill = false } = {}) {
  const request = { item, category, fill };
  return withEngine(async (call) => holdout(placement) ||
    remember(await call('recommend', { placement, ...request, k: limit, now: Date.now() }), placement, request));
}

// fn(engine) once the engine is up; again, on the page's own engine, when the page left the
// shared one meanwhile (leaveShared).
async function withEngine(fn) {
  if (!(await start())) throw new AisleError('unavailable', `recommendations unavailable: ${stats.error}`);
  if (!engine) return withEngine(fn);
  try {
    return await fn(engine);
  } catch (e) {
    if (e?.code === LEFT) return withEngine(fn);
    throw e;
  }
}

/** Why an item is shown (or not) for the placement that last showed it, or `opts`. */
async function explain(id, opts) {
  return withEngine((call) => call('explain', { id: String(id), options: { placement: 'product', now: Date.now(), ...(shown.get(String(id)) ?? {}), ...opts } }));
}

/** The store's fallback list (data-fallback JSON, as `aisle recommend --json` writes it). */
async function fallback() {
  fallbackList ??= config.fallback
    ? fetch(config.fallback).then((r) => (r.ok ? r.json() : null)).then((j) => (Array.isArray(j?.items) ? j.items : null)).catch(() => null)
    : Promise.resolve(null);
  return fallbackList;
}

/** Ends the visit now (e.g. on logout): it becomes part of the visitor profile. */
function endVisit() {
  saved ??= readStore();
  closeVisit();
  save(true);
}

/** Counters for debugging and tests. */
function getStats() {
  return { ...stats, storeKey, consent: consented, visitEvents: saved?.visit.events.length ?? 0,
           experiments: saved?.experiments ?? [],
           storedBytes: (() => { try { return localStorage.getItem(storeKey)?.length ?? 0; } catch { return 0; } })() };
}

/** Settings: {manifest, snapshot, engine, worker, fallback (URLs, relative to the page), visitMinutes, shareContext}. Call before start(). */
const URLS = ['manifest', 'snapshot', 'engine', 'worker', 'fallback']; // relative to the page, as in data- attributes

function configure(options) {
  for (const k of Object.keys(config)) {
    if (options[k] !== undefined) config[k] = URLS.includes(k) && options[k] !== null ? new URL(options[k], location.href).href : options[k];
  }
  const store = config.manifest ?? config.snapshot;
  const key = store ? storeKeyFor(new URL(store, location.href).pathname) : 'aisle:v1:';
  if (key !== storeKey) {
    storeKey = key;
    if (saved) saved = readStore(); // another store: its own visitor
  }
}

// ---- one loader per page: a second copy of this file (an app's beside the theme's, another
// ?v= query) finds the first on window and hands out its API, so one engine drives every widget ----
const LOADER = Symbol.for('aisle.loader');
const first = (() => {
  try { return window.aisle?.[LOADER] === true ? window.aisle : null; } catch { return null; }
})();

const loader = { VERSION, track, recommend, recommendNow, prepare: guard(prepare), explain, start, ready, fallback, endVisit, configure,
  stats: getStats, pushAnalytics, experimentParams, consent, forget };
export const aisle = first ?? loader;
const { track: track1, recommend: recommend1, recommendNow: recommendNow1, prepare: prepare1, explain: explain1, start: start1, ready: ready1,
  fallback: fallback1, endVisit: endVisit1, configure: configure1, stats: getStats1, pushAnalytics: pushAnalytics1,
  experimentParams: experimentParams1, consent: consent1, forget: forget1 } = aisle;
const prepare2 = prepare1 ?? (() => {}); // a first loader from before prepare existed has none
export { track1 as track, recommend1 as recommend, recommendNow1 as recommendNow, prepare2 as prepare, explain1 as explain, start1 as start,
  ready1 as ready, fallback1 as fallback, endVisit1 as endVisit, configure1 as configure, getStats1 as getStats,
  pushAnalytics1 as pushAnalytics, experimentParams1 as experimentParams, consent1 as consent, forget1 as forget };

if (!first) {
  Object.defineProperty(loader, LOADER, { value: true });
  // ---- automatic setup from the script tag ----
  const tag = [...document.querySelectorAll('script[type=module][src]')].find((s) => s.src === import.meta.url);
  if (tag) {
    const d = tag.dataset;
    const url = (v) => v && new URL(v, location.href).href;
    configure({ manifest: url(d.manifest), snapshot: url(d.snapshot), engine: url(d.engine), worker: url(d.worker),
                fallback: url(d.fallback),
                visitMinutes: d.visitMinutes ? Number(d.visitMinutes) : undefined,
                shareContext: 'shareContext' in d || undefined });
  }
  saved = readStore();
  guard(listen)();
  addEventListener('pagehide', guard((e) => {
    save(true);
    if (e.persisted) rest(true); // into the back/forward cache
  }));
  addEventListener('pageshow', guard((e) => { // back from the back/forward cache
    if (!e.persisted) return;
    rest(false);
    if (merge()) save();
  }));
  addEventListener('storage', guard((e) => { if ((e.key === storeKey || e.key === FORGOT) && merge()) save(); })); // another tab wrote
  // The engine starts when the page is idle, if it shows a list; a page without one starts
  // nothing (its events are kept for the next page that shows a list, or the API starts it).
  // On a later page of a visit whose widget is in the document, it starts now: the engine's
  // list is the one that page shows (start()), and it need not wait for the widget to come
  // into view. An `async` loader tag may run before the page is parsed: then at
  // DOMContentLoaded, once the page's widgets are in the document.
  const begin = guard(() => {
    if (saved.visit.events.length > 1 && document.querySelector('aisle-recs')) start();
    else {
      (window.requestIdleCallback ?? ((f) => setTimeout(f, 200)))(guard(() => {
        if (document.querySelector('aisle-recs')) start();
      }), { timeout: 4000 });
    }
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', begin, { once: true });
  else begin();
  window.aisle = loader;
  defineAisleRecs(loader, guard);
}

// The engine's own thread: the wasm engine, the snapshot download, its verification and its
// cache all run here, in a module Web Worker the loader (aisle.js) starts, so none of it
// costs the store's main thread. Where the browser has SharedWorker, one worker serves every
// tab of a store that runs the same build (the loader names it so): the second tab finds the
// engine up, its snapshot loaded, and the visit in it. Else a dedicated worker per tab; where
// a page's policy forbids workers, the loader imports this module and calls handle() on the
// page instead: same messages, same answers.
// Messages: {id, op, arg} in order; replies {id, ok: true, result, memoryBytes, changed} or
// {id, ok: false, code, message}. A shared worker also tells every other tab `{changed: true}`
// when a tab's message changed the engine's state (their lists are stale). docs/storefront.md, "Threads".
import { createEngine, AisleError } from './engine.js';
import { fnv1a } from './record.js';

let engine = null;
let creating = null; // the engine being created: prepare() starts it before open() has the snapshot
let opened = null; // {key, result} of the snapshot loaded: a later tab's open joins it
let visitor = null; // the visitor last assigned: a tab of the same visitor need not import the profile again
// Every tab replays its stored visit into the engine, so in a shared worker the same event
// arrives once from each tab: the ids taken (of this visit and of visits folded here) make
// a replay a no-op, and endVisit folds only the visit its caller means.
const SEEN_MAX = 5000;
const seen = new Set(); // ids of every event taken, the oldest dropped past SEEN_MAX
let visit = new Set(); // ids of the events in the engine's current visit
let changed = false; // whether the current message changed what the engine answers
// A snapshot in shards (docs/snapshot-format.md, "Shards"): the head merged with the shards of
// the items the visit, the profile and the pages need, fetched as they come; the engine
// reloaded with each new merge and given back its profile, visitor and visit.
let sharded = null; // {base, files, merged, loaded: shard numbers asked for, events: the visit's, live: loaded}

async function openCache() {
  try { return await caches.open('aisle-snapshots'); } catch { return null; }
}

// The snapshot from the network (verified by the engine before use, and against the
// manifest's `checksum` when there is one), else the last copy that verified here (kept
// under `cacheKey`): an unreachable or corrupt new snapshot never replaces a working one.
// `known` is the checksum the page last stored. download() starts the request, loadSnapshot() waits
// for the engine and verifies: the two overlap (a repeat view's snapshot comes from the
// browser's cache while the wasm compiles).
function download({ url, revalidate }) {
  const bytes = fetch(url, revalidate ? { cache: 'no-cache' } : {}).then(async (r) => {
    if (!r.ok) throw new AisleError('download_failed', `${url}: HTTP ${r.status}`);
    return new Uint8Array(await r.arrayBuffer());
  });
  bytes.catch(() => {}); // handled in loadSnapshot (an engine that failed first never reads it)
  return bytes;
}

async function loadSnapshot({ url, cacheKey, known, checksum: expected }, downloaded) {
  const cache = await openCache();
  let failure;
  try {
    const bytes = await downloaded;
    const { checksum, items } = engine.load(bytes);
    if (expected !== undefined && checksum !== expected) {
      throw new AisleError('corrupt', `${url}: checksum ${checksum}, the manifest says ${expected}`);
    }
    if (cache && checksum !== known) await cache.put(cacheKey, new Response(bytes)).catch(() => {});
    return { source: 'network', checksum, items };
  } catch (e) {
    failure = e;
  }
  const hit = cache && (await cache.match(cacheKey));
  if (!hit) throw failure;
  const { checksum, items } = engine.load(new Uint8Array(await hit.arrayBuffer()));
  return { source: 'cache', checksum, items, warning: `using the cached snapshot (${failure.message})` };
}

// The shards holding `ids` that are not merged yet, fetched, verified and merged in; the
// engine is reloaded with the visit as it was. A shard that cannot be had, fails its
// checks or belongs to another build is left out, with one warning: its items' lists are
// what the head can give (as for an item the snapshot does not know).
async function extend(ids) {
  if (!sharded) return;
  const wanted = new Set();
  for (const id of ids) if (typeof id === 'string' && id) wanted.add(fnv1a(`product:${id}`) % sharded.files);
  const files = [...wanted].filter((n) => !sharded.loaded.has(n));
  if (!files.length) return;
  for (const n of files) sharded.loaded.add(n);
  const failures = [];
  const got = await Promise.all(files.map(async (n) => {
    const url = new URL(`${n}.snap`, sharded.base).href;
    try {
      const r = await fetch(url);
      if (!r.ok) throw new AisleError('download_failed', `HTTP ${r.status}`);
      const bytes = new Uint8Array(await r.arrayBuffer());
      if (!engine.verify(bytes).shard) throw new AisleError('corrupt', 'not a shard');
      return bytes;
    } catch (e) {
      failures.push(`${url}: ${e.message}`);
      return null;
    }
  }));
  const parts = [sharded.merged, ...got.filter(Boolean)];
  for (;;) { // a part of another build: left out, the rest merged
    try {
      sharded.merged = parts.length > 1 ? engine.merge(parts) : sharded.merged;
      break;
    } catch (e) {
      const at = /part (\d+)/.exec(e.message);
      if (!at || +at[1] < 1 || +at[1] >= parts.length) throw e;
      failures.push(e.message);
      parts.splice(+at[1], 1);
    }
  }
  if (failures.length) console.warn(`aisle: ${failures.length} shard(s) left out, their items' lists from the head alone (${failures[0]})`);
  if (parts.length === 1 || !sharded.live) return; // (before the first load: nothing to carry)
  const profile = engine.exportProfile();
  engine.load(sharded.merged);
  engine.importProfile(profile);
  if (visitor) engine.assign(visitor);
  for (const e of sharded.events) engine.track(e);
}

// The ids of the items in a stored profile (JSON text: {views: [[id, ts]], purchases: ...}).
function profileIds(json) {
  try {
    const p = JSON.parse(json);
    return [...(p?.views ?? []), ...(p?.purchases ?? [])].map((e) => (Array.isArray(e) ? e[0] : null));
  } catch {
    return [];
  }
}

// An event's item ids, as many as the engine reads (engine.js MAX_EVENT_ITEMS).
const eventIds = (event) => (Array.isArray(event?.items) ? event.items.slice(0, 64).map((i) => i?.item_id) : []);

// The head merged with the shards of `need`; {checksum, items}.
async function openShards(head, headChecksum, shards, need, checksum) {
  const { checksum: got } = engine.verify(head);
  if (got !== headChecksum) throw new AisleError('corrupt', `the head's checksum is ${got}, the manifest says ${headChecksum}`);
  sharded = { base: shards.base, files: shards.files, merged: engine.merge([head]), loaded: new Set(), events: [] };
  await extend(Array.isArray(need) ? need : []);
  const { items } = engine.load(sharded.merged);
  sharded.live = true;
  return { checksum, items };
}

// The head from the network, checked against the manifest's head checksum, else the last
// one that verified here with the shards of its build (a failed or corrupt download never
// replaces a working build, as for a whole snapshot: loadSnapshot).
async function loadShards({ url, cacheKey, known, headChecksum, checksum, shards, need }, downloaded) {
  const cache = await openCache();
  const buildKey = `${cacheKey}-build`; // (a cache key ignores a #fragment)
  let failure;
  try {
    const head = await downloaded;
    const result = await openShards(head, headChecksum, shards, need, checksum);
    if (cache && checksum !== known) {
      await cache.put(cacheKey, new Response(head)).catch(() => {});
      await cache.put(buildKey, new Response(JSON.stringify({ headChecksum, checksum, shards }))).catch(() => {});
    }
    return { source: 'network', ...result };
  } catch (e) {
    failure = e;
    sharded = null;
  }
  const hit = cache && (await cache.match(cacheKey));
  const build = hit && (await cache.match(buildKey).then((r) => r?.json()).catch(() => null));
  if (!build) throw failure;
  const result = await openShards(new Uint8Array(await hit.arrayBuffer()), build.headChecksum, build.shards, need, build.checksum);
  return { source: 'cache', ...result, warning: `using the cached snapshot (${url}: ${failure.message})` };
}

// The engine, created once (a failed creation is tried again by the next call).
function createOnce(moduleUrl) {
  creating ??= createEngine({ moduleUrl }).catch((e) => {
    creating = null;
    throw e;
  });
  return creating;
}

const ops = {
  // The first number format of a renderer process loads the browser's ICU data: 50-100 ms
  // on a phone. Done here, before the first list, it spares the page's main thread that
  // long task when the element formats its prices.
  warm(lang) {
    try { new Intl.NumberFormat(lang || undefined, { style: 'currency', currency: 'USD' }).format(1); } catch { /* any locale */ }
  },
  // Starts creating the engine (its module and wasm) while the page still reads the
  // manifest; open() takes it over. Not awaited: the messages after it are not held.
  prepare(moduleUrl) {
    if (!engine && typeof moduleUrl === 'string') createOnce(moduleUrl).catch(() => {}); // open() reports a failure
  },
  // Loads the snapshot, unless a tab already did in this (shared) worker: then the engine,
  // its snapshot and its visit are joined as they are (`joined`, and the visitor they hold).
  async open({ moduleUrl, snapshot }) {
    const key = `${moduleUrl} ${snapshot.url}`;
    if (engine && opened?.key === key) {
      await extend(Array.isArray(snapshot.need) ? snapshot.need : []);
      return { ...opened.result, joined: true, visitor };
    }
    const downloaded = download(snapshot); // meanwhile the engine starts
    engine ??= await createOnce(moduleUrl);
    sharded = null;
    const result = snapshot.shards ? await loadShards(snapshot, downloaded) : await loadSnapshot(snapshot, downloaded);
    opened = { key, result };
    changed = true;
    return { ...result, joined: false, visitor: null };
  },
  async track(event) {
    const id = typeof event?.id === 'string' ? event.id : null;
    if (id && seen.has(id)) return { ok: true, unknown_items: 0, duplicate: true };
    await extend(eventIds(event));
    const result = engine.track(event);
    if (sharded && !result.ignored) { // replayed after a reload: the last SEEN_MAX
      sharded.events.push(event);
      if (sharded.events.length > SEEN_MAX) sharded.events.shift();
    }
    changed = true;
    if (id) {
      seen.add(id);
      visit.add(id);
      if (seen.size > SEEN_MAX) seen.delete(seen.values().next().value);
    }
    return result;
  },
  async recommend(options) {
    await extend([options?.item]);
    return engine.recommend(options);
  },
  // The product page list of this item, as if the shopper viewed it next (the loader keeps
  // it for the tab's next page); the visit is left as it is.
  async ahead({ id, k, now }) {
    await extend([id]);
    return engine.recommendAfterView({ placement: 'product', item: id, k, now });
  },
  async explain({ id, options }) {
    await extend([id, options?.item]);
    return engine.explain(id, options);
  },
  // Folds the visit into the profile: the one whose events have these ids (another tab may
  // have folded it already and begun the next), or whatever the engine holds without ids.
  endVisit(ids) {
    if (Array.isArray(ids) && ids.length && !ids.some((id) => visit.has(id))) return false;
    engine.endVisit();
    visit = new Set();
    if (sharded) sharded.events = [];
    changed = true;
    return true;
  },
  exportProfile: () => engine.exportProfile(),
  async importProfile(json) {
    changed = true;
    await extend(profileIds(json));
    return engine.importProfile(json);
  },
  assign(id) {
    const arms = engine.assign(id);
    changed ||= id !== visitor;
    visitor = id;
    return arms;
  },
};

/** Runs one message's operation; the reply as the worker posts it. */
export async function handle({ id, op, arg }) {
  try {
    if (!Object.hasOwn(ops, op)) throw new AisleError('invalid_argument', `unknown operation ${op}`);
    if (op !== 'open' && op !== 'warm' && op !== 'prepare' && !engine) throw new AisleError('not_ready', 'the engine is not open');
    changed = false;
    const result = await ops[op](arg);
    return { id, ok: true, result, memoryBytes: engine?.memoryBytes ?? 0, changed };
  } catch (e) {
    return { id, ok: false, code: e?.code ?? 'internal', message: String(e?.message ?? e) };
  }
}

// In a worker: one message at a time, in the order they came (a track after an open waits
// for the snapshot), whichever tab sent it.
let queue = Promise.resolve();
const serve = (data, reply) => {
  queue = queue.then(() => handle(data)).then(reply).catch(() => {}); // a tab gone meanwhile stops nothing
};
if (globalThis.SharedWorkerGlobalScope && self instanceof globalThis.SharedWorkerGlobalScope) {
  // One per tab (a closed tab's stays until the browser says it closed). A page in the
  // back/forward cache must get no message: Chromium evicts it for one ("SharedWorkerMessage"),
  // and Back then reloads it. So a tab says when it goes there (`asleep`) and when it comes
  // back (`awake`), and what it would have been sent meanwhile waits.
  const tabs = new Set();
  self.onconnect = ({ ports: [port] }) => {
    const tab = { asleep: false, held: [], post: (m) => (tab.asleep ? tab.held.push(m) : port.postMessage(m)) };
    tab.notify = () => { if (!tab.held.some((m) => m.changed && m.id === undefined)) tab.post({ changed: true }); };
    tabs.add(tab);
    port.postMessage({ hello: true }); // the tab knows the worker runs, whatever its queue holds
    port.addEventListener('close', () => tabs.delete(tab)); // where MessagePort has the event
    port.onmessage = ({ data }) => {
      if (data?.tab === 'asleep' || data?.tab === 'awake') {
        tab.asleep = data.tab === 'asleep';
        if (!tab.asleep) for (const m of tab.held.splice(0)) port.postMessage(m);
        return;
      }
      serve(data, (reply) => {
        tab.post(reply);
        if (reply.changed) for (const other of tabs) if (other !== tab) other.notify();
      });
    };
  };
} else if (globalThis.WorkerGlobalScope && self instanceof globalThis.WorkerGlobalScope) {
  self.onmessage = ({ data }) => serve(data, (reply) => self.postMessage(reply));
}

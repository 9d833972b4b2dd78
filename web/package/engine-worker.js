// The engine's own thread: the wasm engine, the snapshot download, its verification and its
// cache all run here, in a module Web Worker the loader (aisle.js) starts, so none of it
// costs the store's main thread. Where a page's policy forbids the worker, the loader
// imports this module and calls handle() on the page instead: same messages, same answers.
// Messages: {id, op, arg} in order; replies {id, ok: true, result, memoryBytes} or
// {id, ok: false, code, message}. docs/storefront.md, "Threads".
import { createEngine, AisleError } from './engine.js';

let engine = null;

async function openCache() {
  try { return await caches.open('aisle-snapshots'); } catch { return null; }
}

// The snapshot from the network (verified by the engine before use, and against the
// manifest's `checksum` when there is one), else the last copy that verified here (kept
// under `cacheKey`): an unreachable or corrupt new snapshot never replaces a working one.
// `known` is the checksum the page last stored.
async function loadSnapshot({ url, cacheKey, revalidate, known, checksum: expected }) {
  const cache = await openCache();
  let failure;
  try {
    const r = await fetch(url, revalidate ? { cache: 'no-cache' } : {});
    if (!r.ok) throw new AisleError('download_failed', `${url}: HTTP ${r.status}`);
    const bytes = new Uint8Array(await r.arrayBuffer());
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

const ops = {
  // The first number format of a renderer process loads the browser's ICU data: 50-100 ms
  // on a phone. Done here, before the first list, it spares the page's main thread that
  // long task when the element formats its prices.
  warm(lang) {
    try { new Intl.NumberFormat(lang || undefined, { style: 'currency', currency: 'USD' }).format(1); } catch { /* any locale */ }
  },
  async open({ moduleUrl, snapshot }) {
    engine ??= await createEngine({ moduleUrl });
    return loadSnapshot(snapshot);
  },
  track: (event) => engine.track(event),
  recommend: (options) => engine.recommend(options),
  explain: ({ id, options }) => engine.explain(id, options),
  endVisit: () => engine.endVisit(),
  exportProfile: () => engine.exportProfile(),
  importProfile: (json) => engine.importProfile(json),
  assign: (visitor) => engine.assign(visitor),
};

/** Runs one message's operation; the reply as the worker posts it. */
export async function handle({ id, op, arg }) {
  try {
    if (!Object.hasOwn(ops, op)) throw new AisleError('invalid_argument', `unknown operation ${op}`);
    if (op !== 'open' && op !== 'warm' && !engine) throw new AisleError('not_ready', 'the engine is not open');
    const result = await ops[op](arg);
    return { id, ok: true, result, memoryBytes: engine?.memoryBytes ?? 0 };
  } catch (e) {
    return { id, ok: false, code: e?.code ?? 'internal', message: String(e?.message ?? e) };
  }
}

// In a worker: one message at a time, in the order they came (a track after an open waits
// for the snapshot).
if (globalThis.WorkerGlobalScope && self instanceof globalThis.WorkerGlobalScope) {
  let queue = Promise.resolve();
  self.onmessage = ({ data }) => {
    queue = queue.then(() => handle(data)).then((reply) => self.postMessage(reply));
  };
}

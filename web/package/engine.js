// The aisle engine in JavaScript: checks arguments before they cross into wasm, throws
// AisleError with a `code`, owns the wasm object (dispose()). docs/storefront.md.

export class AisleError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'AisleError';
    this.code = code;
  }
}

const PLACEMENTS = ['product', 'cart', 'home', 'post_purchase', 'category', 'search_empty', 'next_item'];

// A request's arguments as the module takes them, checked: placement, item, category, k,
// fill, now (NaN: the page's clock). Primitives, so that a call crosses into wasm once.
function requestArgs({ placement, item, category, k = 10, fill = false, now } = {}) {
  if (!PLACEMENTS.includes(placement)) {
    throw new AisleError('invalid_argument', `placement must be one of ${PLACEMENTS.join(', ')}`);
  }
  if (!Number.isInteger(k) || k < 1 || k > 100) throw new AisleError('invalid_argument', 'k must be 1 to 100');
  if (typeof fill !== 'boolean') throw new AisleError('invalid_argument', 'fill must be true or false');
  return [placement, typeof item === 'string' ? item : '', typeof category === 'string' ? category : '', k, fill,
          Number.isFinite(now) ? now : NaN];
}

// The fields of a GA4 event the engine reads, packed into one string (wasm/bindings.cpp's
// track): name, timestamp text, these, then the item ids; '\0' between them. A value that is
// not a string, or holds a '\0', is left empty (an empty id is counted as unknown).
const EVENT_TEXTS = ['source', 'medium', 'referrer', 'sort', 'filter', 'coupon', 'search_term', 'page_type'];
const MAX_EVENT_ITEMS = 64; // Storefront::kMaxEventItems
const text = (v) => (typeof v === 'string' && !v.includes('\0') ? v : '');
function packEvent(event) {
  const ts = event.timestamp;
  const parts = [text(event.event) || text(event.name), text(ts)];
  for (const key of EVENT_TEXTS) parts.push(text(event[key]));
  const items = event.items;
  if (Array.isArray(items)) {
    for (let i = 0; i < items.length && i < MAX_EVENT_ITEMS; i++) {
      const it = items[i];
      parts.push(it !== null && typeof it === 'object' ? text(it.item_id) : '');
    }
  }
  return [typeof ts === 'number' ? ts : NaN, parts.join('\0')];
}

const utf8 = new TextDecoder();

function check(result) {
  if (result && result.ok === false) throw new AisleError(result.code, result.message);
  if (typeof result === 'string') return JSON.parse(result); // JSON text
  // Lists cross as UTF-8 bytes viewing the engine's memory: read before the next call.
  return result instanceof Uint8Array ? JSON.parse(utf8.decode(result)) : result;
}

export async function createEngine({ moduleUrl, wasmBinary } = {}) {
  if (typeof moduleUrl !== 'string') throw new AisleError('invalid_argument', 'moduleUrl must be a string');
  const { default: factory } = await import(moduleUrl);
  const mod = await factory(wasmBinary ? { wasmBinary } : {});
  let native = new mod.Engine();
  const alive = () => {
    if (!native) throw new AisleError('disposed', 'the engine was disposed');
    return native;
  };
  return {
    load(bytes) {
      if (!(bytes instanceof Uint8Array)) throw new AisleError('invalid_argument', 'load() expects a Uint8Array');
      return check(alive().load(bytes)); // {items, checksum}
    },
    // Checks a snapshot or a shard without loading it: {items, checksum, shard}.
    verify(bytes) {
      if (!(bytes instanceof Uint8Array)) throw new AisleError('invalid_argument', 'verify() expects a Uint8Array');
      return check(alive().verify(bytes));
    },
    // Shards of one snapshot (Uint8Arrays: a head and item shards, or an earlier merge)
    // merged into one, to load() (docs/snapshot-format.md, "Shards").
    merge(parts) {
      if (!Array.isArray(parts) || !parts.every((p) => p instanceof Uint8Array)) {
        throw new AisleError('invalid_argument', 'merge() expects an array of Uint8Array');
      }
      const merged = alive().merge(parts);
      return merged instanceof Uint8Array ? merged : check(merged);
    },
    get itemCount() {
      return alive().itemCount();
    },
    item(id, now = Date.now()) {
      if (typeof id !== 'string') throw new AisleError('invalid_argument', 'item() expects an id string');
      const i = alive().findItem(id);
      return i < 0 ? undefined : JSON.parse(alive().item(i, now));
    },
    // The item at a 0-based index (itemCount of them), e.g. to list the catalog.
    itemAt(index, now = Date.now()) {
      if (!Number.isInteger(index) || index < 0) throw new AisleError('invalid_argument', 'itemAt() expects an index');
      const json = alive().item(index, now);
      return json ? JSON.parse(json) : undefined;
    },
    // The rules compiled into the snapshot, as JSON text ('' if none).
    get snapshotRules() {
      return alive().snapshotRules();
    },
    track(event) {
      if (event === null || typeof event !== 'object') throw new AisleError('invalid_argument', 'track() expects an event object');
      const unknown = check(alive().track(...packEvent(event)));
      return unknown < 0 ? { ok: true, ignored: true, unknown_items: 0 } : { ok: true, unknown_items: unknown };
    },
    recommend(options = {}) {
      return check(alive().recommend(...requestArgs(options)));
    },
    // The list for `options` as if the shopper had just viewed options.item (at options.now),
    // the visit left as it is: that item's product page's list, ahead of the page.
    recommendAfterView(options = {}) {
      return check(alive().recommendAfterView(...requestArgs(options)));
    },
    // Why `id` is (or is not) recommended for a placement: {available, rank, score, reasons, ...}.
    explain(id, options = {}) {
      if (typeof id !== 'string') throw new AisleError('invalid_argument', 'explain() expects an id string');
      return check(alive().explain(...requestArgs(options), id));
    },
    get memoryBytes() {
      return alive().memoryBytes();
    },
    endVisit() {
      alive().endVisit();
    },
    exportProfile() {
      return alive().exportProfile();
    },
    importProfile(json) {
      if (typeof json !== 'string') throw new AisleError('invalid_argument', 'importProfile() expects a string');
      check(alive().importProfile(json));
    },
    setRules(rules) {
      const json = typeof rules === 'string' ? rules : JSON.stringify(rules);
      check(alive().setRules(json));
    },
    // Puts the visitor in their arm of each experiment in the rules and applies its rules.
    assign(visitorId) {
      if (typeof visitorId !== 'string') throw new AisleError('invalid_argument', 'assign() expects a visitor id string');
      return check(alive().assign(visitorId)).assignments;
    },
    dispose() {
      if (native) native.delete();
      native = null;
    },
  };
}

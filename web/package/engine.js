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

function requestOptions({ placement, item, category, k = 10, fill = false, now } = {}) {
  if (!PLACEMENTS.includes(placement)) {
    throw new AisleError('invalid_argument', `placement must be one of ${PLACEMENTS.join(', ')}`);
  }
  if (!Number.isInteger(k) || k < 1 || k > 100) throw new AisleError('invalid_argument', 'k must be 1 to 100');
  if (typeof fill !== 'boolean') throw new AisleError('invalid_argument', 'fill must be true or false');
  const options = { placement, k, fill };
  if (typeof item === 'string') options.item = item;
  if (typeof category === 'string') options.category = category;
  if (Number.isFinite(now)) options.now = now;
  return options;
}

function check(result) {
  if (result && result.ok === false) throw new AisleError(result.code, result.message);
  return typeof result === 'string' ? JSON.parse(result) : result; // lists cross as JSON text
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
      return check(alive().track(event));
    },
    recommend(options = {}) {
      return check(alive().recommend(requestOptions(options)));
    },
    // The list for `options` as if the shopper had just viewed options.item (at options.now),
    // the visit left as it is: that item's product page's list, ahead of the page.
    recommendAfterView(options = {}) {
      return check(alive().recommendAfterView(requestOptions(options)));
    },
    // Why `id` is (or is not) recommended for a placement: {available, rank, score, reasons, ...}.
    explain(id, options = {}) {
      if (typeof id !== 'string') throw new AisleError('invalid_argument', 'explain() expects an id string');
      return check(alive().explain(requestOptions(options), id));
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

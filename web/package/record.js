// The visitor record aisle keeps in localStorage, one key per store: its key, its schema and
// the one write made outside the loader (a purchase seen where no storefront script runs,
// such as Shopify's checkout, whose web pixel adds it here). Shared by the loader (aisle.js)
// and web/shopify's web pixel, so both read and write exactly one format. No DOM, no
// `window`: it also runs in the pixel's sandboxed worker. Format: docs/storefront.md (Storage).
//
//   import { storeKeyFor, recordPurchase } from './record.js';
//   const key = storeKeyFor('/aisle/store/manifest.json');           // 'aisle:v1:…'
//   localStorage.setItem(key, recordPurchase(localStorage.getItem(key), ['SKU-1'], Date.now()));

export const MAX_VISIT_EVENTS = 100; // the engine's session keeps 64 interactions; replay a few more
export const MAX_EVENT_ITEMS = 64;   // items per event the engine reads
export const MAX_TEXT = 200;         // characters kept of an item id or a text parameter
export const NAME = /^(view_item|view_item_list|select_item|add_to_cart|remove_from_cart|begin_checkout|purchase|search|view_promotion|select_promotion)$/;
export const TEXT_FIELDS = ['sort', 'filter', 'coupon', 'search_term', 'page_type', 'source', 'medium', 'referrer'];

// ---- the stored record's schema: every field's type, range, length and array size ----
export const str = (max = MAX_TEXT, match = null) => ({ type: 'string', max, match });
export const num = (min, max) => ({ type: 'number', min, max });
const BOOL = { type: 'boolean' };
export const list = (max, of) => ({ type: 'array', max, of });
export const obj = (fields, open = false) => ({ type: 'object', fields, open }); // open: other fields allowed
export const opt = (schema) => ({ ...schema, optional: true });
export const TIME = num(0, 8.64e15); // ms since 1970, within JavaScript's Date range
const EVENTS = list(MAX_VISIT_EVENTS, obj({
  event: str(32, NAME), timestamp: TIME, items: opt(list(MAX_EVENT_ITEMS, obj({ item_id: str() }))),
  id: opt(str(12, /^[0-9a-f]{12}$/)), // which tab's copy of the visit has it (merge, in aisle.js)
  ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, opt(str())])),
}));
export const RECORD = obj({
  v: num(1, 1), visitor: str(32, /^[0-9a-f]{32}$/), born: opt(TIME), profile: str(1 << 20), snap: num(0, 2 ** 32),
  experiments: opt(list(100, obj({ experiment: str(1000), variant: str(1000), holdout: BOOL, show: str(16, /^(nothing|best_sellers)$/) }))),
  visit: obj({ last: TIME, src: obj({ source: str(), medium: str(), referrer: str() }), events: EVENTS, exposed: opt(BOOL) }),
  ended: opt(EVENTS), // a closed visit not yet folded into the profile
});

// Whether `value` has exactly the shape of `schema`: no missing, extra or inherited field.
export function conforms(value, schema) {
  switch (schema.type) {
    case 'string':
      return typeof value === 'string' && value.length <= schema.max && (!schema.match || schema.match.test(value));
    case 'number':
      return Number.isFinite(value) && value >= schema.min && value <= schema.max;
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value) && value.length <= schema.max && value.every((v) => conforms(v, schema.of));
    case 'object':
      return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype &&
        (schema.open || Object.keys(value).every((k) => Object.hasOwn(schema.fields, k))) &&
        Object.entries(schema.fields).every(([k, f]) => (Object.hasOwn(value, k) ? conforms(value[k], f) : f.optional));
  }
  return false;
}

// FNV-1a (32-bit) of the text's UTF-8 bytes: the store's key, and which list file holds a page's list.
export function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(text)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/** The localStorage key of the store whose manifest (or snapshot) has this URL path. */
export const storeKeyFor = (path) => `aisle:v1:${fnv1a(path).toString(16)}`;

export function randomHex(bytes) {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// A new visitor's record: a random id (for experiment arms; it never leaves the device either).
export const newRecord = (visit) => ({ v: 1, visitor: randomHex(16), born: Date.now(), profile: '', snap: 0, experiments: [], visit });

/**
 * The stored record (its JSON text, or null) with a purchase of `itemIds` at `timestamp`
 * (ms) added to its visit, as JSON text. A missing or invalid record (which the loader would
 * reset anyway) becomes a new visitor's holding only the purchase. The event carries a new
 * id, so a storefront tab open meanwhile merges it (its `storage` event) instead of losing it.
 */
export function recordPurchase(stored, itemIds, timestamp) {
  let record = null;
  try { record = JSON.parse(stored ?? 'null'); } catch { /* replaced below */ }
  if (!conforms(record, RECORD)) record = newRecord({ last: 0, src: { source: '', medium: '', referrer: '' }, events: [] });
  const items = itemIds.filter((id) => typeof id === 'string' && id && id.length <= MAX_TEXT).slice(0, MAX_EVENT_ITEMS);
  const time = conforms(timestamp, TIME) ? timestamp : Date.now();
  const { visit } = record;
  visit.events.push({ event: 'purchase', timestamp: time, items: items.map((id) => ({ item_id: id })), id: randomHex(6) });
  visit.events.splice(0, Math.max(0, visit.events.length - MAX_VISIT_EVENTS));
  visit.last = Math.max(visit.last, time);
  return JSON.stringify(record);
}

/**
 * The event that tells the engine where a visit came from before the shopper does anything:
 * a list view without items (the landing page's), carrying the visit's `source`, `medium`
 * and `referrer`. Null for a direct visit, which needs none. The engine keeps the first
 * traffic source a visit's events name, so the home page's first list already knows it.
 */
export function landingEvent(src, timestamp) {
  const named = Object.fromEntries(['source', 'medium', 'referrer'].filter((f) => src?.[f]).map((f) => [f, src[f]]));
  return Object.keys(named).length ? { event: 'view_item_list', items: [], timestamp, ...named } : null;
}

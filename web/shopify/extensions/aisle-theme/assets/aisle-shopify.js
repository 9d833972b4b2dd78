// aisle on a Shopify theme: the app embed's script. blocks/aisle-embed.liquid renders the
// page's context into #aisle-shopify (the aisle folder, page type, the product and its
// variants by the ids the snapshot knows, the collection, the cart's lines). This gives the
// <aisle-recs> app blocks the page's product or collection, then loads and configures the
// loader, tells it what the page shows with aisle.track() -- no dataLayer -- and follows the
// cart (the theme's cart events, and its requests to the Cart AJAX API, after which /cart.js
// is read), the selected variant, and Shopify's Customer Privacy API (aisle.consent()).
// Values from the page are validated; nothing here throws into the theme's code. docs/shopify.md.
import { ID_MODES, itemId, validId } from './aisle-ids.js';

const PAGE_TYPES = { index: 'home', product: 'product', collection: 'category', cart: 'cart', search: 'search' };
const MAX_IDS = 64; // items per event the loader keeps
// Cart changes: standard storefront events and common theme events are only a cue to read
// /cart.js, the one source of truth (their payloads differ from theme to theme).
const CART_EVENTS = ['shopify:cart:lines-add', 'shopify:cart:lines-update', 'shopify:cart:lines-remove', 'cart:updated', 'cart:change', 'cart:refresh'];
const CART_REQUEST = /\/cart\/(add|change|update|clear)(\.js|\.json)?$/; // the Cart AJAX API's writes
const CART_READ_DELAY_MS = 50; // several cues of one change make one read

let warned = false;
function failed(e) {
  if (warned) return;
  warned = true;
  try { console.warn(`aisle: ${e?.message ?? e}`); } catch { /* a hostile console */ }
}
// `fn` made exception-proof, its promise's rejection included.
const guard = (fn) => (...args) => {
  try {
    const r = fn(...args);
    if (r && typeof r.then === 'function') r.then(null, failed);
  } catch (e) {
    failed(e);
  }
};

// A URL of this page's origin, or an https one (the merchant's CDN); anything else is refused.
function safeUrl(value) {
  try {
    const u = new URL(value, location.href);
    return u.origin === location.origin || u.protocol === 'https:' ? u : null;
  } catch {
    return null;
  }
}

// The context the embed rendered, validated.
function readContext(el) {
  const d = el.dataset;
  const ids = (selector) => [...el.querySelectorAll(selector)].map((n) => n.value).filter(validId).slice(0, MAX_IDS);
  const cart = safeUrl(`${d.cartUrl || '/cart'}.js`);
  const category = typeof d.category === 'string' ? d.category.trim() : '';
  return {
    loader: safeUrl(d.loader),
    manifest: safeUrl(d.manifest),
    fallback: d.fallback ? safeUrl(d.fallback) : null,
    category: category && validId(category) ? category : null,
    mode: ID_MODES.includes(d.idMode) ? d.idMode : 'sku',
    track: d.track !== 'off',
    page: Object.hasOwn(PAGE_TYPES, d.page) ? PAGE_TYPES[d.page] : 'other',
    item: validId(d.item) ? d.item : null,
    variants: new Map([...el.querySelectorAll('data.aisle-variant')].map((n) => [n.value, n.dataset.id])
      .filter(([variant, id]) => /^\d{1,20}$/.test(variant) && validId(id))),
    list: ids('data.aisle-list'),
    cart: ids('data.aisle-cart'),
    cartJs: cart?.origin === location.origin ? cart.href : null,
  };
}

const lines = (ids) => ids.map((id) => ({ item_id: id }));

// /cart.js (the Cart AJAX API) -> the cart's item ids in the embed's id mode.
async function readCart(url, mode) {
  const r = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  const cart = r.ok ? await r.json() : null;
  if (!Array.isArray(cart?.items)) return null;
  return cart.items.slice(0, MAX_IDS).map((l) => itemId({
    sku: l?.sku, variantId: l?.variant_id, productId: l?.product_id, handle: l?.handle,
    options: Array.isArray(l?.options_with_values) ? l.options_with_values.map((o) => o?.value) : [],
  }, mode)).filter(Boolean);
}

// Reads the cart again after any change the theme makes, and tells the loader (view_cart:
// the loader turns the difference into add_to_cart / remove_from_cart).
function followCart(aisle, ctx) {
  if (!ctx.cartJs) return;
  let timer = 0;
  const changed = guard(() => {
    clearTimeout(timer);
    timer = setTimeout(guard(async () => {
      const ids = await readCart(ctx.cartJs, ctx.mode);
      if (ids) aisle.track({ event: 'view_cart', items: lines(ids), page_type: ctx.page });
    }), CART_READ_DELAY_MS);
  });
  for (const name of CART_EVENTS) document.addEventListener(name, changed);
  if (typeof PerformanceObserver !== 'function') return;
  // The theme's own fetch/XHR to /cart/add.js etc., seen without wrapping fetch.
  new PerformanceObserver(guard((entries) => {
    if (entries.getEntries().some((e) => (e.initiatorType === 'fetch' || e.initiatorType === 'xmlhttprequest') &&
      CART_REQUEST.test(new URL(e.name).pathname))) changed();
  })).observe({ type: 'resource' });
}

// A variant picked on the product page (the product form's `id` field) is a product view.
function followVariant(aisle, ctx) {
  document.addEventListener('change', guard((e) => {
    const field = e.target;
    if (!(field instanceof Element) || field.getAttribute('name') !== 'id' || !field.closest('form[action*="/cart/add"]')) return;
    const id = ctx.variants.get(field.value);
    if (id) ctx.item = id; // for blocks the theme renders again for the variant
    if (id) aisle.track({ event: 'view_item', items: lines([id]), page_type: 'product' });
  }));
}

// Shopify's Customer Privacy API: preferences (personalization) decide, as
// personalization_storage does for Consent Mode (docs/privacy.md). Resolves once the visitor's
// current status has been applied, so that nothing is stored before it is known.
function followConsent(aisle) {
  const apply = (allowed) => { if (typeof allowed === 'boolean') aisle.consent(allowed); };
  document.addEventListener('visitorConsentCollected', guard((e) => apply(e.detail?.preferencesAllowed)));
  const read = guard(() => {
    const api = window.Shopify?.customerPrivacy;
    if (typeof api?.preferencesProcessingAllowed === 'function') apply(api.preferencesProcessingAllowed());
  });
  return new Promise((resolve) => {
    const done = () => { read(); resolve(); };
    try {
      const shopify = window.Shopify;
      if (typeof shopify?.loadFeatures !== 'function') return done();
      shopify.loadFeatures([{ name: 'consent-tracking-api', version: '0.1' }], done); // an error: the status stays unknown
    } catch (e) {
      failed(e);
      done();
    }
  });
}

// Each app block's <aisle-recs> gets the page's product or collection (a block re-rendered by
// the theme's section rendering included) before the loader defines the element.
function fillBlocks(ctx) {
  const fill = (el) => {
    const placement = el.getAttribute('placement');
    if (placement === 'product' && ctx.item && !el.hasAttribute('item')) el.setAttribute('item', ctx.item);
    if (placement === 'category' && ctx.category && !el.hasAttribute('category')) el.setAttribute('category', ctx.category);
  };
  const all = guard(() => document.querySelectorAll('aisle-recs.aisle-recs').forEach(fill));
  all();
  new MutationObserver(all).observe(document.body, { childList: true, subtree: true });
}

async function main() {
  const el = document.getElementById('aisle-shopify');
  if (!el) return;
  const ctx = readContext(el);
  if (!ctx.loader || !ctx.manifest) throw new Error('the app embed names no usable aisle folder');
  fillBlocks(ctx);
  const { aisle } = await import(ctx.loader.href);
  aisle.configure({ manifest: ctx.manifest.href, ...(ctx.fallback ? { fallback: ctx.fallback.href } : {}) });
  await followConsent(aisle);
  if (!ctx.track) return; // the theme's own GA4 events in dataLayer tell the loader
  if (ctx.page === 'product' && ctx.item) aisle.track({ event: 'view_item', items: lines([ctx.item]), page_type: 'product' });
  if (ctx.page === 'category' && ctx.list.length) aisle.track({ event: 'view_item_list', items: lines(ctx.list), page_type: 'category' });
  aisle.track({ event: 'view_cart', items: lines(ctx.cart), page_type: ctx.page });
  followCart(aisle, ctx);
  followVariant(aisle, ctx);
}

guard(main)();

// Which id aisle's snapshot knows a Shopify variant by. It depends on the catalog export the
// snapshot was built from (docs/shopify.md), set once as the app embed's "Item id" setting
// and the web pixel's `item_id`:
//   sku         Shopify's products CSV export: the variant's SKU, else the product's handle and
//               its option values ("mat-sage-green"), as aisle's import names a variant without one
//   variant_id  an export keyed by Shopify's variant ids (aisle JSONL written from the Admin API)
//   product_id  an export with one item per product
// Used by the theme's script (aisle-shopify.js, cart lines from /cart.js) and by the web pixel
// (checkout lines); snippets/aisle-item-id.liquid computes the same in Liquid.

export const ID_MODES = ['sku', 'variant_id', 'product_id'];
const MAX_ID = 200; // the loader keeps item ids of at most 200 characters

/** An id the loader takes: a non-empty string of at most 200 characters. */
export const validId = (id) => typeof id === 'string' && id.length > 0 && id.length <= MAX_ID;

/** aisle's slug of an option value (tools/io/text.cpp slugify): lower-case ASCII letters and digits, dashes between. */
export function slug(text) {
  return String(text).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

// A Shopify id as digits: numbers, "123", or a GraphQL id "gid://shopify/ProductVariant/123".
function numericId(id) {
  const text = typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : typeof id === 'string' ? id.replace(/^gid:\/\/shopify\/\w+\//, '') : '';
  return /^\d{1,20}$/.test(text) ? text : null;
}

/**
 * The item id of a variant, or null when it has none in this mode: {sku, variantId, productId,
 * handle, options (option values, "Default Title" for none)}; any field may be missing or hostile.
 */
export function itemId({ sku, variantId, productId, handle, options } = {}, mode = 'sku') {
  let id = null;
  if (mode === 'variant_id') id = numericId(variantId);
  else if (mode === 'product_id') id = numericId(productId);
  else if (typeof sku === 'string' && sku.trim()) id = sku.trim();
  else if (typeof handle === 'string' && handle) {
    const values = Array.isArray(options) ? options.filter((v) => typeof v === 'string' && v && v !== 'Default Title') : [];
    id = [handle, ...values.map(slug)].join('-');
  }
  return validId(id) ? id : null;
}

// Renders the Shopify theme app extension's Liquid (web/shopify/extensions/aisle-theme) with
// liquidjs into store pages Chromium loads: the app blocks inside a theme's page, the app embed
// before </body>, against Shopify-shaped product / collection / cart objects for the demo
// store's items (fixture/shopify/shop.json). Shopify's own filters are given as Shopify
// defines them (asset_url, handleize, t); `{% schema %}` blocks are read as JSON, as Shopify does.
// usage: node tests/web/shopify-render.mjs FIXTURE_DIR SITE_DIR
//   writes FIXTURE_DIR/shopify/{product,collection,cart,index}.html, the pixel's harness page,
//   copies web/shopify and web/package to FIXTURE_DIR/web (asset and pixel URLs) and the demo
//   store's images from SITE_DIR (the items' image URLs)
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Liquid } from 'liquidjs';
import { slug } from '../../web/shopify/extensions/aisle-theme/assets/aisle-ids.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const EXTENSION = join(root, 'web/shopify/extensions/aisle-theme');
const FIXTURE = join(root, 'tests/web/fixture/shopify');
export const ASSETS = '/web/shopify/extensions/aisle-theme/assets/'; // where the fixture serves the extension's assets

const SCHEMA = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/;

/** A block file's Liquid without its schema, and the schema (JSON). */
export function block(name) {
  const source = readFileSync(join(EXTENSION, 'blocks', `${name}.liquid`), 'utf8');
  const m = source.match(SCHEMA);
  return { liquid: source.replace(SCHEMA, ''), schema: m ? JSON.parse(m[1]) : null };
}

// The extension's storefront locale (`t` filter), as Shopify resolves a key.
const locale = JSON.parse(readFileSync(join(EXTENSION, 'locales/en.default.json'), 'utf8'));
const translate = (key) => key.split('.').reduce((o, k) => o?.[k], locale) ?? `translation missing: en.${key}`;

export function engine() {
  const liquid = new Liquid({ root: [join(EXTENSION, 'snippets')], extname: '.liquid', strictFilters: true });
  liquid.registerFilter('asset_url', (file) => `${ASSETS}${file}`);
  liquid.registerFilter('handleize', (text) => slug(text));
  liquid.registerFilter('t', translate);
  return liquid;
}

// A block's settings: its schema's defaults, then the theme editor's choices.
const settingsOf = (schema, chosen) => ({
  ...Object.fromEntries(schema.settings.filter((s) => 'default' in s).map((s) => [s.id, s.default])), ...chosen,
});

/** Renders a block with the theme editor's `settings` in the page's Liquid context `page`. */
export function renderBlock(liquid, name, settings, page) {
  const { liquid: source, schema } = block(name);
  return liquid.parseAndRender(source, { ...page, block: { id: name, settings: settingsOf(schema, settings), shopify_attributes: '' } });
}

// Shopify's objects for the fixture's items.
export function shopObjects() {
  const shop = JSON.parse(readFileSync(join(FIXTURE, 'shop.json'), 'utf8'));
  const products = Object.fromEntries(Object.entries(shop.products).map(([handle, p]) =>
    [handle, { ...p, selected_or_first_available_variant: p.variants[0], metafields: {} }]));
  const line = (p, v = p.variants[0]) => ({ product: p, variant: v, sku: v.sku, variant_id: v.id, product_id: p.id, quantity: 1 });
  const cart = { items: shop.cart.map((h) => line(products[h])) };
  cart.item_count = cart.items.length;
  const collection = { ...shop.collection, products: shop.collection.products.map((h) => products[h]), metafields: {} };
  return { products, cart, collection, line };
}

// The pages of the fixture store: [file, page_type, title, the page's own markup and blocks].
async function pages(liquid, objects) {
  const { products, cart, collection } = objects;
  const empty = { items: [], item_count: 0 };
  const common = { cart: empty, routes: { cart_url: '/shopify/cart', root_url: '/shopify/' }, shop: { name: 'Harbor & Pine' } };
  const phone = products['voltix-everyday-smartphone-1'];
  const razor = products['timberline-comfort-razor-1'].variants[0];
  const recs = (page, settings) => renderBlock(liquid, 'aisle-recs', settings, page);
  const out = [];
  for (const [file, request, extra, body] of [
    ['product', { page_type: 'product' }, { product: phone }, async (p) => `<form action="/cart/add" method="post">
      <select name="id">${phone.variants.map((v) => `<option value="${v.id}">${v.title}</option>`).join('')}</select></form>
      ${await recs(p, { limit: 6 })}`], // the length the demo's lists are published for (run.sh: aisle publish --limits)
    ['collection', { page_type: 'collection' }, { collection }, async (p) => recs(p, { limit: 4 })],
    ['cart', { page_type: 'cart' }, { cart }, async (p) => `<div class="cart"><button id="add" type="button" data-variant="${razor.id}">Add a razor</button>
      <button id="remove" type="button" data-variant="${razor.id}">Remove the razor</button></div>${await recs(p, {})}`],
    ['index', { page_type: 'index' }, {}, async (p) => `${await recs(p, { placement: 'home', limit: 8, layout: 'grid' })}
      ${await recs(p, { placement: 'post_purchase', limit: 4, heading: 'For your order' })}`],
  ]) {
    const page = { ...common, ...extra, request };
    const layout = readFileSync(join(FIXTURE, 'theme.liquid'), 'utf8');
    const embed = await renderBlock(liquid, 'aisle-embed', { files_url: '/aisle/', fallback: false }, page);
    out.push([file, await liquid.parseAndRender(layout, {
      ...page, page_title: file, // Shopify puts the blocks' schema stylesheets in the head
      content_for_header: `<link rel="stylesheet" href="${ASSETS}${block('aisle-recs').schema.stylesheet}"><script src="theme.js" defer></script>`,
      content_for_layout: await body(page), content_for_app_embeds: embed,
    })]);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [fixture, site] = process.argv.slice(2);
  cpSync(join(site, 'images'), join(fixture, 'images'), { recursive: true });
  const out = join(fixture, 'shopify');
  mkdirSync(out, { recursive: true });
  cpSync(join(root, 'web/shopify'), join(fixture, 'web/shopify'), { recursive: true });
  cpSync(join(root, 'web/package'), join(fixture, 'web/package'), { recursive: true });
  for (const f of ['theme.js', 'thank-you.html', 'web-pixels-extension.js']) cpSync(join(FIXTURE, f), join(out, f));
  for (const [file, html] of await pages(engine(), shopObjects())) writeFileSync(join(out, `${file}.html`), html);
}

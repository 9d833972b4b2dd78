// Browser tests of where stores live (run by run.mjs after tests.mjs): the Shopify theme app
// extension rendered with liquidjs (shopify-render.mjs writes its pages into the fixture), the
// web pixel run in a test double of Shopify's pixel runtime, and the npm package as `npm pack`
// makes it, installed into a scratch project and imported by a bundler-free page.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_KEY, ROOT, pageErrors, rendered, warnings } from './tests.mjs';
import { EXTENSION, block, engine, renderBlock } from './shopify-render.mjs';
import { itemId } from '../../web/shopify/extensions/aisle-theme/assets/aisle-ids.js';

const AISLE = `${ROOT}build/tools/aisle`;
const FIXTURE = `${ROOT}build/browser-fixture`; // run.sh's fixture directory

// The demo store's catalog: id -> {title, category (leaf), group}.
function demoCatalog() {
  const [head, ...rows] = readFileSync(`${ROOT}build/browser-site.store/catalog.tsv`, 'utf8').trim().split('\n').map((l) => l.split('\t'));
  const col = (name) => head.indexOf(name);
  return new Map(rows.map((r) => [r[col('id')], { title: r[col('title')], category: r[col('product_type')].split(' > ').pop(), group: r[col('item_group_id')] }]));
}

// The cart Shopify's Cart AJAX API answers on the fixture pages (routed: the fixture server
// is static), and the theme's writes to it.
async function shopifyCart(context, start) {
  const variants = { 101: { sku: 'SKU-1-1', product_id: 10, handle: 'zenmotion-active-yoga-mat-1', value: 'Slate Blue' },
    8301: { sku: 'SKU-830', product_id: 830, handle: 'timberline-comfort-razor-1', value: 'Default Title' } };
  const cart = new Set(start);
  await context.route('**/shopify/cart.js', (route) => route.fulfill({ json: {
    token: 'c1', item_count: cart.size, items: [...cart].map((id) => ({ id, variant_id: id, quantity: 1, sku: variants[id].sku,
      product_id: variants[id].product_id, handle: variants[id].handle, options_with_values: [{ name: 'Title', value: variants[id].value }] })),
  } }));
  await context.route('**/shopify/cart/add.js', (route) => {
    for (const { id } of route.request().postDataJSON().items) cart.add(id);
    route.fulfill({ json: { items: [] } });
  });
  await context.route('**/shopify/api/graphql.json', (route) => {
    cart.delete(route.request().postDataJSON().variables.variant);
    route.fulfill({ json: { data: {} } });
  });
}

const stored = (page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null'), DEMO_KEY);
// Waits until the loader has stored an event (it writes 200 ms after the last one) naming `item`.
const storedEvent = (page, event, item) => page.waitForFunction(([key, e, i]) => JSON.parse(localStorage.getItem(key) ?? 'null')
  ?.visit.events.some((x) => x.event === e && x.items?.some((y) => y.item_id === i)), [DEMO_KEY, event, item]);

// The checkout_completed event Shopify's pixel runtime delivers for an order of these variants.
function checkoutCompleted(variants) {
  return {
    id: 'sh-1', name: 'checkout_completed', type: 'standard', clientId: 'client-1', seq: 3, // timestamp: the page's clock
    context: { document: { location: { href: 'https://shop.example/checkouts/c/1/thank-you' } } },
    data: { checkout: { currencyCode: 'USD', token: 't1', order: { id: '9001' }, lineItems: variants.map((v) => ({
      id: `line-${v.id}`, quantity: 1, title: v.product,
      variant: { id: `gid://shopify/ProductVariant/${v.id}`, sku: v.sku, title: v.title, untranslatedTitle: v.title, price: { amount: 320.99, currencyCode: 'USD' },
        product: { id: String(v.productId), title: v.product, untranslatedTitle: v.product, url: `/products/${v.handle}`, vendor: 'Voltix', type: 'Smartphones' } },
    })) } },
  };
}
const PHONE = { id: 56701, productId: 5670, sku: 'SKU-567-1', title: 'Sand', product: 'Voltix Everyday Smartphone 1', handle: 'voltix-everyday-smartphone-1' };
// A line without a SKU: named by its handle and option values, as aisle's import of the products CSV names it.
const TEE = { id: 777, productId: 77, sku: '', title: 'Sage Green / XL', product: 'Tee', handle: 'tee' };
const PIXEL_SETTINGS = { manifest_path: '/aisle/store/manifest.json', item_id: 'sku' };
const ALLOWED = { analyticsProcessingAllowed: true, marketingAllowed: true, preferencesProcessingAllowed: true, saleOfDataAllowed: true };

export const tests = [
  ['Shopify: the extension\'s schemas and ids agree with Shopify\'s shapes and with aisle\'s import of a Shopify export', async () => {
    const schemaLocale = JSON.parse(readFileSync(join(EXTENSION, 'locales/en.default.schema.json'), 'utf8'));
    const embed = block('aisle-embed').schema;
    const recs = block('aisle-recs').schema;
    assert.equal(embed.target, 'body', 'an app embed block');
    assert.equal(recs.target, 'section', 'an app block');
    assert.deepEqual(['placement', 'limit', 'heading', 'layout'].filter((id) => !recs.settings.some((s) => s.id === id)), []);
    assert.ok(readdirSync(join(EXTENSION, 'assets')).includes(recs.stylesheet), 'the block\'s stylesheet is an asset');
    const keys = JSON.stringify([embed, recs]).match(/"t:[\w.]+"/g).map((k) => k.slice(3, -1));
    assert.deepEqual(keys.filter((k) => k.split('.').reduce((o, p) => o?.[p], schemaLocale) === undefined), [], 'every t: key is in en.default.schema.json');
    // A products CSV as Shopify exports it: a variant without a SKU (aisle names it by handle
    // and options), one with, one product without options. aisle's import, the Liquid snippet
    // (app embed, block) and the JavaScript of the cart and the pixel name each alike.
    const dir = mkdtempSync(join(tmpdir(), 'aisle-shopify-'));
    writeFileSync(join(dir, 'products.csv'), ['Handle,Title,Vendor,Type,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant SKU,Variant Price',
      'tee,Tee,Acme,Tees,Color,Sage Green,Size,XL,,19.00', 'tee,,,,,Black,,S,TEE-BLK-S,19.00', 'mug,Mug,Acme,Mugs,Title,Default Title,,,,9.00'].join('\n'));
    execFileSync(AISLE, ['build', '--catalog', join(dir, 'products.csv'), '--out', join(dir, 's.snap'), '--quiet']);
    const imported = JSON.parse(execFileSync(AISLE, ['inspect', join(dir, 's.snap'), '--public', '--json'])).items.map((i) => i.id).sort();
    rmSync(dir, { recursive: true });
    const variants = [{ handle: 'tee', sku: '', options: ['Sage Green', 'XL'] }, { handle: 'tee', sku: 'TEE-BLK-S', options: ['Black', 'S'] },
      { handle: 'mug', sku: '', options: ['Default Title'] }];
    const liquid = engine();
    const snippet = await Promise.all(variants.map((v) => liquid.parseAndRender("{% render 'aisle-item-id', variant: v, product: p, mode: 'sku' %}",
      { v: { id: 1, sku: v.sku, options: v.options }, p: { id: 2, handle: v.handle } })));
    assert.deepEqual(imported, ['mug', 'tee-sage-green-xl', 'TEE-BLK-S'].sort());
    assert.deepEqual(snippet.sort(), imported, 'the Liquid snippet names variants as aisle\'s import does');
    assert.deepEqual(variants.map((v) => itemId(v, 'sku')).sort(), imported, 'so do the cart\'s and the pixel\'s JavaScript');
    assert.equal(await liquid.parseAndRender("{% render 'aisle-item-id', variant: v, product: p, mode: 'variant_id' %}", { v: { id: 41 }, p: { id: 7 } }), '41');
    assert.equal(itemId({ variantId: 'gid://shopify/ProductVariant/41' }, 'variant_id'), '41');
    assert.equal(itemId({ variantId: '41"><script>' }, 'variant_id'), null, 'a hostile id is no id');
    // Merchant data in Liquid stays attribute text: a SKU or collection title cannot add markup.
    const hostile = '"><img src=x onerror="window.pwned=1">';
    const product = { id: 1, handle: 'h', variants: [{ id: 2, sku: hostile, options: [] }], metafields: {} };
    product.selected_or_first_available_variant = product.variants[0];
    for (const page of [{ request: { page_type: 'product' }, product }, { request: { page_type: 'collection' }, collection: { title: hostile, products: [product], metafields: {} } }]) {
      const html = await renderBlock(liquid, 'aisle-embed', {}, { ...page, cart: { items: [{ variant: product.variants[0], product }] }, routes: { cart_url: '/cart' } });
      assert.ok(!/<img|"window/.test(html) && html.includes('&gt;&lt;img src=x onerror='), html); // escaped: no tag, no attribute
    }
  }],

  ['Shopify: the storefront follows Shopify\'s Customer Privacy API; a loader that cannot load breaks nothing', async ({ context, fixture, logs }) => {
    // Shopify's consent API as a store with a banner has it: no decision yet, so not allowed.
    await context.addInitScript(() => {
      window.Shopify = { loadFeatures: (features, callback) => setTimeout(() => {
        window.Shopify.customerPrivacy = { preferencesProcessingAllowed: () => window.allowed === true };
        callback();
      }, 50) };
    });
    const page = await context.newPage();
    await page.goto(`${fixture}shopify/product.html`);
    await rendered(page, 'product');
    await page.waitForFunction(() => window.aisle.stats().tracked >= 1);
    assert.equal(await page.evaluate(() => window.aisle.stats().consent), false);
    await page.goto(`${fixture}shopify/thank-you.html`); // the product page has gone: it stored nothing
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), DEMO_KEY), null);
    // The visitor accepts in the banner: Shopify dispatches visitorConsentCollected.
    await page.goto(`${fixture}shopify/product.html`);
    await rendered(page, 'product');
    await page.evaluate(() => { window.allowed = true; document.dispatchEvent(new CustomEvent('visitorConsentCollected', { detail: { preferencesAllowed: true } })); });
    await storedEvent(page, 'view_item', 'SKU-567-1');
    // The aisle folder unreachable: the theme's page and its own scripts work, one warning.
    await context.route('**/aisle/aisle.js', (route) => route.fulfill({ status: 404, body: '' }));
    const before = logs.length;
    const warned = page.waitForEvent('console', { predicate: (m) => m.type() === 'warning' && m.text().startsWith('aisle:') });
    await page.goto(`${fixture}shopify/cart.html`);
    await warned;
    const added = page.waitForRequest('**/shopify/cart/add.js');
    await page.click('#add'); // the theme's cart code still runs
    await added;
    assert.deepEqual(pageErrors(logs.slice(before)), []);
    assert.equal(warnings(logs.slice(before)).length, 1, JSON.stringify(logs.slice(before)));
  }],

  ['Shopify: the app embed and block, rendered from Liquid, drive the lists with no dataLayer -- a product view, a collection, cart changes', async ({ context, fixture, logs }) => {
    await shopifyCart(context, [101]);
    const catalog = demoCatalog();
    const page = await context.newPage();
    await page.goto(`${fixture}shopify/index.html`);
    const before = await rendered(page, 'home');
    // A product page: the embed tells the loader the product viewed; the block gets its item.
    await page.goto(`${fixture}shopify/product.html`);
    const product = await rendered(page, 'product');
    assert.equal(await page.getAttribute('aisle-recs[placement=product]', 'item'), 'SKU-567-1');
    assert.ok(product.ids.length > 0 && product.ids.every((id) => catalog.get(id).group !== 'G567'), `no variant of the phone: ${product.ids}`);
    await storedEvent(page, 'view_item', 'SKU-567-1');
    assert.deepEqual((await stored(page)).visit.events.filter((e) => e.event === 'view_item').map((e) => [e.items[0].item_id, e.page_type]),
      [['SKU-567-1', 'product']]);
    await page.goto(`${fixture}shopify/index.html`);
    const after = await rendered(page, 'home');
    const phones = (ids) => ids.filter((id) => catalog.get(id).category === 'Smartphones');
    assert.deepEqual(phones(before.ids), [], `a new visitor's home list: ${before.ids}`);
    assert.notDeepEqual(phones(after.ids), [], `after the phone's page, smartphones: ${after.ids}`);
    // A collection page: its block's category is the collection's.
    await page.goto(`${fixture}shopify/collection.html`);
    const category = await rendered(page, 'category');
    assert.equal(await page.getAttribute('aisle-recs[placement=category]', 'category'), 'Smartphones');
    assert.ok(category.ids.length > 0);
    // The cart page: its lines from Liquid, then the theme's changes through the Cart AJAX API
    // (a request aisle sees) and the Storefront API with a standard cart event (an event it hears).
    await page.goto(`${fixture}shopify/cart.html`);
    const one = await rendered(page, 'cart');
    await page.click('#add');
    await page.waitForFunction((ids) => document.querySelector('aisle-recs[placement=cart]').items.map((i) => i.id).join() !== ids.join(), one.ids);
    const two = await rendered(page, 'cart');
    assert.ok(two.reasons.some((r) => r.includes('Timberline Comfort Razor 1')), `a reason names the razor just added: ${two.reasons}`);
    await page.click('#remove');
    await storedEvent(page, 'remove_from_cart', 'SKU-830');
    const events = (await stored(page)).visit.events.map((e) => `${e.event} ${e.items.map((i) => i.item_id)}`);
    assert.deepEqual(events.filter((e) => /cart/.test(e)), ['add_to_cart SKU-1-1', 'add_to_cart SKU-830', 'remove_from_cart SKU-830']);
    // Another variant picked on the product page is a view of it.
    await page.goto(`${fixture}shopify/product.html`);
    await rendered(page, 'product');
    await page.selectOption('select[name=id]', '56703'); // the black one
    await storedEvent(page, 'view_item', 'SKU-567-3');
    // No dataLayer on the pages: what is in it was pushed by aisle's widgets alone.
    for (const file of ['index', 'product', 'collection', 'cart']) {
      assert.ok(!/dataLayer|gtag/.test(readFileSync(`${FIXTURE}/shopify/${file}.html`, 'utf8')), `${file}.html has no dataLayer`);
    }
    const foreign = await page.evaluate(() => window.dataLayer.filter((e) => !(e.ecommerce === null || e.event === 'aisle_exposure' ||
      String(e.ecommerce?.item_list_id).startsWith('aisle_'))));
    assert.deepEqual(foreign, []);
    assert.deepEqual(pageErrors(logs), []);
    assert.deepEqual(warnings(logs), []);
  }],

  ['Shopify web pixel: checkout_completed writes the purchase in the loader\'s record; the next page\'s post-purchase list has no substitutes of it; denied consent writes nothing', async ({ context, fixture, logs }) => {
    const catalog = demoCatalog();
    const page = await context.newPage();
    const substitutes = (ids) => ids.filter((id) => catalog.get(id).category === 'Smartphones' || catalog.get(id).group === 'G567');
    const checkout = async (customerPrivacy) => {
      await page.goto(`${fixture}shopify/thank-you.html`);
      await page.waitForFunction(() => window.pixelHarness);
      assert.deepEqual(await page.evaluate(([s, c]) => window.pixelHarness.start(s, c), [PIXEL_SETTINGS, customerPrivacy]), ['checkout_completed'],
        'the pixel listens to the purchase alone');
      const before = await page.evaluate((key) => localStorage.getItem(key), DEMO_KEY); // as the storefront left it
      await page.evaluate((e) => window.pixelHarness.publish({ ...e, timestamp: new Date().toISOString() }), checkoutCompleted([PHONE, TEE]));
      return before;
    };
    // Consent denied: the pixel writes nothing, and the post-purchase list, which knows of no
    // purchase, shows the phone's substitutes (so the check below can fail).
    await page.goto(`${fixture}shopify/product.html`);
    await rendered(page, 'product');
    await storedEvent(page, 'view_item', 'SKU-567-1');
    const was = await checkout({ ...ALLOWED, preferencesProcessingAllowed: false });
    assert.ok(was, 'the storefront stored the visit');
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), DEMO_KEY), was, 'nothing written');
    await page.goto(`${fixture}shopify/index.html`);
    assert.notDeepEqual(substitutes((await rendered(page, 'post_purchase')).ids), [], 'without the purchase, smartphones follow the phone viewed');
    // Consent given: the purchase is written in the loader's format, and read by the loader.
    await page.goto(`${fixture}shopify/thank-you.html`); // a page without the loader, which would store its visit on leaving
    await page.evaluate(() => localStorage.clear());
    await page.goto(`${fixture}shopify/product.html`);
    await rendered(page, 'product');
    await storedEvent(page, 'view_item', 'SKU-567-1');
    const visitor = (await stored(page)).visitor;
    await checkout(ALLOWED);
    const record = await stored(page);
    assert.equal(record.visitor, visitor, 'the storefront\'s visitor, its visit extended');
    assert.deepEqual(record.visit.events.map((e) => [e.event, e.items.map((i) => i.item_id).join()]), [['view_item', 'SKU-567-1'], ['purchase', 'SKU-567-1,tee-sage-green-xl']]);
    await page.goto(`${fixture}shopify/index.html`);
    const after = await rendered(page, 'post_purchase');
    assert.ok(after.ids.length > 0);
    assert.deepEqual(substitutes(after.ids), [], `no other smartphone, no other colour of it: ${after.ids}`);
    const stats = await page.evaluate(() => window.aisle.stats());
    assert.deepEqual([stats.resets, stats.errors], [0, 0], 'the loader took the record as its own');
    // Consent withdrawn on the thank-you page: the record is removed.
    await checkout(ALLOWED);
    await page.evaluate(() => window.pixelHarness.consent({ preferencesProcessingAllowed: false }));
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), DEMO_KEY), null);
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['npm package: `npm pack`, installed into a scratch project, imported by a bundler-free page through its exports map, renders a list', async ({ context, serve }) => {
    const pkg = JSON.parse(readFileSync(`${ROOT}web/package/package.json`, 'utf8'));
    const format = readFileSync(`${ROOT}core/snapshot_format.h`, 'utf8').match(/kVersionMajor = (\d+)/)[1];
    assert.equal(pkg.version.split('.')[0], format, 'the package\'s major version is the snapshot format\'s');
    assert.match(readFileSync(`${ROOT}web/package/aisle.js`, 'utf8'), new RegExp(`VERSION = '${pkg.version.replace(/\./g, '\\.')}'`));
    const dir = mkdtempSync(join(tmpdir(), 'aisle-npm-'));
    try {
      // web/package alone has no engine: its prepack refuses it.
      assert.throws(() => execFileSync('npm', ['pack', `${ROOT}web/package`, '--pack-destination', dir], { stdio: 'pipe' }), /no engine/);
      // The package folder as the site publishes it (web/package and the Emscripten build's engine).
      const [packed] = JSON.parse(execFileSync('npm', ['pack', `${FIXTURE}/aisle`, '--pack-destination', dir, '--json'], { encoding: 'utf8' }));
      const files = packed.files.map((f) => f.path).sort();
      for (const f of ['aisle.js', 'record.js', 'engine.js', 'engine-worker.js', 'aisle.d.ts', 'engine/aisle_engine.mjs', 'engine/aisle_engine.wasm', 'package.json']) {
        assert.ok(files.includes(f), `the tarball holds ${f}: ${files}`);
      }
      assert.deepEqual(files.filter((f) => f.startsWith('store/')), [], 'no store data in the package');
      const app = join(dir, 'app');
      cpSync(`${ROOT}tests/web/fixture/npm-app`, app, { recursive: true });
      execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', join(dir, packed.filename)], { cwd: app });
      cpSync(`${FIXTURE}/aisle/store`, join(app, 'store'), { recursive: true });
      // The import map: what Node resolves through the installed package's `exports`.
      const resolve = (s) => execFileSync(process.execPath, ['--input-type=module', '-e', `console.log(import.meta.resolve(${JSON.stringify(s)}))`], { cwd: app, encoding: 'utf8' }).trim();
      const imports = Object.fromEntries(['@aisle/storefront', '@aisle/storefront/recs', '@aisle/storefront/engine']
        .map((s) => [s, `./${resolve(s).slice(`file://${app}/`.length)}`]));
      assert.equal(imports['@aisle/storefront'], './node_modules/@aisle/storefront/aisle.js');
      writeFileSync(join(app, 'importmap.json'), JSON.stringify({ imports }));
      const html = readFileSync(join(app, 'index.html'), 'utf8').replace('<!-- importmap -->', `<script type="importmap">${JSON.stringify({ imports })}</script>`);
      writeFileSync(join(app, 'index.html'), html);
      const server = await serve(app);
      try {
        const requests = [];
        const page = await context.newPage();
        page.on('request', (r) => requests.push(new URL(r.url()).pathname));
        await page.goto(server.url);
        const home = await rendered(page, 'home');
        assert.ok(home.ids.length > 0);
        const stats = await page.evaluate(() => window.aisle.stats());
        assert.deepEqual([stats.state, stats.thread, await page.evaluate(() => window.aisleVersion)], ['ready', 'worker', pkg.version]);
        assert.ok(requests.includes('/node_modules/@aisle/storefront/engine/aisle_engine.wasm'), 'the engine from the installed package');
      } finally {
        server.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, { dedicated: true }], // the engine's requests are counted (run.mjs, NO_SHARED_WORKER)
];

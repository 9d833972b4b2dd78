// The browser tests run by run.mjs: each is [name, async ({context, site, fixture, logs, serve}) => {}, options?];
// options: {bfcache: true} runs the test in a browser whose Back uses the back/forward cache.
/* global aisleKey */ // defined in every page by `init` (below)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// What a rendered <aisle-recs> shows: ids from the rendered links, the list mode, reasons.
export async function lists(page) {
  return page.evaluate(() => [...document.querySelectorAll('aisle-recs')].map((el) => {
    const root = el.shadowRoot;
    const section = root.querySelector('section');
    return {
      id: el.id, placement: el.getAttribute('placement'), hidden: section.hidden, mode: section.dataset.mode, source: section.dataset.source,
      ids: (el.items ?? []).map((i) => i.id),
      links: [...root.querySelectorAll('a[data-index]')].map((a) => a.getAttribute('href')),
      reasons: (el.items ?? []).flatMap((i) => (i.reasons ?? []).map((r) => r.text)),
      text: section.textContent,
    };
  }));
}

// The list a widget shows once the engine's own list has replaced the published page list
// or the list the previous page computed ahead (`from: 'page'` or `'ahead'` for those
// themselves, `from: 'any'` for whichever shows first).
export async function rendered(page, placement, from = 'engine') {
  await page.waitForFunction(([p, f]) => {
    const el = document.querySelector(`aisle-recs[placement=${p}]`);
    const source = el?.shadowRoot?.querySelector('section').dataset.source; // no shadowRoot: not defined yet
    const early = source === 'page' || source === 'ahead';
    return el?.shadowRoot && el.shadowRoot.querySelectorAll('[data-index]').length > 0 &&
      (f === 'any' || (f === 'engine' ? !early : source === f));
  }, [placement, from], { timeout: 15000 });
  return (await lists(page)).find((l) => l.placement === placement);
}

// A new tab of `context` on `url` once its engine is ready (and, with `placement`, that
// widget shows the engine's list); `init` runs before the page's scripts.
async function openTab(context, url, placement, init) {
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  await page.goto(url);
  if (placement) await rendered(page, placement);
  await page.waitForFunction(() => window.aisle.stats().state === 'ready');
  return page;
}

const nextFrame = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
const dataLayer = (page, name) => page.evaluate((n) => window.dataLayer.filter((e) => e && e.event === n), name);
// The view_item_list pushes, once there are `n`: a list counts after a second in sight.
async function reported(page, n = 1) {
  await page.waitForFunction((k) => window.dataLayer.filter((e) => e?.event === 'view_item_list').length >= k, n, { timeout: 5000 });
  return dataLayer(page, 'view_item_list');
}
const scrollTo = (page, selector) => page.evaluate((sel) => document.querySelector(sel).scrollIntoView(), selector);
export const ROOT = new URL('../..', import.meta.url).pathname;
export const pageErrors = (logs) => logs.filter((l) => (l.type === 'error' || l.type === 'pageerror') &&
  !l.text.startsWith('Failed to load resource')); // the browser's own network log line, not the page's
export const warnings = (logs) => logs.filter((l) => l.type === 'warning');

// The loader keeps one localStorage key per store: aisle:v1: and FNV-1a of the path of its
// manifest (or snapshot). In every page, aisleKey() is the key of the store the page's loader
// serves, or the demo store's on a page without a loader.
// What the engine downloads first: a whole snapshot, or the head of one in shards.
const SNAPSHOTS = /\/(snap\/[^/]+|shards\/[^/]+\/head)\.snap$/;
const fnv1a = (text) => [...Buffer.from(text)].reduce((h, b) => Math.imul(h ^ b, 0x01000193) >>> 0, 0x811c9dc5);
export const DEMO_KEY = `aisle:v1:${fnv1a('/aisle/store/manifest.json').toString(16)}`;
export const init = `window.aisleKey = () => window.aisle?.stats?.().storeKey ?? '${DEMO_KEY}';`;

// The studio, once its engine shows every placement.
async function openStudio(context, site) {
  const page = await context.newPage();
  await page.goto(`${site}studio/`);
  await page.waitForFunction(() => document.querySelectorAll('#placements .placement').length === 6);
  return page;
}
// A new boost in the studio's form matching `kind` = `value`: its row.
async function studioBoost(page, kind, value) {
  await page.click('fieldset[data-rule=boosts] > button');
  const boost = page.locator('fieldset[data-rule=boosts] .rule').last();
  await boost.locator('select').selectOption(kind);
  await boost.locator('input[aria-label="match value"]').fill(value);
  return boost;
}

export const tests = [
  ['the widget renders on every page of the demo store', async ({ context, site, logs }) => {
    const page = await context.newPage();
    await page.goto(site);
    assert.ok((await rendered(page, 'home')).ids.length >= 4);
    await page.goto(`${site}category.html?c=Yoga%20Mats`);
    assert.ok((await rendered(page, 'category')).ids.length > 0);
    await page.goto(`${site}product.html?id=SKU-1-1`);
    const product = await rendered(page, 'product');
    assert.ok(product.ids.length > 0 && !product.ids.includes('SKU-1-1'));
    await page.click('#add');
    await page.goto(`${site}cart.html`);
    assert.ok((await rendered(page, 'cart')).ids.length > 0);
    await page.click('a.button');
    await page.waitForURL(/checkout/);
    await page.click('#place-order');
    await page.waitForURL(/done=/);
    assert.ok((await rendered(page, 'post_purchase')).ids.length > 0);
    for (const l of await lists(page)) assert.ok(l.links.every((h) => /^https?:/.test(h)), 'links are http(s)');
    assert.deepEqual(pageErrors(logs), []);
    assert.deepEqual(warnings(logs), []);
  }],

  ['clicking recommendations changes the next pages as the session implies', async ({ context, site }) => {
    const page = await context.newPage();
    await page.goto(site);
    const before = await rendered(page, 'home');
    await page.locator('aisle-recs[placement=home] a[data-index="0"]').click();
    await page.waitForURL(new RegExp(`id=${before.ids[0]}$`));
    const first = await page.textContent('h1');
    const product = await rendered(page, 'product');
    await page.locator('aisle-recs[placement=product] a[data-index="0"]').click();
    await page.waitForURL(new RegExp(`id=${product.ids[0]}$`));
    const second = await page.textContent('h1');
    assert.ok(!(await rendered(page, 'product')).ids.includes(product.ids[0]), 'never the product on the page');
    await page.goto(site);
    const after = await rendered(page, 'home');
    assert.notDeepEqual(after.ids, before.ids, 'the visit changes the home page');
    assert.ok(after.reasons.some((r) => r.includes(first) || r.includes(second)),
      `a reason names a product viewed in this visit: ${after.reasons}`);
  }],

  ['add-to-cart changes the cart recommendations', async ({ context, site }) => {
    const page = await context.newPage();
    await page.goto(`${site}product.html?id=SKU-1-1`);
    await rendered(page, 'product');
    await page.click('#add');
    await page.goto(`${site}cart.html`);
    const one = await rendered(page, 'cart');
    await page.goto(`${site}product.html?id=SKU-900`);
    const title = await page.textContent('h1');
    await page.click('#add');
    await page.goto(`${site}cart.html`);
    const two = await rendered(page, 'cart');
    assert.notDeepEqual(one.ids, two.ids);
    assert.ok(two.reasons.some((r) => r.includes(title)), `a reason names the item just added: ${two.reasons}`);
    // A tracked event re-renders the list with the engine's answer (from its worker).
    const now = await page.evaluate(async () => {
      window.aisle.track({ event: 'add_to_cart', items: [{ item_id: 'SKU-830' }] }); // a razor
      return (await window.aisle.recommend('cart', { limit: 4 })).items.map((i) => i.id);
    });
    assert.notDeepEqual(now, two.ids);
    await page.waitForFunction((ids) => document.querySelector('aisle-recs[placement=cart]').items.map((i) => i.id).join() === ids.join(), now)
      .catch(async () => assert.fail(`the cart list shows ${(await lists(page)).find((l) => l.placement === 'cart').ids}, not ${now}`));
  }],

  ['GA4 view_cart tells the engine the cart, an earlier visit\'s included', async ({ context, site }) => {
    const page = await context.newPage();
    await page.goto(`${site}cart.html`); // an empty cart
    const empty = await rendered(page, 'cart');
    // A cart the visit never saw (filled in an earlier visit): the store's cart page sends view_cart.
    await page.evaluate(() => localStorage.setItem('demo-shop:cart', JSON.stringify([{ id: 'SKU-830', qty: 1 }])));
    await page.reload();
    await page.waitForFunction((ids) => {
      const el = document.querySelector('aisle-recs[placement=cart]');
      return el?.items?.length > 0 && el.items.map((i) => i.id).join() !== ids.join();
    }, empty.ids, { timeout: 5000 });
    const title = (await page.textContent('table.cart a')).trim();
    const withCart = (await lists(page)).find((l) => l.placement === 'cart');
    assert.ok(withCart.reasons.some((r) => r.includes(title)), `a reason names the item in the cart: ${withCart.reasons}`);
    const cartEvents = () => page.evaluate(() => window.aisle.stats().visitEvents &&
      JSON.parse(localStorage.getItem(aisleKey())).visit.events.map((e) => e.event).filter((e) => e.endsWith('cart')));
    await page.reload(); // the same cart again: nothing new (pagehide stored the visit)
    await rendered(page, 'cart');
    assert.deepEqual(await cartEvents(), ['add_to_cart'], 'view_cart stands for the lines the visit did not know');
    await page.evaluate(() => window.aisle.track({ event: 'view_cart', items: [] })); // emptied elsewhere (another tab)
    await page.waitForFunction(() => JSON.parse(localStorage.getItem(aisleKey())).visit.events.some((e) => e.event === 'remove_from_cart'));
    assert.deepEqual(await cartEvents(), ['add_to_cart', 'remove_from_cart']);
    // A theme whose analytics send no view_cart gives the cart as an attribute.
    await page.evaluate(() => document.querySelector('aisle-recs[placement=cart]').setAttribute('cart', 'SKU-830 SKU-1-1'));
    await page.waitForFunction(() => JSON.parse(localStorage.getItem(aisleKey())).visit.events.filter((e) => e.event === 'add_to_cart').length === 2);
    const last = await page.evaluate(() => JSON.parse(localStorage.getItem(aisleKey())).visit.events.at(-1));
    assert.deepEqual([last.event, last.items.map((i) => i.item_id)], ['add_to_cart', ['SKU-830', 'SKU-1-1']]);
    const stats = await page.evaluate(() => window.aisle.stats());
    assert.equal(stats.ignored, 0, 'view_cart is tracked, not ignored');
  }],

  ['GA4 view_item_list once per list shown, select_item on click, composed DOM events', async ({ context, site }) => {
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.seen = [];
      for (const t of ['aisle-impression', 'aisle-click']) document.addEventListener(t, (e) => window.seen.push({ type: t, composed: e.composed, bubbles: e.bubbles, detail: e.detail }));
    });
    await page.goto(`${site}product.html?id=SKU-1-1`);
    const list = await rendered(page, 'product');
    await page.evaluate(() => document.dispatchEvent(new CustomEvent('aisle:update'))); // same list again
    await nextFrame(page);
    await scrollTo(page, 'aisle-recs[placement=product]'); // below the fold of the product page
    const views = (await reported(page)).filter((e) => e.ecommerce.item_list_id === 'aisle_product');
    assert.equal(views.length, 1, 'one view_item_list for one list');
    const v = views[0].ecommerce;
    assert.equal(v.item_list_name, 'You may also like');
    assert.deepEqual(v.items.map((i) => i.item_id), list.ids);
    assert.deepEqual(v.items.map((i) => i.index), list.ids.map((_, i) => i));
    assert.ok(v.items.every((i) => typeof i.item_name === 'string' && i.price > 0 && i.currency === 'USD' && i.item_list_id === 'aisle_product'));
    const seen = await page.evaluate(() => window.seen);
    assert.equal(seen.filter((s) => s.type === 'aisle-impression').length, 1);
    assert.ok(seen.every((s) => s.composed && s.bubbles));
    await page.evaluate(() => document.addEventListener('click', (e) => e.preventDefault(), { once: true }));
    await page.locator('aisle-recs[placement=product] a[data-index="1"]').click();
    const select = await dataLayer(page, 'select_item');
    assert.equal(select.length, 1);
    assert.equal(select[0].ecommerce.item_list_id, 'aisle_product');
    assert.equal(select[0].ecommerce.items[0].item_id, list.ids[1]);
    assert.equal(select[0].ecommerce.items[0].index, 1);
    const click = (await page.evaluate(() => window.seen)).find((s) => s.type === 'aisle-click');
    assert.deepEqual(click.detail, { placement: 'product', listId: 'aisle_product', item: list.ids[1], index: 1 });
    // The widget's own pushes are not taken for shopper actions.
    assert.equal((await page.evaluate(() => window.aisle.stats())).tracked, 1, 'only the page view_item is tracked');
  }],

  ['impressions: view_item_list only once half the list was seen for a second, not again on re-renders', async ({ context, fixture }) => {
    // The page's timers run on an installed clock, paused once the list is there, that only
    // the test advances: a second is exactly a second however fast the machine is.
    const page = await context.newPage();
    await page.clock.install();
    const until = async (fn) => { // real time for what the browser does itself (layout, observers)
      for (let i = 0; i < 500; i++) {
        if (await page.evaluate(fn)) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`never: ${fn}`);
    };
    await page.goto(`${fixture}fold.html`);
    await until(() => document.getElementById('fold').shadowRoot.querySelectorAll('[data-index]').length > 0);
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1000));
    await page.clock.runFor(60_000); // a minute rendered 150 px below the fold: never seen
    assert.deepEqual(await dataLayer(page, 'view_item_list'), [], 'a list below the fold is no impression');
    await page.evaluate(() => document.getElementById('fold').scrollIntoView());
    await until(() => document.getElementById('fold').inSight === true); // the clock stands still meanwhile
    await page.clock.runFor(990);
    assert.deepEqual(await dataLayer(page, 'view_item_list'), [], 'in sight for less than a second: no impression yet');
    await page.clock.runFor(20);
    const shown = (await lists(page))[0].ids;
    const views = await dataLayer(page, 'view_item_list');
    assert.equal(views.length, 1, 'one impression once in sight for a second');
    assert.deepEqual(views[0].ecommerce.items.map((i) => i.item_id), shown);
    for (let i = 0; i < 5; i++) { // re-renders of the same list
      await page.evaluate(() => document.dispatchEvent(new CustomEvent('aisle:update')));
      await page.clock.runFor(16);
    }
    await page.clock.runFor(60_000);
    assert.equal((await dataLayer(page, 'view_item_list')).length, 1, 're-renders are not impressions');
  }],

  ['aisle report on a 375 px phone: every chart and every mark in it inside the screen', async ({ context, fixture }) => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${fixture}report.html`);
    const out = await page.evaluate(() => {
      const bad = [];
      const width = document.documentElement.clientWidth;
      const svgs = [...document.querySelectorAll('svg')];
      for (const svg of svgs) {
        const box = svg.getBoundingClientRect();
        const name = svg.getAttribute('aria-label');
        if (box.left < 0 || box.right > width) bad.push(`${name}: the chart spans ${box.left}..${box.right}`);
        for (const mark of svg.querySelectorAll('circle, line, text, path')) {
          const r = mark.getBoundingClientRect();
          if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
            bad.push(`${name}: ${mark.tagName} ${mark.textContent} at ${r.left}..${r.right} outside ${box.left}..${box.right}`);
        }
      }
      return { bad, charts: svgs.length, scroll: document.documentElement.scrollWidth, width };
    });
    assert.deepEqual(out.bad, []);
    assert.ok(out.charts >= 4, `the lift chart and the weekly charts: ${out.charts}`);
    assert.ok(out.scroll <= out.width, `the page scrolls sideways: ${out.scroll} > ${out.width}`);
  }],

  ['GA4 aisle_context: nothing inferred about the shopper is pushed by default; opted in, the detected flags in snake_case', async ({ context, site }) => {
    const visit = async (page) => {
      await page.goto(`${site}category.html?c=Yoga%20Mats&sort=price_asc`); // a money-saving shopper
      await rendered(page, 'category');
      await page.goto(`${site}product.html?id=SKU-1-1`);
      await rendered(page, 'product');
      await scrollTo(page, 'aisle-recs[placement=product]');
      return reported(page);
    };
    const quiet = await visit(await context.newPage());
    assert.ok(quiet.length > 0 && quiet.every((e) => !('aisle_context' in e)), JSON.stringify(quiet));
    assert.ok(quiet.every((e) => e.aisle_placement), 'placement tagging stays (measurement.md)');
    await context.route(/\/(category|product)\.html/, async (route) => { // the store opts in on its script tag
      const response = await route.fetch();
      route.fulfill({ response, body: (await response.text()).replace('data-manifest=', 'data-share-context data-manifest=') });
    });
    await context.clearCookies();
    const page = await context.newPage();
    await page.goto(`${site}fallback.json`);
    await page.evaluate(() => localStorage.clear());
    const contexts = (await visit(page)).map((e) => e.aisle_context).filter(Boolean);
    assert.ok(contexts.some((c) => c.split(',').includes('price_sensitive')), `aisle_context: ${contexts}`);
    assert.ok(contexts.every((c) => c.split(',').every((f) => /^[a-z_]+$/.test(f))), `aisle_context: ${contexts}`);
  }],

  ['catalog text is shown as text, only http(s) URLs are used, themes supply templates and fallback markup', async ({ context, fixture, logs }) => {
    const page = await context.newPage();
    await page.goto(`${fixture}widget.html`);
    await rendered(page, 'home');
    const plain = (await lists(page)).find((l) => l.id === 'plain');
    assert.ok(plain.text.includes('<img src=x onerror="window.pwned=1"><b>Bold</b> & Co'), plain.text);
    assert.ok(plain.text.includes('<script>window.pwned=4</script>'));
    const injected = await page.evaluate(() => {
      const root = document.getElementById('plain').shadowRoot;
      return { b: root.querySelectorAll('b, script').length, imgs: [...root.querySelectorAll('img')].map((i) => i.getAttribute('src')),
               pwned: window.pwned };
    });
    assert.equal(injected.b, 0);
    assert.equal(injected.pwned, undefined);
    assert.ok(injected.imgs.every((s) => /^https?:\/\//.test(s)), `images: ${injected.imgs}`);
    assert.ok(plain.links.every((h) => h === null || /^https?:\/\//.test(h)), `links: ${plain.links}`);
    assert.ok(plain.links.includes(null), 'a javascript: or data: link is left without href');
    // Intl prices in the page language, the sale price beside the list price.
    assert.match(plain.text, /Was 30,00\s€24,00\s€/u);
    // The theme's template.
    const themed = await page.evaluate(() => [...document.getElementById('themed').shadowRoot.querySelectorAll('.card-name')].map((n) => n.textContent));
    assert.equal(themed.length, 2);
    // The cart list is empty for a visitor with no cart in a 4-item store? Either way the
    // fallback slot stays hidden while the engine runs.
    const slotHidden = await page.evaluate(() => document.getElementById('with-markup').shadowRoot.querySelector('slot').hidden);
    assert.equal(slotHidden, true);
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['a third-party store under a strict CSP (no eval, no inline styles, Trusted Types) shows engine lists', async ({ context, fixture, logs }) => {
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
    });
    const response = await page.goto(`${fixture}store/`);
    assert.equal(response.headers()['content-security-policy'],
      "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; require-trusted-types-for 'script'");
    await page.waitForFunction(() => ['ready', 'failed'].includes(window.aisle?.stats().state));
    const stats = await page.evaluate(() => window.aisle.stats());
    assert.equal(stats.state, 'ready', `the engine runs: ${stats.error}`);
    assert.equal(stats.thread, 'worker', 'the engine runs off the main thread');
    assert.deepEqual([stats.worker, stats.sharedFailures], ['shared', 0], 'a shared worker, under the same policy as a dedicated one');
    assert.equal(stats.tracked, 1, 'the gtag snippet\'s view_item');
    await rendered(page, 'product');
    await rendered(page, 'home');
    for (const l of await lists(page)) assert.ok(!l.hidden && l.ids.length > 0 && l.mode !== 'fallback', JSON.stringify(l));
    // The element's own styles apply: a grid of bordered cards, images no wider than a card.
    const styled = await page.evaluate(() => {
      const root = document.getElementById('picked').shadowRoot;
      const card = root.querySelector('section li');
      return { list: getComputedStyle(root.querySelector('section ul')).display, radius: getComputedStyle(card).borderTopLeftRadius,
               wide: [...root.querySelectorAll('img')].some((i) => i.getBoundingClientRect().width > card.getBoundingClientRect().width) };
    });
    assert.deepEqual(styled, { list: 'grid', radius: '8px', wide: false });
    await page.click('#add'); // the store's gtag add_to_cart: tracked, lists re-rendered
    await page.waitForFunction(() => window.aisle.stats().tracked === 2);
    await nextFrame(page);
    await nextFrame(page);
    const second = await context.newPage(); // a second tab of the store joins the engine, under the same policy
    await second.addInitScript(() => {
      window.violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
    });
    await second.goto(`${fixture}store/`);
    await second.waitForFunction(() => ['ready', 'failed'].includes(window.aisle?.stats().state));
    assert.deepEqual(await second.evaluate(() => [window.aisle.stats().state, window.aisle.stats().worker, window.aisle.stats().joined]), ['ready', 'shared', true]);
    await rendered(second, 'home');
    assert.deepEqual(await second.evaluate(() => window.violations), []);
    assert.deepEqual(await page.evaluate(() => window.violations), []);
    assert.deepEqual(pageErrors(logs), []);
    assert.deepEqual(warnings(logs), []);
  }],

  ['a policy that forbids the engine worker: the engine runs on the page instead, lists as usual', async ({ context, fixture, logs }) => {
    const strict = "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; require-trusted-types-for 'script'";
    for (const extra of ["worker-src 'none'", "trusted-types 'none'"]) {
      await context.route(`${fixture}store/`, async (route) => {
        const response = await route.fetch();
        route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': `${strict}; ${extra}` } });
      });
      const page = await context.newPage();
      await page.goto(`${fixture}store/`);
      await page.waitForFunction(() => ['ready', 'failed'].includes(window.aisle?.stats().state));
      const stats = await page.evaluate(() => window.aisle.stats());
      assert.deepEqual([stats.state, stats.thread], ['ready', 'page'], `${extra}: ${JSON.stringify(stats)}`);
      for (const l of [await rendered(page, 'product'), await rendered(page, 'home')]) assert.ok(l.ids.length > 0 && l.mode !== 'fallback');
      await page.close();
      await context.unrouteAll();
    }
    assert.deepEqual(pageErrors(logs).filter((l) => !/violates the following Content Security Policy directive/i.test(l.text)), []);
  }],

  ['no layout shift: the element reserves its space from limit (desktop and phone, ready, late and failed engines)', async ({ context, fixture }) => {
    const states = [
      ['desktop', { width: 1280, height: 900 }, null],
      ['phone', { width: 375, height: 667 }, null],
      ['phone, scrolled to the lists before the engine is ready', { width: 375, height: 667 }, 'late'],
      ['phone, the engine fails', { width: 375, height: 667 }, 'fail'],
    ];
    for (const [what, viewport, engine] of states) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      await page.addInitScript(() => {
        window.shifts = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) window.shifts.push(e.value);
        }).observe({ type: 'layout-shift', buffered: true });
        window.heights = { also: [], picked: [] }; // the height of each element's content as the page lays it out
        customElements.whenDefined('aisle-recs').then(() => {
          const sizes = new ResizeObserver((entries) => {
            for (const e of entries) window.heights[e.target.getRootNode().host.id].push(Math.round(e.contentRect.height));
          });
          for (const id of Object.keys(window.heights)) sizes.observe(document.getElementById(id).shadowRoot.firstElementChild);
        });
      });
      let release;
      const held = new Promise((r) => { release = r; });
      if (engine) {
        await page.route('**/aisle_engine.wasm', async (route) => {
          await held;
          return engine === 'fail' ? route.abort() : route.continue();
        });
      }
      await page.goto(`${fixture}store/`);
      if (engine) {
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 300))));
        await page.evaluate(() => document.getElementById('picked').scrollIntoView());
        await nextFrame(page);
        release();
      }
      await page.waitForFunction(() => ['ready', 'failed'].includes(window.aisle.stats().state));
      await page.evaluate(() => document.getElementById('picked').scrollIntoView());
      if (engine !== 'fail') await rendered(page, 'home');
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 300))));
      // The element holds its height from the start (a skeleton of `limit` cards), whatever comes...
      const heights = await page.evaluate(() => window.heights);
      for (const [id, h] of Object.entries(heights)) assert.equal(new Set(h).size, 1, `${what}: #${id} heights ${h}`);
      // ...and the theme's min-height (docs/storefront.md) covers the moment before aisle.js runs.
      assert.deepEqual(await page.evaluate(() => window.shifts), [], `${what}: layout shifts`);
      await page.close();
    }
  }, { dedicated: true }], // its engine downloads are routed or counted (run.mjs, NO_SHARED_WORKER)

  ['the space held follows the theme: the demo store\'s ::part(heading) sizes the skeleton as it sizes the list', async ({ context, site }) => {
    let release;
    const held = new Promise((r) => { release = r; });
    await context.route('**/lists/*/*.json', async (route) => { await held; return route.continue(); });
    const page = await context.newPage();
    await page.goto(`${site}product.html?id=SKU-1-1`);
    const height = () => page.evaluate(() => document.querySelector('aisle-recs').getBoundingClientRect().height);
    await page.waitForFunction(() => document.querySelector('aisle-recs')?.shadowRoot.querySelector('.reserve li'));
    const skeleton = await height();
    release();
    await rendered(page, 'product', 'any');
    assert.equal(await height(), skeleton, 'the list takes the space held for it');
  }],

  ['keyboard focus: a visible ring on the card, kept on the same item across re-renders', async ({ context, fixture }) => {
    const page = await context.newPage();
    await page.goto(`${fixture}store/`);
    await rendered(page, 'product');
    const card = async () => page.evaluate(() => {
      const r = document.getElementById('also').shadowRoot.querySelector('section li').getBoundingClientRect();
      return { x: r.x - 6, y: r.y - 6, width: r.width + 12, height: r.height + 12 };
    });
    const before = await page.screenshot({ clip: await card() });
    await page.focus('#add');
    await page.keyboard.press('Tab'); // the first card's link
    const focused = () => page.evaluate(() => {
      const root = document.getElementById('also').shadowRoot;
      const a = root.activeElement;
      return { inside: document.activeElement.id, id: a?.dataset.index ? document.getElementById('also').items[Number(a.dataset.index)].id : null,
               ring: a ? a.matches(':focus-visible') : false };
    });
    const first = await focused();
    assert.equal(first.inside, 'also');
    assert.ok(first.ring);
    const after = await page.screenshot({ clip: await card() });
    assert.notDeepEqual(after, before, 'the focus ring changes pixels around the card');
    await page.evaluate(() => document.dispatchEvent(new CustomEvent('aisle:update'))); // a re-render
    await nextFrame(page);
    await nextFrame(page);
    assert.deepEqual(await focused(), first, 'focus stays on the same item');
    await page.evaluate(() => window.gtag('event', 'add_to_cart', { items: [{ item_id: 'OK-2' }] })); // a new list
    await nextFrame(page);
    await nextFrame(page);
    const moved = await focused();
    assert.equal(moved.inside, 'also', 'focus stays in the list');
    const ids = (await lists(page)).find((l) => l.id === 'also').ids;
    if (ids.includes(first.id)) assert.equal(moved.id, first.id);
  }],

  ['the loader included twice runs one engine; a replaced dataLayer is still heard', async ({ context, fixture, logs }) => {
    const requests = [];
    context.on('request', (r) => requests.push(new URL(r.url()).pathname));
    const page = await context.newPage();
    await page.goto(`${fixture}twice.html`);
    await rendered(page, 'home');
    const same = await page.evaluate(async () => {
      const [a, b] = await Promise.all([import('./aisle/aisle.js'), import('./aisle/aisle.js?v=2')]);
      return a.aisle === b.aisle && a.track === b.track && a.start === b.start && window.aisle === a.aisle;
    });
    assert.ok(same, 'both copies give the one loader');
    assert.equal(requests.filter((p) => p.endsWith('/fixture.snap')).length, 1, 'one snapshot download');
    assert.equal(requests.filter((p) => p.endsWith('/aisle_engine.wasm')).length, 1, 'one engine');
    const tracked = await page.evaluate(() => {
      window.dataLayer.push({ event: 'view_item', ecommerce: { items: [{ item_id: 'OK-1' }] } });
      const once = window.aisle.stats().tracked;
      window.dataLayer = []; // a tag manager snippet that assigns instead of appending
      window.dataLayer.push({ event: 'add_to_cart', ecommerce: { items: [{ item_id: 'OK-2' }] } });
      const gtag = function () { window.dataLayer.push(arguments); };
      gtag('event', 'view_item', { items: [{ item_id: 'OK-2' }] });
      return [once, window.aisle.stats().tracked, window.dataLayer.length];
    });
    assert.deepEqual(tracked, [1, 3, 2], 'each event once, on the old and the new dataLayer');
    assert.deepEqual(pageErrors(logs), []);
    assert.deepEqual(warnings(logs), []);
  }, { dedicated: true }], // its engine downloads are routed or counted (run.mjs, NO_SHARED_WORKER)

  ['a card link is named by its title; the element\'s card styles stay out of a theme\'s template', async ({ context, fixture }) => {
    const page = await context.newPage();
    await page.goto(`${fixture}widget.html`);
    await rendered(page, 'home');
    assert.ok(await page.locator('#plain').getByRole('link', { name: 'Teapot', exact: true }).count() === 1, 'the link\'s name is the title alone');
    const themed = await page.evaluate(() => {
      const a = document.getElementById('themed').shadowRoot.querySelector('.theme-link');
      const li = a.closest('li');
      return { link: getComputedStyle(a).display, border: getComputedStyle(li).borderTopStyle };
    });
    assert.deepEqual(themed, { link: 'inline', border: 'none' });
  }],

  ['experiments: the holdout sees no list, a variant its rules; the arm tags every push', async ({ context, fixture }) => {
    const page = await context.newPage();
    await context.route('**/fixture.snap', async (route) => route.fulfill({
      body: await (await page.request.get(`${fixture}fixture-holdout.snap`)).body() }));
    await page.goto(`${fixture}widget.html`);
    await page.waitForFunction(() => window.aisle.stats().state === 'ready');
    await nextFrame(page);
    await nextFrame(page);
    assert.ok((await lists(page)).filter((l) => l.id !== 'below').every((l) => l.hidden && l.ids.length === 0), 'nothing shown');
    assert.deepEqual(await dataLayer(page, 'view_item_list'), []);
    const exposure = await dataLayer(page, 'aisle_exposure');
    assert.equal(exposure.length, 1);
    // Analytics names the arm by id (docs/privacy.md): public_id('widget-test'), public_id('engine').
    assert.deepEqual([exposure[0].aisle_experiment, exposure[0].aisle_variant], ['xbd9bb4da', 'holdout']);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem(aisleKey()) ?? '{}'));
    await page.reload(); // the same visit: no second exposure event
    await page.waitForFunction(() => window.aisle.stats().state === 'ready');
    assert.equal((await dataLayer(page, 'aisle_exposure')).length, 0);
    // A new visit on a page whose widget comes after the loader's idle start: the holdout's
    // engine starts all the same, for its exposure (the report's only count of the holdout).
    await page.evaluate(() => window.aisle.endVisit());
    await context.route(`${fixture}late.html`, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html>
      <script type="module" src="aisle/aisle.js" data-snapshot="fixture.snap"></script>
      <script>setTimeout(() => document.body.insertAdjacentHTML('beforeend', '<aisle-recs placement="home" limit="4"></aisle-recs>'), 600);</script>` }));
    await page.goto(`${fixture}late.html`);
    await page.waitForFunction(() => window.aisle.stats().state === 'ready', null, { timeout: 5000 })
      .catch(() => assert.fail('the holdout\'s engine started on a page whose widget came late'));
    assert.equal((await dataLayer(page, 'aisle_exposure')).length, 1, 'the new visit\'s exposure');
    await page.goto(`${fixture}widget.html`);
    assert.match(stored.visitor ?? (await page.evaluate(() => JSON.parse(localStorage.getItem(aisleKey())).visitor)), /^[0-9a-f]{32}$/);
    await context.unroute('**/fixture.snap');
    await context.route('**/fixture.snap', async (route) => route.fulfill({
      body: await (await page.request.get(`${fixture}fixture-variant.snap`)).body() }));
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    const plain = await rendered(page, 'home');
    assert.equal(plain.ids[0], 'OK-2', 'the variant pins OK-2');
    const view = (await reported(page))[0];
    assert.deepEqual([view.aisle_experiment, view.aisle_variant, view.aisle_placement], ['xbd9bb4da', 'x3dacd07f', 'home']);
    assert.equal(view.ecommerce.items[0].aisle_reason, 'pinned');
    assert.deepEqual((await page.evaluate(() => window.aisle.stats().experiments)).map((a) => a.variant), ['x3dacd07f']);
  }, { dedicated: true }], // its engine downloads are routed or counted (run.mjs, NO_SHARED_WORKER)

  ['a widget renders only once it becomes visible', async ({ context, fixture }) => {
    const page = await context.newPage();
    await page.goto(`${fixture}widget.html`);
    await rendered(page, 'home');
    const before = (await lists(page)).find((l) => l.id === 'below');
    assert.equal(before.ids.length, 0, 'not rendered below the fold');
    await page.evaluate(() => document.getElementById('below').scrollIntoView());
    await page.waitForFunction(() => document.getElementById('below').shadowRoot.querySelectorAll('[data-index]').length > 0);
  }],

  ['a failed snapshot download: the page list stays, with one warning and no error; without page lists, the fallback list', async ({ context, site, logs }) => {
    await context.route(SNAPSHOTS, (route) => route.abort());
    const page = await context.newPage();
    await page.goto(site);
    const fallback = await (await page.request.get(`${site}fallback.json`)).json();
    await page.waitForFunction(() => window.aisle.stats().state === 'failed');
    const shown = await rendered(page, 'home', 'page');
    assert.equal(shown.mode, 'standard');
    assert.deepEqual(pageErrors(logs), []);
    assert.equal(warnings(logs).length, 1, JSON.stringify(logs));
    await context.route('**/lists/*/*.json', (route) => route.abort());
    await page.reload();
    await page.waitForFunction(() => document.querySelector('aisle-recs')?.shadowRoot.querySelector('section').dataset.mode === 'fallback');
    const [home] = await lists(page);
    assert.deepEqual(home.ids, fallback.items.slice(0, 8).map((i) => i.id));
    const views = await reported(page);
    assert.equal(views[0].ecommerce.item_list_id, 'aisle_fallback');
    assert.deepEqual(pageErrors(logs), []);
  }, { dedicated: true }], // its engine downloads are routed or counted (run.mjs, NO_SHARED_WORKER)

  ['the engine failing before the widget shows a list: the page list that comes next stays, a later fallback list does not replace it', async ({ context, site, logs }) => {
    await context.route(SNAPSHOTS, (route) => route.abort());
    const gate = () => {
      let open;
      const opened = new Promise((r) => (open = r));
      return { open, opened };
    };
    const list = gate(); // the page list file, held until the engine has failed
    const fallback = gate(); // the fallback list, held until the page list is shown
    await context.route('**/lists/*/*.json', async (route) => { await list.opened; route.continue(); });
    await context.route('**/fallback.json', async (route) => { await fallback.opened; route.continue(); });
    // The engine starts (and fails) before the widget shows anything, as the loader's idle
    // start may when the widget is slow to become visible. The demo's widgets come after its
    // catalog, held until then; the loader is async, so it is started once it has run.
    const catalog = gate();
    await context.route('**/catalog.tsv', async (route) => { await catalog.opened; route.continue(); });
    const page = await context.newPage();
    await page.goto(site, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => !!window.aisle, null, { polling: 50 });
    await page.evaluate(() => window.aisle.start());
    await page.waitForFunction(() => window.aisle.stats().state === 'failed');
    catalog.open();
    list.open();
    await rendered(page, 'home', 'page');
    const answered = page.waitForResponse('**/fallback.json');
    fallback.open();
    await answered;
    await nextFrame(page);
    await nextFrame(page);
    assert.equal(await page.$eval('aisle-recs[placement=home]', (e) => e.shadowRoot.querySelector('section').dataset.source), 'page');
    assert.deepEqual(pageErrors(logs), []);
  }, { dedicated: true }], // its engine downloads are routed (run.mjs, NO_SHARED_WORKER)

  ['published lists: the first list is painted from the page list before the engine, which then gives the same list', async ({ context, site, logs }) => {
    const requests = [];
    context.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await context.route('**/aisle_engine.wasm', async (route) => { // the engine arrives late
      await new Promise((r) => setTimeout(r, 1500));
      route.continue();
    });
    const page = await context.newPage();
    await page.goto(`${site}product.html?id=SKU-1-1`);
    const first = await rendered(page, 'product', 'page');
    assert.equal(await page.evaluate(() => window.aisle.stats().state), 'loading', 'painted before the engine ran');
    const before = requests.slice(0, requests.findIndex((p) => p.includes('/lists/')) + 1);
    assert.ok(!before.some((p) => /\.(wasm|snap)$/.test(p)), `nothing of the engine before the page list: ${before}`);
    const engine = await rendered(page, 'product');
    assert.deepEqual(first.ids, engine.ids, 'the page list is the engine\'s list for a fresh visit on this page');
    assert.ok((await page.evaluate(() => window.aisle.stats())).pageLists > 0);
    assert.deepEqual(pageErrors(logs), []);
  }, { dedicated: true }], // its engine downloads are routed or counted (run.mjs, NO_SHARED_WORKER)

  ['shards: a page downloads the head and its items\' shards, not the whole snapshot; a missing or a corrupt shard leaves its item to the head, with a warning and no error', async ({ context, site, logs }) => {
    const requests = [];
    context.on('request', (r) => requests.push(new URL(r.url()).pathname));
    const manifest = await (await context.request.get(`${site}aisle/store/manifest.json`)).json();
    const shardOf = (id) => `/aisle/store/${manifest.shards}${fnv1a(`product:${id}`) % manifest.shard_files}.snap`;
    const page = await context.newPage();
    await page.goto(`${site}product.html?id=SKU-1-1`);
    await rendered(page, 'product');
    assert.ok(requests.includes(`/aisle/store/${manifest.head}`), `the head: ${requests}`);
    assert.ok(requests.includes(shardOf('SKU-1-1')), 'the product\'s shard');
    assert.ok(!requests.some((p) => p.includes('/snap/')), 'not the whole snapshot');
    const [missing, corrupt] = ['SKU-900', 'SKU-830'];
    assert.equal(new Set([shardOf('SKU-1-1'), shardOf(missing), shardOf(corrupt)]).size, 3, 'three shards');
    await context.route(`**${shardOf(missing)}`, (route) => route.fulfill({ status: 404 }));
    await context.route(`**${shardOf(corrupt)}`, async (route) => {
      const body = await (await route.fetch()).body();
      route.fulfill({ body: body.fill(7, 100, 200), contentType: 'application/octet-stream' });
    });
    const got = await page.evaluate(async (ids) => {
      const out = [];
      for (const id of ids) {
        window.aisle.track({ event: 'view_item', items: [{ item_id: id }] });
        out.push((await window.aisle.recommend('product', { item: id, limit: 4 })).items.map((i) => i.id));
      }
      return out;
    }, [missing, corrupt]);
    for (const ids of got) assert.ok(ids.length > 0, `a list from the head: ${JSON.stringify(got)}`);
    assert.ok(requests.includes(shardOf(missing)) && requests.includes(shardOf(corrupt)), 'both asked for');
    assert.equal(warnings(logs).filter((l) => /shard\(s\) left out/.test(l.text)).length, 2, JSON.stringify(warnings(logs)));
    assert.equal(await page.evaluate(() => window.aisle.stats().errors), 0);
    assert.deepEqual(pageErrors(logs), []);
  }, { dedicated: true }], // its engine downloads are routed or counted (run.mjs, NO_SHARED_WORKER)

  ['shards: a visit gets the same lists from the head and its shards as from the whole snapshot', async ({ context, site, logs }) => {
    const manifest = await (await context.request.get(`${site}aisle/store/manifest.json`)).json();
    const page = (snapshotAttr) => `<!doctype html><script type="module" src="aisle/aisle.js" ${snapshotAttr}></script><p>store</p>`;
    await context.route(`${site}sharded.html`, (route) => route.fulfill({ contentType: 'text/html', body: page('data-manifest="aisle/store/manifest.json"') }));
    await context.route(`${site}whole.html`, (route) => route.fulfill({ contentType: 'text/html', body: page(`data-snapshot="aisle/store/${manifest.snapshot}"`) }));
    const visit = async (url) => {
      const p = await context.newPage();
      await p.goto(`${site}${url}`);
      return p.evaluate(async () => {
        const t = Date.UTC(2026, 10, 2, 10);
        const steps = [['view_item', 'SKU-1-1'], ['view_item', 'SKU-830'], ['view_item', 'SKU-831'], ['add_to_cart', 'SKU-831'], ['view_item', 'SKU-900'], ['purchase', 'SKU-831']];
        const out = [];
        for (const [n, [event, id]] of steps.entries()) {
          window.aisle.track({ event, timestamp: t + n * 60000, items: [{ item_id: id }] });
          for (const placement of ['product', 'cart', 'home', 'post_purchase', 'next_item']) {
            const list = await window.aisle.recommend(placement, { item: id, limit: 6 });
            out.push(`${placement} ${id}: ${list.items.map((i) => `${i.id} ${i.score} ${i.reasons.map((r) => r.code)}`).join('; ')}`);
          }
        }
        return out;
      });
    };
    const sharded = await visit('sharded.html');
    const whole = await visit('whole.html');
    assert.equal(sharded.length, 30);
    assert.ok(sharded.filter((l) => / SKU-/.test(l)).length >= 25, `lists, not empty ones: ${sharded}`);
    assert.deepEqual(sharded, whole);
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['an async loader tag run before the page is parsed: the widget parsed after it is upgraded and shows its list, on a first and a later page of the visit', async ({ context, site, logs }) => {
    // The page's own classic script blocks the parser before the widget until the async
    // loader has run (docs/storefront.md recommends the tag async: its evaluation is then a
    // task of its own, not part of the document's end of parsing).
    let release;
    await context.route(`${site}slow.js`, async (route) => {
      await new Promise((r) => { release = r; });
      route.fulfill({ contentType: 'text/javascript', body: 'window.slowRan = true;' });
    });
    await context.route(`${site}async.html`, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html>
      <script>(window.dataLayer ||= []).push({ event: 'view_item', ecommerce: { items: [{ item_id: 'SKU-1-1' }] } });</script>
      <script type="module" async src="aisle/aisle.js" data-manifest="aisle/store/manifest.json"></script>
      <script src="slow.js"></script>
      <script>window.loaderFirst = !!window.aisle && !document.querySelector('aisle-recs');
        document.addEventListener('DOMContentLoaded', () => { window.stateAtDcl = window.aisle.stats().state; });</script>
      <div style="height: 300vh"></div>
      <aisle-recs placement="product" item="SKU-1-1" limit="6"></aisle-recs>` }));
    const page = await context.newPage();
    for (const visitPage of ['first', 'later']) {
      await page.goto(`${site}async.html`, { waitUntil: 'commit' });
      await page.waitForFunction(() => !!window.aisle, null, { timeout: 10000, polling: 50 }); // no frames while the parser waits
      while (!release) await new Promise((r) => setTimeout(r, 20)); // slow.js asked for, held
      release();
      release = undefined;
      await page.waitForFunction(() => window.slowRan);
      assert.equal(await page.evaluate(() => window.loaderFirst), true, `${visitPage} page: the loader ran before the widget was parsed`);
      await page.waitForFunction(() => window.stateAtDcl !== undefined);
      await page.evaluate(() => document.querySelector('aisle-recs').scrollIntoView());
      assert.ok((await rendered(page, 'product')).ids.length > 0, `${visitPage} page: the engine's list`);
      // A later page's engine starts once its widget is parsed (at DOMContentLoaded, in the
      // loader's listener before the page's), not at idle; a first page's at idle. (The widget
      // is below the fold until then: one in view without a list would start the engine as it
      // renders, which may come before DOMContentLoaded if the parser yields.)
      assert.equal(await page.evaluate(() => window.stateAtDcl === 'idle'), visitPage === 'first', `${visitPage} page: ${await page.evaluate(() => window.stateAtDcl)}`);
    }
    assert.ok(await page.evaluate(() => window.aisle.stats().visitEvents) > 1, 'the second page is a later page of the visit');
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['a widget below the fold: its page list is read as the page loads, shown from memory when scrolled to, and its engine starts', async ({ context, site, logs }) => {
    // The widget comes after the loader's idle start (as the demo's, after its catalog).
    await context.route(`${site}tall.html`, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html>
      <script type="module" src="aisle/aisle.js" data-manifest="aisle/store/manifest.json"></script>
      <div style="height: 300vh"></div>
      <script>setTimeout(() => document.body.insertAdjacentHTML('beforeend',
        '<aisle-recs placement="product" item="SKU-1-1" limit="6"></aisle-recs>'), 600);</script>` }));
    await context.route('**/aisle_engine.wasm', () => {}); // no engine: the page list is what shows
    const files = [];
    context.on('request', (r) => { if (r.url().includes('/lists/')) files.push(r.url()); });
    const page = await context.newPage();
    const read = page.waitForResponse((r) => r.url().includes('/lists/'), { timeout: 5000 });
    await page.goto(`${site}tall.html`);
    await read.catch(() => assert.fail('the list file, read before the widget is in view'));
    assert.equal(await page.$eval('aisle-recs', (e) => e.shadowRoot.querySelectorAll('[data-index]').length), 0, 'nothing rendered out of view');
    await scrollTo(page, 'aisle-recs');
    assert.ok((await rendered(page, 'product', 'page')).ids.length > 0);
    assert.equal(files.length, 1, 'no request when it came into view');
    await page.waitForFunction(() => window.aisle.stats().state === 'loading', null, { timeout: 5000 })
      .catch(() => assert.fail('the engine started once the page list showed'));
    assert.deepEqual(pageErrors(logs), []);
  }, { dedicated: true }], // its engine downloads are routed (run.mjs, NO_SHARED_WORKER)

  ['the next page ahead: a listed item\'s page shows, before its engine is up, the list that engine gives; not for another visitor or after another event', async ({ context, site, logs }) => {
    const page = await context.newPage();
    // The lists the page computed ahead, once they are newer than `before` (another state's).
    const ahead = async (before = null) => (await page.waitForFunction((b) => {
      const a = JSON.parse(sessionStorage.getItem(`${aisleKey()}:ahead`));
      return a && JSON.stringify(a.seen) !== JSON.stringify(b?.seen) && a;
    }, before)).jsonValue();
    await page.goto(`${site}product.html?id=SKU-1-1`);
    const product = await rendered(page, 'product');
    const one = await ahead();
    assert.ok(product.ids.every((id) => Object.hasOwn(one.lists, id)), 'each item the list shows, looked ahead');
    let release;
    const held = new Promise((r) => { release = r; });
    await context.route('**/aisle_engine.wasm', async (route) => { // the next page's engine waits
      await held;
      route.continue();
    });
    await context.route('**/catalog.tsv', async (route) => { // the page's widget comes after the loader's idle start
      await new Promise((r) => setTimeout(r, 500));
      route.continue();
    });
    await page.locator('aisle-recs[placement=product] a[data-index="0"]').click();
    await page.waitForURL(new RegExp(`id=${product.ids[0]}$`));
    const first = await rendered(page, 'product', 'any');
    assert.equal(first.source, 'ahead', 'the list computed ahead, first');
    assert.notEqual(await page.evaluate(() => window.aisle.stats().state), 'ready', 'painted before the engine ran');
    assert.ok(!first.ids.includes(product.ids[0]), 'never the product on the page');
    release();
    const engine = await rendered(page, 'product');
    assert.deepEqual(first.ids, engine.ids, 'the list this page\'s engine gives');
    // Another visitor's lists (a tab of a shopper who was forgotten since): not shown.
    const two = await ahead(one);
    assert.ok(two.k === 6 && Object.hasOwn(two.lists, engine.ids[0]), 'this page\'s lists ahead, for its widget of 6');
    await page.evaluate((a) => sessionStorage.setItem(`${aisleKey()}:ahead`, JSON.stringify({ ...a, visitor: 'f'.repeat(32) })), two);
    await page.locator('aisle-recs[placement=product] a[data-index="0"]').click();
    await page.waitForURL(new RegExp(`id=${engine.ids[0]}$`));
    assert.equal((await rendered(page, 'product', 'any')).source, 'page');
    // A visit that went on since (an add to cart on a page without a list): not shown either.
    const three = await ahead(two);
    await page.goto(`${site}checkout.html`);
    await page.waitForSelector('#place-order'); // the page's own catalog read (leaving it sooner fails its fetch)
    await page.evaluate(() => window.aisle.track({ event: 'add_to_cart', items: [{ item_id: 'SKU-900' }] }));
    const next = Object.keys(three.lists)[0];
    await page.goto(`${site}product.html?id=${next}`);
    assert.equal((await rendered(page, 'product', 'any')).source, 'page');
    assert.equal(await page.evaluate(() => window.aisle.stats().aheadLists), 0);
    // Nor after a view of another product (on a page without a list, where nothing looks ahead again).
    await rendered(page, 'product');
    const four = await ahead(three);
    const [to, other] = Object.keys(four.lists);
    await page.goto(`${site}checkout.html`);
    await page.waitForSelector('#place-order');
    await page.evaluate((id) => window.aisle.track({ event: 'view_item', items: [{ item_id: id }] }), other);
    await page.goto(`${site}product.html?id=${to}`);
    assert.equal((await rendered(page, 'product', 'any')).source, 'page');
    assert.deepEqual(pageErrors(logs), []);
  }, { dedicated: true }], // the engine of each page is its own (run.mjs, NO_SHARED_WORKER)

  ['the next page ahead from the store\'s own list: a category grid\'s item (view_item_list, select_item) opens with the list its engine gives', async ({ context, site, logs }) => {
    const page = await context.newPage();
    const record = () => page.evaluate(() => JSON.parse(sessionStorage.getItem(`${aisleKey()}:ahead`)));
    await page.goto(`${site}product.html?id=SKU-1-1`);
    await rendered(page, 'product');
    await page.waitForFunction(() => sessionStorage.getItem(`${aisleKey()}:ahead`));
    const before = await record(); // the product page's lists ahead
    await page.locator('.crumbs a').last().click(); // the product's category page: a grid of 24 and a widget
    const shown = (await rendered(page, 'category')).ids;
    const grid = await page.$$eval('ul.grid a', (as) => as.map((a) => new URL(a.href).searchParams.get('id')));
    const target = grid.find((id) => !shown.includes(id) && !Object.hasOwn(before.lists, id));
    assert.ok(target, 'a grid item neither the widget nor the page before looked ahead');
    await page.waitForFunction((id) => Object.hasOwn(JSON.parse(sessionStorage.getItem(`${aisleKey()}:ahead`))?.lists ?? {}, id), target);
    // The store's GA4 tagging reports the click on its grid (select_item) as the page leaves.
    await page.evaluate((id) => document.querySelector(`ul.grid a[href$="id=${id}"]`).addEventListener('click', () =>
      window.dataLayer.push({ event: 'select_item', ecommerce: { item_list_name: 'grid', items: [{ item_id: id }] } })), target);
    let release;
    const held = new Promise((r) => { release = r; });
    await context.route('**/aisle_engine.wasm', async (route) => { // the next page's engine waits
      await held;
      route.continue();
    });
    await page.locator(`ul.grid a[href$="id=${target}"]`).click();
    await page.waitForURL(new RegExp(`id=${target}$`));
    const first = await rendered(page, 'product', 'any');
    assert.equal(first.source, 'ahead', 'the list computed ahead, first');
    release();
    assert.deepEqual((await rendered(page, 'product')).ids, first.ids, 'the list this page\'s engine gives');
    assert.deepEqual(pageErrors(logs), []);
  }, { dedicated: true }], // the engine of each page is its own (run.mjs, NO_SHARED_WORKER)

  ['a missing or corrupt page list file: one warning, the engine\'s list, no error', async ({ context, site, logs }) => {
    for (const bad of [(route) => route.fulfill({ status: 404, body: 'not found' }),
      (route) => route.fulfill({ body: '{"v":1,"build":"0000000000000000","file":0,"items":{},"lists":{}}', contentType: 'application/json' }),
      (route) => route.fulfill({ body: '{"v":1,"items":', contentType: 'application/json' })]) {
      await context.route('**/lists/*/*.json', bad);
      const page = await context.newPage();
      await page.goto(`${site}product.html?id=SKU-1-1`);
      const shown = await rendered(page, 'product');
      assert.ok(shown.ids.length > 0 && shown.mode !== 'fallback');
      assert.equal(warnings(logs).filter((l) => l.text.includes('list file')).length, 1, JSON.stringify(logs));
      await page.close();
      await context.unrouteAll();
      logs.length = 0;
    }
  }],

  ['a failed engine download shows the theme markup when there is no fallback list', async ({ context, fixture, logs }) => {
    await context.route('**/aisle_engine.wasm', (route) => route.abort());
    const page = await context.newPage();
    await page.goto(`${fixture}widget.html`);
    await page.waitForFunction(() => !document.getElementById('with-markup').shadowRoot.querySelector('slot').hidden);
    assert.ok(await page.isVisible('#theme-fallback'));
    assert.equal((await page.evaluate(() => window.aisle.stats())).state, 'failed');
    assert.deepEqual(pageErrors(logs), []);
    assert.equal(warnings(logs).length, 1, JSON.stringify(logs));
  }, { dedicated: true }], // its engine downloads are routed or counted (run.mjs, NO_SHARED_WORKER)

  ['the snapshot is cached: a failed or corrupt download keeps it; a new manifest mid-visit brings the next build', async ({ context, site }) => {
    const page = await context.newPage();
    const snapshot = () => page.evaluate(() => window.aisle.stats().snapshot);
    const reload = async (url = null) => {
      await (url ? page.goto(url) : page.reload());
      await page.waitForFunction(() => ['ready', 'failed'].includes(window.aisle.stats().state));
    };
    await reload(`${site}product.html?id=SKU-1-1`);
    const first = await snapshot();
    assert.equal(first.source, 'network');
    await context.route(SNAPSHOTS, (route) => route.abort());
    await reload();
    assert.deepEqual(await snapshot(), { source: 'cache', checksum: first.checksum });
    await context.unrouteAll();
    // A corrupt download (or other bytes under the manifest's name) is refused like a failed one.
    await context.route(SNAPSHOTS, async (route) => {
      const body = await (await route.fetch()).body();
      route.fulfill({ body: body.fill(7, 100, 200), contentType: 'application/octet-stream' });
    });
    await reload();
    assert.deepEqual(await snapshot(), { source: 'cache', checksum: first.checksum });
    await context.unrouteAll();
    // The shop publishes its next build mid-visit: the next page reads the new manifest, its
    // lists and its snapshot; the visit goes on.
    const next = await (await page.request.get(`${site}aisle/store/manifest-next.json`)).json();
    await context.route('**/aisle/store/manifest.json', (route) => route.fulfill({ json: next }));
    await reload(`${site}product.html?id=SKU-900`);
    const third = await snapshot();
    assert.deepEqual(third, { source: 'network', checksum: next.snapshot_checksum });
    assert.notEqual(third.checksum, first.checksum);
    await rendered(page, 'product');
    assert.ok((await page.evaluate(() => window.aisle.stats())).visitEvents >= 2, 'the visit is kept across builds');
    await context.route(SNAPSHOTS, (route) => route.abort());
    await reload();
    assert.deepEqual(await snapshot(), { source: 'cache', checksum: third.checksum });
  }, { dedicated: true }], // its engine downloads are routed or counted (run.mjs, NO_SHARED_WORKER)

  ['a corrupt or foreign stored profile is reset', async ({ context, site, logs }) => {
    // Between visits a page without aisle that fetches nothing (the demo's snapshot.html fetches,
    // and leaving it mid-fetch is a page error of its own).
    const page = await context.newPage();
    await page.goto(`${site}fallback.json`);
    for (const bad of ['{not json', '{"v":2,"profile":""}', JSON.stringify({ v: 1, profile: '{"v":99}', snap: 0, visit: { last: 0, src: {}, events: [] } }),
      JSON.stringify({ v: 1, profile: '', snap: 0, visit: { last: 0, src: {}, events: [{ event: 'view_item' }] } })]) {
      await page.evaluate((b) => localStorage.setItem(aisleKey(), b), bad);
      await page.goto(`${site}product.html?id=SKU-1-1`);
      await rendered(page, 'product');
      const stats = await page.evaluate(() => window.aisle.stats());
      assert.equal(stats.resets, 1, `reset once for ${bad}`);
      await page.waitForFunction(() => JSON.parse(localStorage.getItem(aisleKey()))?.visit.events.length === 1);
      const stored = await page.evaluate(() => JSON.parse(localStorage.getItem(aisleKey())));
      assert.equal(stored.v, 1);
      await page.goto(`${site}fallback.json`);
    }
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['a malformed stored record never breaks the checkout: it is reset, counted and not written back', async ({ context, site, logs }) => {
    const page = await context.newPage();
    const elsewhere = `${site}fallback.json`; // a page without aisle: nothing rewrites the record
    await page.goto(elsewhere);
    const now = await page.evaluate(() => Date.now());
    const view = { event: 'view_item', timestamp: now, items: [{ item_id: 'SKU-1-1' }] };
    const good = { v: 1, visitor: 'ab'.repeat(16), profile: '', snap: 0, experiments: [],
                   visit: { last: now, src: { source: '', medium: '', referrer: '' }, events: [view] } };
    const visit = (v) => JSON.stringify({ ...good, visit: { ...good.visit, ...v } });
    const bad = {
      'visit.src null': visit({ src: null }),
      'a number as traffic source': visit({ src: { source: 7, medium: '', referrer: '' } }),
      'a string as visit.last': visit({ last: 'yesterday' }),
      'NaN timestamps (stored as null)': visit({ last: null, events: [{ ...view, timestamp: null }] }),
      'a timestamp far out of range': visit({ last: 1e308, events: [{ ...view, timestamp: 1e308 }] }),
      'a null experiment': JSON.stringify({ ...good, experiments: [null] }),
      'an experiments string': JSON.stringify({ ...good, experiments: 'all' }),
      'a profile of the wrong type': JSON.stringify({ ...good, profile: { visits: 1 } }),
      'a huge items array': visit({ events: [{ ...view, items: Array(20000).fill({ item_id: 'SKU-1-1' }) }] }),
      'a huge experiments array': JSON.stringify({ ...good, experiments: Array(20000).fill({ experiment: 'x', variant: 'y', holdout: false, show: 'nothing' }) }),
      'an item id of 100,000 characters': visit({ events: [{ ...view, items: [{ item_id: 'x'.repeat(100000) }] }] }),
      'a __proto__ key': visit({ src: JSON.parse('{"source":"","medium":"","referrer":"","__proto__":{"polluted":true}}') }),
      'a constructor key': JSON.stringify({ ...good, constructor: { prototype: { polluted: true } } }),
      'an array as the record': JSON.stringify([good]),
    };
    for (const [what, record] of Object.entries(bad)) {
      await page.evaluate((r) => {
        localStorage.setItem(aisleKey(), r);
        localStorage.setItem('demo-shop:cart', JSON.stringify([{ id: 'SKU-1-1', qty: 1 }]));
      }, record);
      await page.goto(`${site}checkout.html`);
      await page.waitForFunction(() => window.aisle && document.querySelector('#place-order'));
      const { resets } = await page.evaluate(() => window.aisle.stats());
      const kept = await page.evaluate(() => localStorage.getItem(aisleKey()));
      await page.click('#place-order');
      await page.waitForURL(/done=/, { timeout: 5000 }).catch(() => assert.fail(`"Place order" did not complete: ${what}`));
      assert.equal(resets, 1, `reset once: ${what}`);
      assert.notEqual(kept, record, `not kept: ${what}`);
      await page.waitForFunction(() => window.aisle?.stats().state === 'ready');
      const stored = await page.evaluate(() => JSON.parse(localStorage.getItem(aisleKey())));
      assert.ok(stored.visit.events.some((e) => e.event === 'purchase'), `the purchase is tracked after the reset: ${what}`);
      assert.equal(typeof stored.visit.src.source, 'string', what);
      assert.equal(await page.evaluate(() => ({}).polluted), undefined);
      await page.goto(elsewhere);
    }
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['whatever aisle throws, the store\'s own dataLayer pushes and gtag calls work', async ({ context, site, logs }) => {
    const page = await context.newPage();
    await page.goto(`${site}product.html?id=SKU-1-1`);
    await rendered(page, 'product');
    // Something aisle calls while handling a push fails.
    await page.evaluate(() => { document.dispatchEvent = () => { throw new TypeError('dispatchEvent is broken'); }; });
    await page.click('#add'); // the store's gtag('event', 'add_to_cart', ...)
    assert.equal(await page.textContent('.added'), 'Added to your cart.');
    assert.equal(await page.textContent('#cart-count'), '1');
    const pushed = await page.evaluate(() => {
      const entry = { event: 'add_to_cart', ecommerce: { items: [{ item_id: 'SKU-2' }] } };
      const n = window.dataLayer.push(entry);
      return { n, length: window.dataLayer.length, last: window.dataLayer.at(-1) === entry };
    });
    assert.deepEqual(pushed, { n: pushed.length, length: pushed.length, last: true }, 'push returns what Array.prototype.push returns');
    // A page object aisle cannot read.
    const hostile = await page.evaluate(() => {
      const entry = new Proxy({}, { get: () => { throw new Error('a getter of the page that throws'); } });
      return window.dataLayer.push(entry) === window.dataLayer.length;
    });
    assert.equal(hostile, true);
    // The page's own push still runs first, and its exceptions are still its own.
    const own = await page.evaluate(() => {
      const dl = window.dataLayer;
      const wrapped = dl.push;
      Object.defineProperty(dl, 'length', { writable: false }); // Array.prototype.push now throws
      try { wrapped.call(dl, { event: 'view_item' }); return 'no error'; } catch (e) { return e.constructor.name; }
    });
    assert.equal(own, 'TypeError');
    assert.ok((await page.evaluate(() => window.aisle.stats())).errors >= 2, 'counted as errors');
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['an engine exception is counted as an error, not as an ignored event', async ({ context, site, logs }) => {
    // The engine module as published, with a track() that faults as a wasm trap would.
    await context.route((url) => url.pathname.endsWith('/aisle_engine.mjs') && url.search === '', (route) => route.fulfill({
      contentType: 'text/javascript',
      body: `import real from './aisle_engine.mjs?real';
        export default async (options) => {
          const mod = await real(options);
          return { Engine: function Engine() {
            const engine = new mod.Engine();
            engine.track = () => { throw new WebAssembly.RuntimeError('unreachable'); };
            return engine;
          } };
        };` }));
    const page = await context.newPage();
    await page.goto(`${site}product.html?id=SKU-1-1`); // its view_item is replayed when the engine starts
    await rendered(page, 'product');
    const stats = await page.evaluate(async () => {
      window.aisle.track({ event: 'add_to_cart', items: [{ item_id: 'SKU-2' }] });
      window.aisle.track({ event: 'page_view' }); // not for aisle
      await window.aisle.recommend('cart'); // answered after every event before it
      return window.aisle.stats();
    });
    assert.deepEqual([stats.tracked, stats.ignored, stats.errors], [2, 1, 2], JSON.stringify(stats));
    assert.deepEqual(pageErrors(logs), []);
    assert.equal(warnings(logs).length, 1, 'one warning per page');
  }, { dedicated: true }], // its engine downloads are routed or counted (run.mjs, NO_SHARED_WORKER)

  ['a full localStorage is tolerated: counted, and the page keeps working', async ({ context, site, logs }) => {
    const page = await context.newPage();
    await page.goto(`${site}product.html?id=SKU-1-1`);
    const before = await rendered(page, 'product');
    await page.evaluate(() => { // fill to the last byte: big chunks, then smaller ones
      let i = 0;
      for (let size = 1 << 19; size >= 1; size >>= 2) {
        const chunk = 'x'.repeat(size);
        try { for (;;) localStorage.setItem(`fill-${i++}`, chunk); } catch { /* full at this size */ }
      }
    });
    await page.evaluate(() => window.aisle.track({ event: 'add_to_cart', items: [{ item_id: 'SKU-830' }] }));
    await page.waitForFunction(() => window.aisle.stats().storageErrors > 0);
    const after = (await lists(page)).find((l) => l.placement === 'product');
    assert.ok(after.ids.length > 0);
    assert.notDeepEqual(await page.evaluate(async () => (await window.aisle.recommend('cart', { limit: 4 })).items.length), 0);
    assert.ok(before.ids.length > 0);
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['two tabs keep every event of the visit: stored visits are merged, never overwritten', async ({ context, site }) => {
    const a = await context.newPage();
    const b = await context.newPage();
    await a.goto(`${site}product.html?id=SKU-1-1`);
    await rendered(a, 'product');
    await b.goto(`${site}product.html?id=SKU-900`); // a second tab, opened while the first runs
    await rendered(b, 'product');
    await a.click('#add'); // in the first tab
    await a.waitForFunction(() => JSON.parse(localStorage.getItem(aisleKey())).visit.events.some((e) => e.event === 'add_to_cart'));
    await b.evaluate(() => window.aisle.track({ event: 'view_item', items: [{ item_id: 'SKU-830' }] })); // then in the second
    const events = () => a.evaluate(() => JSON.parse(localStorage.getItem(aisleKey())).visit.events.map((e) => `${e.event} ${e.items?.[0]?.item_id}`));
    await b.waitForFunction(() => JSON.parse(localStorage.getItem(aisleKey())).visit.events.some((e) => e.items?.[0]?.item_id === 'SKU-830'));
    await b.close(); // pagehide writes the second tab's record once more
    const stored = await events();
    for (const e of ['view_item SKU-1-1', 'view_item SKU-900', 'add_to_cart SKU-1-1', 'view_item SKU-830']) {
      assert.ok(stored.includes(e), `${e} kept: ${stored}`);
    }
    // The first tab hears the second's events too: its engine knows the view of SKU-830.
    await a.waitForFunction(() => window.aisle.stats().visitEvents === 4);
    await a.evaluate(() => window.aisle.endVisit());
    assert.equal(await a.evaluate(() => JSON.parse(localStorage.getItem(aisleKey())).visit.events.length), 0, 'an ended visit is not merged back');
  }],

  ['two tabs opened at once (no stored record yet) join one visitor and keep both tabs\' events', async ({ context, site }) => {
    const [a, b] = [await context.newPage(), await context.newPage()];
    // Both loaders start before either has stored a record: each makes one of its own.
    await Promise.all([a.goto(`${site}product.html?id=SKU-1-1`), b.goto(`${site}product.html?id=SKU-900`)]);
    await Promise.all([rendered(a, 'product'), rendered(b, 'product')]);
    const stored = () => a.evaluate(() => JSON.parse(localStorage.getItem(aisleKey())));
    await a.waitForFunction(() => {
      const ids = JSON.parse(localStorage.getItem(aisleKey()) ?? 'null')?.visit.events.map((e) => e.items?.[0]?.item_id) ?? [];
      return ids.includes('SKU-1-1') && ids.includes('SKU-900');
    }, null, { timeout: 5000 }).catch(async () => assert.fail(`both tabs' views kept: ${JSON.stringify(await stored())} A ${JSON.stringify(await a.evaluate(() => window.aisle.stats()))} B ${JSON.stringify(await b.evaluate(() => window.aisle.stats()))}`));
    await b.evaluate(() => window.aisle.track({ event: 'view_item', items: [{ item_id: 'SKU-830' }] }));
    await a.evaluate(() => window.aisle.track({ event: 'view_item', items: [{ item_id: 'SKU-831' }] }));
    await b.close();
    await a.waitForFunction(() => JSON.parse(localStorage.getItem(aisleKey())).visit.events.length === 4);
    const ids = (await stored()).visit.events.map((e) => e.items[0].item_id).sort();
    assert.deepEqual(ids, ['SKU-1-1', 'SKU-830', 'SKU-831', 'SKU-900']);
  }],

  ['two tabs share one engine: the second joins it as it runs, and one tab\'s event is in the other\'s next list', async ({ context, site, logs }) => {
    const a = await openTab(context, `${site}product.html?id=SKU-1-1`, 'product');
    const b = await openTab(context, `${site}product.html?id=SKU-900`, 'product', () => {
      window.updates = [];
      document.addEventListener('aisle:update', (e) => window.updates.push(e.detail.event));
    });
    const [sa, sb] = [await a.evaluate(() => window.aisle.stats()), await b.evaluate(() => window.aisle.stats())];
    assert.deepEqual([sa.thread, sa.worker, sa.joined, sa.sharedFailures], ['worker', 'shared', false, 0], JSON.stringify(sa));
    assert.deepEqual([sb.thread, sb.worker, sb.joined, sb.sharedFailures], ['worker', 'shared', true, 0], 'the second tab joined the running engine');
    assert.deepEqual([a.workers().length, b.workers().length], [0, 0], 'no dedicated worker in either tab');
    assert.deepEqual(sb.snapshot, sa.snapshot);
    assert.deepEqual(sb.experiments, sa.experiments, 'one visitor, one experiment arm');
    // An event in the first tab is in the second tab's very next list: the engine is the same,
    // no storage round trip (the first tab stores its visit 200 ms later).
    const anchors = (list) => list.items.flatMap((i) => i.reasons.map((r) => r.anchor));
    const inA = await a.evaluate(async () => {
      window.aisle.track({ event: 'add_to_cart', items: [{ item_id: 'SKU-830' }] });
      return window.aisle.recommend('cart', { limit: 4 });
    });
    const inB = await b.evaluate(() => window.aisle.recommend('cart', { limit: 4 }));
    assert.ok(anchors(inA).includes('SKU-830'), JSON.stringify(anchors(inA)));
    assert.ok(anchors(inB).includes('SKU-830'), `the second tab's list knows the first tab's add to cart: ${JSON.stringify(anchors(inB))}`);
    assert.deepEqual(inB.items.map((i) => i.id), inA.items.map((i) => i.id));
    // ...and its widgets are told at once (they render in their next frame, when the tab shows).
    await b.waitForFunction(() => window.updates.includes('shared'), null, { timeout: 5000 });
    // Each tab keeps its own page: the second tab's product list is for its own product.
    const own = await b.evaluate(() => window.aisle.recommend('product', { item: 'SKU-900', limit: 6 }));
    assert.ok(own.items.length > 0 && !own.items.some((i) => i.id === 'SKU-900'));
    assert.equal(await b.getAttribute('aisle-recs[placement=product]', 'item'), 'SKU-900');
    // Both tabs' stored visit keeps every event once, the replays in the shared engine too.
    await a.waitForFunction(() => JSON.parse(localStorage.getItem(aisleKey())).visit.events.length === 3);
    assert.deepEqual(pageErrors(logs), []);
    assert.deepEqual(warnings(logs), []);
  }],

  ['consent withdrawn in a tab that shares the engine: that tab goes on in an engine of its own, the others hear nothing more from it', async ({ context, site, logs }) => {
    const a = await openTab(context, `${site}product.html?id=SKU-1-1`, 'product');
    const b = await openTab(context, `${site}product.html?id=SKU-900`, 'product');
    assert.deepEqual(await b.evaluate(() => [window.aisle.stats().worker, window.aisle.stats().joined]), ['shared', true]);
    const errors = await a.evaluate(() => window.aisle.stats().errors);
    // A list asked for as consent is withdrawn comes from the tab's own engine.
    const during = await a.evaluate(async () => {
      const asked = window.aisle.recommend('product', { item: 'SKU-1-1', limit: 4 });
      for (let i = 0; i < 5; i++) await null; // sent to the shared engine, not answered yet
      const explained = window.aisle.explain('SKU-900', { placement: 'product', item: 'SKU-1-1' }); // not sent yet
      window.aisle.consent(false);
      return [await asked, await explained];
    });
    assert.ok(during[0].items.length > 0, JSON.stringify(during[0]));
    assert.equal(typeof during[1].available, 'boolean', JSON.stringify(during[1]));
    await a.waitForFunction(() => window.aisle.stats().state === 'ready' && window.aisle.stats().worker === 'dedicated', null, { timeout: 10000 })
      .catch(async () => assert.fail(`a tab of its own: ${JSON.stringify(await a.evaluate(() => window.aisle.stats()))}`));
    assert.equal(a.workers().length, 1, 'a dedicated worker in the tab that withdrew');
    const anchors = (list) => list.items.flatMap((i) => i.reasons.map((r) => r.anchor)).filter((a) => a);
    // The tab's own engine replayed the visit so far: its home list is anchored on the products
    // viewed before the move -- this tab's, and the other tab's when this tab had stored it
    // (which of the two leads depends on when the tabs stored their visits).
    const home = await a.evaluate(() => window.aisle.recommend('home', { limit: 8 }));
    assert.ok(anchors(home).length > 0 && anchors(home).every((x) => x === 'SKU-1-1' || x === 'SKU-900'),
      `the visit replayed: ${JSON.stringify(anchors(home))}`);
    const inA = await a.evaluate(async () => {
      window.aisle.track({ event: 'add_to_cart', items: [{ item_id: 'SKU-830' }] });
      return window.aisle.recommend('cart', { limit: 4 });
    });
    assert.ok(anchors(inA).includes('SKU-830'), `the tab's own engine has its add to cart: ${JSON.stringify(anchors(inA))}`);
    const inB = await b.evaluate(() => window.aisle.recommend('cart', { limit: 4 }));
    assert.ok(!anchors(inB).includes('SKU-830'), `the shared engine never heard it: ${JSON.stringify(anchors(inB))}`);
    assert.deepEqual(await a.evaluate(() => [window.aisle.stats().joined, window.aisle.stats().sharedFailures]), [false, 0]);
    // The other tab's engine is untouched: its lists still come.
    assert.ok((await b.evaluate(() => window.aisle.recommend('home', { limit: 4 }))).items.length > 0);
    assert.equal(await a.evaluate(() => window.aisle.stats().errors), errors, 'moving engines is no error');
    assert.deepEqual(pageErrors(logs), []);
    assert.deepEqual(warnings(logs), []);
  }],

  ['closing the tab that started the shared engine leaves the other tabs working', async ({ context, site, logs }) => {
    const a = await openTab(context, `${site}product.html?id=SKU-1-1`);
    const b = await context.newPage();
    await b.goto(`${site}cart.html`);
    await rendered(b, 'cart');
    assert.equal(await b.evaluate(() => window.aisle.stats().joined), true);
    const before = await b.evaluate(() => window.aisle.recommend('cart', { limit: 4 }));
    await a.evaluate(() => { window.aisle.track({ event: 'view_item', items: [{ item_id: 'SKU-2' }] }); });
    await a.close(); // in the middle of its work: an event the engine has not answered yet
    const after = await b.evaluate(async () => {
      window.aisle.track({ event: 'add_to_cart', items: [{ item_id: 'SKU-830' }] });
      return window.aisle.recommend('cart', { limit: 4 });
    });
    assert.notDeepEqual(after.items.map((i) => i.id), before.items.map((i) => i.id));
    await b.waitForFunction((ids) => document.querySelector('aisle-recs[placement=cart]').items.map((i) => i.id).join() === ids.join(),
      after.items.map((i) => i.id), { timeout: 5000 });
    const c = await openTab(context, `${site}product.html?id=SKU-900`, 'product'); // a third tab joins the engine the first one started
    assert.deepEqual(await c.evaluate(() => [window.aisle.stats().worker, window.aisle.stats().joined]), ['shared', true]);
    await b.close();
    const last = await c.evaluate(() => window.aisle.recommend('home', { limit: 8 }));
    assert.ok(last.items.length > 0);
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['a tab on a new build gets its own engine; a tab still on the old build keeps its own', async ({ context, site, logs }) => {
    const a = await openTab(context, `${site}product.html?id=SKU-1-1`, 'product');
    const old = await a.evaluate(() => window.aisle.stats().snapshot);
    // The shop publishes its next build while the first tab is open; a second tab reads it.
    const next = await (await a.request.get(`${site}aisle/store/manifest-next.json`)).json();
    await context.route('**/aisle/store/manifest.json', (route) => route.fulfill({ json: next }));
    const b = await openTab(context, `${site}product.html?id=SKU-900`, 'product');
    const sb = await b.evaluate(() => window.aisle.stats());
    assert.deepEqual([sb.worker, sb.joined, sb.snapshot.checksum], ['shared', false, next.snapshot_checksum]);
    // The first tab still runs its build's engine, and still hears the visit (stored, then merged).
    await b.evaluate(() => window.aisle.track({ event: 'add_to_cart', items: [{ item_id: 'SKU-830' }] }));
    await a.waitForFunction(() => window.aisle.stats().visitEvents === 3, null, { timeout: 5000 });
    const inA = await a.evaluate(() => window.aisle.recommend('cart', { limit: 4 }));
    assert.ok(inA.items.length > 0 && inA.items.some((i) => i.reasons.some((r) => r.anchor === 'SKU-830')), JSON.stringify(inA.items.map((i) => i.reasons)));
    assert.deepEqual(await a.evaluate(() => window.aisle.stats().snapshot), old);
    // A third tab on the new build joins the second tab's engine.
    const c = await openTab(context, `${site}cart.html`);
    assert.deepEqual(await c.evaluate(() => [window.aisle.stats().joined, window.aisle.stats().snapshot.checksum]), [true, next.snapshot_checksum]);
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['without SharedWorker, or when it fails, a dedicated worker gives the same lists', async ({ context, site, logs }) => {
    // What a shopper sees on a product page, then on the cart page after adding a razor.
    const visit = async (init) => {
      const page = await context.newPage();
      if (init) await page.addInitScript(init);
      await page.goto(`${site}product.html?id=SKU-1-1`);
      const product = (await rendered(page, 'product')).ids;
      await page.waitForFunction(() => window.aisle.stats().state === 'ready');
      const cart = await page.evaluate(async () => {
        window.aisle.track({ event: 'add_to_cart', items: [{ item_id: 'SKU-830' }] });
        return (await window.aisle.recommend('cart', { limit: 4 })).items.map((i) => i.id);
      });
      const s = await page.evaluate(() => window.aisle.stats());
      const workers = page.workers().length;
      await page.close();
      const blank = await context.newPage(); // the next visit is a new visitor's (closing stored this one)
      await blank.goto(`${site}fallback.json`);
      await blank.evaluate(() => localStorage.clear());
      await blank.close();
      return { product, cart, stats: [s.state, s.thread, s.worker, s.joined, s.sharedFailures], workers };
    };
    const shared = await visit(null);
    assert.deepEqual([shared.stats, shared.workers], [['ready', 'worker', 'shared', false, 0], 0]);
    const missing = await visit(() => { delete window.SharedWorker; }); // a browser without it
    assert.deepEqual([missing.stats, missing.workers], [['ready', 'worker', 'dedicated', false, 0], 1]);
    assert.deepEqual([missing.product, missing.cart], [shared.product, shared.cart], 'the same lists');
    // A SharedWorker that throws, or whose script never runs (here a 404): counted, and the
    // dedicated worker takes over the messages waiting.
    for (const init of [() => { window.SharedWorker = function SharedWorker() { throw new Error('no shared workers here'); }; },
      () => { const Real = window.SharedWorker; window.SharedWorker = function SharedWorker(url, o) { return new Real('/no-such-worker.js', o); }; }]) {
      const broken = await visit(init);
      assert.deepEqual([broken.stats, broken.workers], [['ready', 'worker', 'dedicated', false, 1], 1], String(init));
      assert.deepEqual([broken.product, broken.cart], [shared.product, shared.cart], 'the same lists');
    }
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['a page without a widget starts no engine and joins none, even while another tab runs it', async ({ context, site }) => {
    await openTab(context, `${site}product.html?id=SKU-1-1`); // another tab runs the engine
    const requests = [];
    const b = await context.newPage();
    b.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await b.goto(`${site}checkout.html`); // no <aisle-recs> here
    await b.waitForSelector('#place-order');
    await b.evaluate(() => new Promise((r) => requestIdleCallback(() => setTimeout(r, 1000))));
    assert.deepEqual(requests.filter((p) => p.startsWith('/aisle/') && !/\/(aisle|aisle-recs|engine|record)\.js$/.test(p)), [],
      'nothing but the loader: no worker, no manifest, no list');
    const s = await b.evaluate(() => window.aisle.stats());
    assert.deepEqual([s.state, s.thread, s.worker, s.joined], ['idle', null, null, false]);
    assert.equal(b.workers().length, 0);
  }],

  ['forget() in one tab: the store\'s other open tab forgets that visitor too, and never writes them back', async ({ context, site, logs }) => {
    const a = await context.newPage();
    await a.goto(`${site}product.html?id=SKU-1-1`);
    await rendered(a, 'product');
    const stored = () => a.evaluate(() => JSON.parse(localStorage.getItem(aisleKey()) ?? 'null'));
    await a.waitForFunction(() => localStorage.getItem(aisleKey()) !== null);
    const first = (await stored()).visitor;
    const b = await context.newPage();
    await b.goto(`${site}product.html?id=SKU-900`);
    await rendered(b, 'product');
    await b.waitForFunction(() => JSON.parse(localStorage.getItem(aisleKey())).visit.events.length === 2);
    assert.equal((await stored()).visitor, first, 'one visitor in both tabs');
    await b.evaluate(() => window.aisle.forget()); // logout in the second tab
    // The first tab forgets them too: its next event is a new visitor's, and the forgotten one
    // never comes back (before the fix it wrote the visitor, their visit and profile, back).
    await a.waitForFunction(() => window.aisle.stats().visitEvents === 0);
    await a.evaluate(() => window.aisle.track({ event: 'view_item', items: [{ item_id: 'SKU-830' }] }));
    await a.waitForFunction(() => localStorage.getItem(aisleKey()) !== null);
    await a.evaluate(() => new Promise((r) => setTimeout(r, 500))); // past both tabs' write delay
    const after = await stored();
    assert.notEqual(after.visitor, first);
    assert.deepEqual(after.visit.events.map((e) => e.items[0].item_id), ['SKU-830'], `only what came after the forget: ${JSON.stringify(after)}`);
    assert.deepEqual(await a.evaluate(() => JSON.parse(localStorage.getItem('aisle:forgot'))), [first]);
    assert.equal(await a.evaluate(() => window.aisle.stats().visitEvents), 1);
    await b.evaluate(() => window.aisle.track({ event: 'view_item', items: [{ item_id: 'SKU-831' }] }));
    await a.waitForFunction(() => JSON.parse(localStorage.getItem(aisleKey())).visit.events.length === 2, null, { timeout: 5000 })
      .catch(async () => assert.fail(`both: ${JSON.stringify(await stored())} A ${JSON.stringify(await a.evaluate(() => window.aisle.stats()))} B ${JSON.stringify(await b.evaluate(() => window.aisle.stats()))}`));
    const both = await stored();
    assert.notEqual(both.visitor, first, 'the tabs join one new visitor');
    assert.deepEqual(both.visit.events.map((e) => e.items[0].item_id).sort(), ['SKU-830', 'SKU-831']);
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['four tabs opened at once keep one visitor and every tab\'s view in the stored record', async ({ context, site }) => {
    const ids = ['SKU-1-1', 'SKU-900', 'SKU-830', 'SKU-831'];
    const pages = await Promise.all(ids.map(() => context.newPage()));
    await Promise.all(pages.map((p, i) => p.goto(`${site}product.html?id=${ids[i]}`)));
    await Promise.all(pages.map((p) => rendered(p, 'product')));
    const stored = () => pages[0].evaluate(() => JSON.parse(localStorage.getItem(aisleKey())));
    await pages[0].waitForFunction((want) => {
      const got = JSON.parse(localStorage.getItem(aisleKey()) ?? 'null')?.visit.events.map((e) => e.items?.[0]?.item_id) ?? [];
      return want.every((id) => got.includes(id));
    }, ids, { timeout: 5000 }).catch(async () => assert.fail(`every tab's view kept: ${JSON.stringify((await stored())?.visit.events.map((e) => e.items?.[0]?.item_id))}`));
    // One visitor: an event from each tab now joins the same stored visit (a tab that kept
    // a visitor of its own would write its record over the others').
    const more = ['SKU-2-1', 'SKU-3-1', 'SKU-4-1', 'SKU-5-1'];
    await Promise.all(pages.map((p, i) => p.evaluate((id) => window.aisle.track({ event: 'view_item', items: [{ item_id: id }] }), more[i])));
    await pages[0].waitForFunction((n) => JSON.parse(localStorage.getItem(aisleKey())).visit.events.length === n, ids.length + more.length, { timeout: 5000 })
      .catch(async () => assert.fail(`every event kept: ${JSON.stringify((await stored()).visit.events.map((e) => e.items?.[0]?.item_id))}`));
    assert.deepEqual((await stored()).visit.events.map((e) => e.items[0].item_id).sort(), [...ids, ...more].sort());
  }],

  ['Back from the back/forward cache keeps every event: the restored page merges the stored visit before it writes', async ({ context, site }) => {
    await context.addInitScript(() => {
      window.pageshows = []; // persisted: the page came back from the back/forward cache, its memory as it was
      addEventListener('pageshow', (e) => window.pageshows.push(e.persisted));
    });
    // A page whose engine still fetches (shards, for the lists ahead) when the shopper leaves
    // is not kept in the back/forward cache: the test leaves once its fetches are done.
    const inFlight = new Set();
    context.on('request', (r) => { if (r.url().endsWith('.snap')) inFlight.add(r); });
    for (const done of ['requestfinished', 'requestfailed']) context.on(done, (r) => inFlight.delete(r));
    const quiet = async () => {
      for (let idle = 0; idle < 3;) {
        await new Promise((r) => setTimeout(r, 100));
        idle = inFlight.size ? 0 : idle + 1;
      }
    };
    const page = await context.newPage();
    const stored = () => page.evaluate(() => JSON.parse(localStorage.getItem(aisleKey())).visit.events.map((e) => `${e.event} ${e.items?.[0]?.item_id}`));
    await page.goto(`${site}product.html?id=SKU-1-1`); // a yoga mat
    await rendered(page, 'product');
    await quiet();
    await page.goto(`${site}product.html?id=SKU-758-1`); // a laptop, viewed and added to the cart
    const laptop = (await page.textContent('h1')).trim();
    await rendered(page, 'product');
    await page.click('#add');
    await page.waitForFunction(() => JSON.parse(localStorage.getItem(aisleKey())).visit.events.some((e) => e.event === 'add_to_cart'));
    const visit = ['view_item SKU-1-1', 'view_item SKU-758-1', 'add_to_cart SKU-758-1'];
    assert.deepEqual(await stored(), visit);
    await page.goBack({ waitUntil: 'commit' }); // a page restored from the cache fires no load event
    await page.waitForFunction(() => window.pageshows.length > 0 && document.readyState === 'complete');
    assert.deepEqual(await page.evaluate(() => window.pageshows), [false, true], 'Back restored the yoga mat page from the back/forward cache');
    // The restored page held the visit as it left it (the mat's view alone): it now has the
    // laptop's view and add-to-cart too, and so has its engine.
    await page.waitForFunction(() => window.aisle.stats().visitEvents === 3, null, { timeout: 5000 })
      .catch(async () => assert.fail(`the restored page knows ${await page.evaluate(() => window.aisle.stats().visitEvents)} events, not 3`));
    const reasons = await page.evaluate(async () => (await window.aisle.recommend('cart', { limit: 4 })).items.flatMap((i) => i.reasons.map((r) => r.text)));
    assert.ok(reasons.some((r) => r.includes(laptop)), `the restored page's cart list knows the laptop: ${reasons}`);
    await page.goto(`${site}cart.html`); // leaving it writes its record (pagehide)
    const cart = await rendered(page, 'cart');
    assert.deepEqual(await stored(), visit, 'the stored visit keeps every event');
    assert.ok(cart.reasons.some((r) => r.includes(laptop)), `the cart list is for the laptop in the cart: ${cart.reasons}`);
  }, { bfcache: true }],

  ['a page without a widget starts nothing: events are kept for the next page that shows a list', async ({ context, site }) => {
    const requests = [];
    context.on('request', (r) => requests.push(new URL(r.url()).pathname));
    const page = await context.newPage();
    await page.goto(`${site}product.html?id=SKU-1-1`);
    await rendered(page, 'product');
    await page.click('#add');
    requests.length = 0;
    await page.goto(`${site}checkout.html`); // no <aisle-recs> here
    await page.waitForSelector('#place-order');
    await page.evaluate(() => new Promise((r) => requestIdleCallback(() => setTimeout(r, 1000))));
    assert.deepEqual(requests.filter((p) => /\.(wasm|snap)$|\/aisle\/store\//.test(p)), [], 'no engine, no snapshot, no page list');
    assert.equal(await page.evaluate(() => window.aisle.stats().state), 'idle');
    await page.click('#place-order'); // the purchase is kept, and the next list knows it
    await page.waitForURL(/done=/);
    await rendered(page, 'post_purchase');
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem(aisleKey())).visit.events.map((e) => e.event));
    assert.ok(stored.includes('purchase'), String(stored));
  }],

  ['two stores on one origin keep separate visitors: neither reads nor overwrites the other\'s profile', async ({ context, site }) => {
    const page = await context.newPage();
    await page.goto(`${site}product.html?id=SKU-1-1`); // store A
    await rendered(page, 'product');
    await page.evaluate(() => window.aisle.endVisit()); // A's visitor becomes a returning one
    await page.reload();
    const a = await page.evaluate(async () => ({ key: window.aisle.stats().storeKey,
      visitor: (await window.aisle.recommend('home')).context.visitor }));
    assert.equal(a.visitor, 'returning');
    await page.waitForFunction((k) => { // this page's view stored, and the folded visit in the profile (saved after a delay)
      const r = JSON.parse(localStorage.getItem(k));
      return r.visit.events.length === 1 && r.profile !== '';
    }, a.key);
    a.record = await page.evaluate((k) => localStorage.getItem(k), a.key);
    // Store B: another shop on the same origin (its own manifest), e.g. a marketplace's.
    await context.route(/\/product\.html/, async (route) => {
      const response = await route.fetch();
      route.fulfill({ response, body: (await response.text()).replace('aisle/store/manifest.json', 'aisle/store/manifest-next.json') });
    });
    await page.goto(`${site}product.html?id=SKU-900`);
    await rendered(page, 'product');
    const b = await page.evaluate(async () => ({ key: window.aisle.stats().storeKey,
      visitor: (await window.aisle.recommend('home')).context.visitor }));
    assert.notEqual(b.key, a.key);
    assert.equal(b.visitor, 'new', 'store B does not see store A\'s shopper as returning');
    await page.waitForFunction((k) => localStorage.getItem(k), b.key);
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), a.key), a.record, 'store A\'s record untouched');
  }],

  ['consent: under Consent Mode "denied" nothing is stored and lists still show; granted, kept; withdrawn, erased; forget() erases all', async ({ context, site, logs }) => {
    await context.addInitScript(() => { // the store's consent banner, before any tag: denied until the shopper accepts
      window.dataLayer = window.dataLayer || [];
      window.dataLayer.push(['consent', 'default', { analytics_storage: 'denied', personalization_storage: 'denied' }]);
    });
    const page = await context.newPage();
    const stored = () => page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)].filter((k) => k.startsWith('aisle:')));
    await page.goto(`${site}product.html?id=SKU-1-1`);
    await rendered(page, 'product');
    await page.goto(`${site}product.html?id=SKU-900`);
    const shown = await rendered(page, 'product');
    assert.ok(shown.ids.length > 0);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 500))); // past the loader's write delay
    assert.deepEqual(await stored(), [], 'nothing stored without consent');
    assert.equal(await page.evaluate(() => window.aisle.stats().consent), false);
    await page.waitForFunction(() => window.aisle.stats().state === 'ready');
    assert.equal(await page.evaluate(() => window.aisle.stats().worker), 'dedicated', 'its own engine, not the tabs\' shared one');
    // The shopper accepts: gtag('consent', 'update', ...) -- the visit is kept from now on.
    await page.evaluate(() => window.dataLayer.push(['consent', 'update', { personalization_storage: 'granted' }]));
    await page.waitForFunction(() => localStorage.getItem(aisleKey()) !== null);
    await page.evaluate(() => window.aisle.track({ event: 'view_item_list', items: [{ item_id: 'SKU-1-1' }] })); // a new list
    await page.waitForFunction(() => sessionStorage.getItem(`${aisleKey()}:ahead`) !== null); // and the next pages' ahead
    // Withdrawn: erased at once, and not written again.
    await page.evaluate(() => window.dataLayer.push(['consent', 'update', { personalization_storage: 'denied' }]));
    await page.evaluate(() => window.aisle.track({ event: 'add_to_cart', items: [{ item_id: 'SKU-900' }] }));
    await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
    assert.deepEqual(await stored(), []);
    // forget(): everything aisle stored, whatever the consent.
    await page.evaluate(() => window.aisle.consent(true));
    await page.waitForFunction(() => localStorage.getItem(aisleKey()) !== null);
    await page.evaluate(() => { // another store's records on this origin
      localStorage.setItem('aisle:v1:0', '{}');
      sessionStorage.setItem('aisle:v1:0:ahead', '{}');
    });
    const before = await page.evaluate(() => window.aisle.stats().visitEvents);
    await page.evaluate(() => window.aisle.forget());
    assert.deepEqual(await stored(), ['aisle:forgot'], 'nothing but the time of the forget');
    assert.ok(before > 0 && (await page.evaluate(() => window.aisle.stats().visitEvents)) === 0, 'the visit forgotten too');
    await page.waitForFunction(async () => !(await caches.has('aisle-snapshots'))); // the cached snapshot too
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['a returning visitor: the visit becomes the profile after 30 idle minutes', async ({ context, site }) => {
    const page = await context.newPage();
    await page.goto(`${site}product.html?id=SKU-1-1`);
    await rendered(page, 'product');
    await page.goto(`${site}fallback.json`); // a page without aisle, fetching nothing: nothing rewrites the record
    // Age the visit by 31 minutes.
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem(aisleKey()));
      for (const e of s.visit.events) e.timestamp -= 31 * 60000;
      s.visit.last -= 31 * 60000;
      localStorage.setItem(aisleKey(), JSON.stringify(s));
    });
    await page.goto(site);
    const home = await rendered(page, 'home');
    const detail = await page.evaluate(() => window.aisle.recommend('home', { limit: 8 }));
    assert.equal(detail.context.visitor, 'returning');
    await page.waitForFunction(() => JSON.parse(localStorage.getItem(aisleKey())).profile !== '');
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem(aisleKey())));
    assert.equal(JSON.parse(stored.profile).visits, 1);
    assert.equal(stored.visit.events.length, 0);
    assert.ok(home.ids.length > 0);
  }],

  ['comparison and complete-the-set layouts', async ({ context, site }) => {
    const page = await context.newPage();
    await page.goto(`${site}product.html?id=SKU-1-1`);
    await rendered(page, 'product');
    // Two colours of the same mat: assembling a set.
    await page.goto(`${site}product.html?id=SKU-1-2`);
    await page.waitForFunction(() => document.querySelector('aisle-recs')?.shadowRoot.querySelector('section').dataset.mode === 'bundle');
    const bundle = await page.evaluate(() => document.querySelector('aisle-recs').shadowRoot.querySelector('ol.bundle + .total').textContent);
    assert.match(bundle, /together: \$\d/);
    // Three yoga mats and a return to the first: comparing.
    await context.clearCookies();
    await page.evaluate(() => localStorage.clear());
    const mats = await page.evaluate(async () => [...new Set((await window.aisle.recommend('category', { category: 'Yoga Mats', limit: 20 })).items.map((i) => i.id))]);
    for (const id of [mats[0], mats[1], mats[2], mats[0]]) {
      await page.evaluate((i) => window.aisle.track({ event: 'view_item', items: [{ item_id: i }] }), id);
    }
    await page.evaluate((i) => document.querySelector('aisle-recs').setAttribute('item', i), mats[0]);
    await page.waitForFunction(() => document.querySelector('aisle-recs')?.shadowRoot.querySelector('table[part=compare]'));
    const header = await page.evaluate(() => [...document.querySelector('aisle-recs').shadowRoot.querySelectorAll('tbody th')].map((t) => t.textContent));
    assert.deepEqual(header, ['Price', 'Brand', 'Availability']);
  }],

  ['narrow: no horizontal overflow at 320 px (comparison table included), columns follow the list\'s own width', async ({ context, site, fixture }) => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(`${site}product.html?id=SKU-1-1`);
    await page.waitForSelector('aisle-recs');
    await scrollTo(page, 'aisle-recs');
    await rendered(page, 'product');
    const mats = await page.evaluate(async () => [...new Set((await window.aisle.recommend('category', { category: 'Yoga Mats', limit: 20 })).items.map((i) => i.id))]);
    for (const id of [mats[0], mats[1], mats[2], mats[0]]) { // comparing: the table layout
      await page.evaluate((i) => window.aisle.track({ event: 'view_item', items: [{ item_id: i }] }), id);
    }
    await page.evaluate((i) => document.querySelector('aisle-recs').setAttribute('item', i), mats[0]);
    await page.waitForFunction(() => document.querySelector('aisle-recs')?.shadowRoot.querySelector('table[part=compare]'));
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 320, 'the page is no wider than the phone');
    // A 300 px sidebar on a desktop page: the narrow columns, as on a phone.
    const wide = await context.newPage();
    await wide.goto(`${fixture}store/`);
    await rendered(wide, 'home');
    const columns = await wide.evaluate(async () => {
      const el = document.getElementById('picked');
      const count = () => getComputedStyle(el.shadowRoot.querySelector('section ul')).gridTemplateColumns.split(' ').length;
      const before = count();
      el.style.width = '300px';
      await new Promise((r) => requestAnimationFrame(() => r()));
      return [before, count()];
    });
    assert.deepEqual(columns, [4, 2]);
  }],

  ['grid full at limit: a shorter list leaves no empty column; `fill` asks for exactly limit, and takes only an untrimmed page list', async ({ context, site }) => {
    let release;
    const held = new Promise((r) => { release = r; });
    await context.route('**/aisle_engine.wasm', async (route) => { await held; return route.continue(); });
    const page = await context.newPage();
    await page.goto(`${site}product.html?id=SKU-1-1`);
    await rendered(page, 'product', 'page');
    // Page lists are a new visitor's, published without fill: on a product page 67% of
    // limit, no list for a fill widget; elsewhere all of limit, the fill widget's list too.
    const now = (placement, options) => page.evaluate(([p, o]) => {
      const r = window.aisle.recommendNow(p, o);
      return r && `${r.source ?? 'engine'} ${r.slots} ${r.items.length}`;
    }, [placement, options]);
    assert.equal(await now('product', { item: 'SKU-1-1', limit: 6 }), 'page 5 5');
    assert.equal(await now('product', { item: 'SKU-1-1', limit: 6, fill: true }), null);
    await page.waitForFunction(() => window.aisle.recommendNow('home', { limit: 8, fill: true })?.source === 'page', null, { timeout: 5000 })
      .catch(() => assert.fail('a fill widget on the home page shows its page list'));
    release();
    // A product list of 4 in a 4-column grid: a new visitor is shown 3, in 3 columns centred,
    // each card as wide (so as high) as the skeleton's; with `fill`, 4 filling the row.
    const grid = () => page.evaluate(() => {
      const el = document.getElementById('grid');
      const ul = el.shadowRoot.querySelector('section [part=list]');
      const box = ul.getBoundingClientRect();
      const cards = [...ul.children].map((li) => li.getBoundingClientRect());
      const skeleton = el.shadowRoot.querySelector('.reserve li').getBoundingClientRect();
      return {
        items: cards.length, columns: getComputedStyle(ul).gridTemplateColumns.split(' ').filter((t) => parseFloat(t) > 0).length,
        left: Math.round(cards[0].left - box.left), right: Math.round(box.right - cards.at(-1).right),
        width: cards.every((c) => Math.abs(c.width - skeleton.width) < 0.5), height: el.getBoundingClientRect().height === window.reserved,
      };
    });
    await page.evaluate(() => {
      const box = document.createElement('div');
      box.style.width = '1000px';
      const el = document.createElement('aisle-recs');
      el.id = 'grid';
      el.style.setProperty('--aisle-columns', '4'); // (the demo's product lists have 6)
      for (const [k, v] of [['placement', 'product'], ['item', 'SKU-1-1'], ['limit', '4']]) el.setAttribute(k, v);
      box.append(el);
      document.querySelector('main').append(box);
      el.scrollIntoView();
      window.reserved = el.getBoundingClientRect().height;
    });
    const shows = (n) => page.waitForFunction((k) => {
      const el = document.getElementById('grid');
      return el.shadowRoot.querySelector('section').dataset.source === 'engine' && el.shadowRoot.querySelectorAll('section li').length === k;
    }, n, { timeout: 15000 }).catch(async () => assert.fail(`#grid shows ${await page.evaluate(() => document.getElementById('grid').items?.length)} items, not ${n}`));
    await shows(3);
    const short = await grid();
    assert.ok(short.left > 100 && Math.abs(short.left - short.right) <= 1, `centred: ${JSON.stringify(short)}`);
    assert.deepEqual({ ...short, left: 0, right: 0 }, { items: 3, columns: 3, left: 0, right: 0, width: true, height: true });
    await page.evaluate(() => document.getElementById('grid').setAttribute('fill', ''));
    await shows(4);
    assert.deepEqual(await grid(), { items: 4, columns: 4, left: 0, right: 0, width: true, height: true });
  }, { dedicated: true }], // its engine downloads are routed or counted (run.mjs, NO_SHARED_WORKER)

  ['explain: why an item shown in a list is there', async ({ context, site }) => {
    const page = await context.newPage();
    await page.goto(`${site}product.html?id=SKU-1-1`);
    const list = await rendered(page, 'product');
    const why = await page.evaluate((id) => window.aisle.explain(id), list.ids[0]);
    assert.equal(why.rank, 0);
    assert.equal(why.placement, 'product');
    assert.ok(why.reasons.length > 0 && why.available);
  }],

  ['no behavioural data leaves the device', async ({ context, site }) => {
    const requests = [];
    context.on('request', (r) => requests.push({ method: r.method(), url: r.url(), type: r.resourceType() }));
    const page = await context.newPage();
    await page.goto(`${site}product.html?id=SKU-1-1`);
    await rendered(page, 'product');
    await page.click('#add');
    await page.locator('aisle-recs a[data-index="0"]').click();
    await page.waitForURL(/id=/);
    await rendered(page, 'product');
    await page.evaluate(() => { for (let i = 0; i < 50; i++) window.aisle.track({ event: 'view_item', items: [{ item_id: 'SKU-2' }] }); });
    await page.waitForTimeout(300);
    const origin = new URL(site).origin;
    for (const r of requests) {
      assert.equal(r.method, 'GET', r.url);
      assert.ok(r.url.startsWith(origin) || r.url.startsWith('data:'), r.url);
      const u = new URL(r.url);
      if (r.type !== 'document') assert.equal(u.search, '', `no query on ${r.url}`);
    }
  }, { dedicated: true }], // its engine downloads are routed or counted (run.mjs, NO_SHARED_WORKER)

  ['10,000 tracked events keep memory bounded', async ({ context, site }) => {
    const page = await context.newPage();
    await page.goto(`${site}product.html?id=SKU-1-1`);
    await rendered(page, 'product');
    const run = (n) => page.evaluate(async (count) => {
      const ids = (await window.aisle.recommend('home', { limit: 100 })).items.map((i) => i.id);
      const kinds = ['view_item', 'view_item', 'view_item', 'add_to_cart', 'remove_from_cart', 'view_item_list', 'page_view'];
      for (let i = 0; i < count; i++) window.aisle.track({ event: kinds[i % kinds.length], items: [{ item_id: ids[i % ids.length] }], sort: i % 13 ? '' : 'price_asc' });
      await window.aisle.recommend('cart', { limit: 10 });
      return window.aisle.stats();
    }, n);
    const first = await run(1000);
    const second = await run(9000);
    assert.equal(second.memoryBytes, first.memoryBytes, 'the wasm heap does not grow');
    assert.ok(second.visitEvents <= 100, `visit log bounded: ${second.visitEvents}`);
    await page.waitForTimeout(400);
    const stored = (await page.evaluate(() => window.aisle.stats())).storedBytes;
    assert.ok(stored < 32768, `stored ${stored} bytes`);
    assert.ok(second.ignored >= 1000, 'page_view ignored and counted');
  }],

  ['studio: boosts, quotas, pins and exclusions are aimed in the form, and the JSON round-trips exactly', async ({ context, site, logs }) => {
    const page = await openStudio(context, site);
    const loaded = {
      boosts: [{ name: 'Gifts', match: { brand: 'ZenMotion' }, factor: 2, placements: ['post_purchase', 'cart'],
        segments: ['returning_visitor', 'gift', 'paid_search'], pages: ['Yoga Mats'], search_terms: ['gift', 'present'] }],
      pins: [{ item: 'SKU-762-2', position: 1, placements: ['home'] }],
    };
    await page.setInputFiles('#rules-file', { name: 'rules.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(loaded)) });
    const boost = page.locator('fieldset[data-rule=boosts] .rule').first();
    await boost.waitFor();
    const json = async () => JSON.parse(await page.inputValue('#json'));
    assert.deepEqual(await json(), loaded, 'shown, not changed');
    const checked = (scope) => boost.locator(`[data-scope=${scope}] input:checked`).evaluateAll((l) => l.map((i) => i.value));
    assert.deepEqual(await checked('placements'), ['cart', 'post_purchase']);
    assert.deepEqual((await checked('segments')).sort(), ['gift', 'paid_search', 'returning_visitor']);
    assert.deepEqual(await boost.locator('[data-scope=pages] .chip > span').allTextContents(), ['Yoga Mats']);
    assert.deepEqual(await boost.locator('[data-scope=search_terms] .chip > span').allTextContents(), ['gift', 'present']);
    assert.match(await boost.locator('.scope-toggle').textContent(), /After purchase, Cart · Returning visitor, Buying a gift, Search ad · pages: Yoga Mats · searches: gift, present/);
    await boost.locator('.scope-toggle').click();
    await boost.locator('[data-scope=placements] input[value=home]').check();
    assert.deepEqual((await json()).boosts[0].placements, ['post_purchase', 'cart', 'home'], 'appended, the order kept');
    for (const p of ['post_purchase', 'cart', 'home']) await boost.locator(`[data-scope=placements] input[value=${p}]`).uncheck();
    await boost.locator('[data-scope=segments] input[value=gift]').uncheck();
    await boost.locator('[aria-label="remove search term gift"]').click();
    assert.equal(await boost.locator('[data-scope=pages] input').getAttribute('list'), 'values-category');
    await boost.locator('[data-scope=pages] input').fill('Dumbbells');
    await boost.locator('[data-scope=pages] input').press('Enter');
    assert.deepEqual((await json()).boosts[0], { name: 'Gifts', match: { brand: 'ZenMotion' }, factor: 2,
      segments: ['returning_visitor', 'paid_search'], pages: ['Yoga Mats', 'Dumbbells'], search_terms: ['present'] }, 'no placements: everywhere');
    assert.match(await page.textContent('#rules-status'), /^Valid/);
    // The pin is aimed at the home page: moved to the product page, it leaves home.
    assert.equal(await page.$eval('[data-placement=home] li', (li) => li.dataset.id), 'SKU-762-2');
    const pin = page.locator('fieldset[data-rule=pins] .rule').first();
    await pin.locator('.scope-toggle').click();
    await pin.locator('[data-scope=placements] input[value=home]').uncheck();
    await pin.locator('[data-scope=placements] input[value=product]').check();
    assert.deepEqual((await json()).pins, [{ item: 'SKU-762-2', position: 1, placements: ['product'] }]);
    assert.notEqual(await page.$eval('[data-placement=home] li', (li) => li.dataset.id), 'SKU-762-2');
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['studio: pins and exclusions are chosen from the catalog by title with image, id and price, by keyboard; matches offer the catalog values', async ({ context, site, logs }) => {
    const page = await openStudio(context, site);
    await page.click('fieldset[data-rule=pins] > button');
    const box = page.locator('fieldset[data-rule=pins] .rule input[aria-label=item]');
    assert.equal(await box.getAttribute('role'), 'combobox');
    await box.fill('');
    await box.pressSequentially('a');
    const options = page.locator('fieldset[data-rule=pins] [role=listbox] [role=option]');
    assert.equal(await options.count(), 8, 'a bounded list');
    await box.fill('');
    await box.pressSequentially('yoga mat');
    const shown = await options.evaluateAll((os) => os.map((o) => ({ id: o.dataset.id, img: o.querySelector('img')?.src, text: o.textContent })));
    assert.ok(shown.length > 1 && shown.length <= 8, `${shown.length} options`);
    for (const o of shown) {
      assert.match(o.img, /^http:\/\/127\.0\.0\.1:\d+\/images\/.+\.svg$/, 'the catalog image');
      assert.match(o.text, new RegExp(`Yoga Mat.* ${o.id} · \\$\\d+\\.\\d\\d$`), `title, id, price: ${o.text}`);
    }
    await box.press('ArrowDown');
    await box.press('ArrowDown');
    assert.equal(await box.getAttribute('aria-activedescendant'), await options.nth(1).getAttribute('id'));
    await box.press('Enter');
    assert.equal(await box.inputValue(), shown[1].id);
    assert.equal(await page.isVisible('fieldset[data-rule=pins] [role=listbox]'), false, 'closed once chosen');
    assert.match(await page.textContent('fieldset[data-rule=pins] .chosen'), /Yoga Mat/);
    assert.equal(JSON.parse(await page.inputValue('#json')).pins[0].item, shown[1].id);
    await page.waitForFunction((id) => document.querySelector('[data-placement=home] li')?.dataset.id === id, shown[1].id);
    // The pin's shopper-facing reason: what the card says, never the rule's name.
    await page.fill('fieldset[data-rule=pins] .rule input[aria-label=reason]', 'Our winter pick');
    assert.equal(JSON.parse(await page.inputValue('#json')).pins[0].reason, 'Our winter pick');
    await page.waitForFunction(() => /Our winter pick/.test(document.querySelector('[data-placement=home] li')?.textContent));
    await box.pressSequentially('x');
    await box.press('Escape');
    assert.equal(await box.getAttribute('aria-expanded'), 'false');
    // An exclusion by item gets the picker too; by brand or label, the catalog's values.
    await page.click('fieldset[data-rule=exclusions] > button');
    const exclusion = page.locator('fieldset[data-rule=exclusions] .rule').first();
    assert.equal(await exclusion.locator('input[aria-label="match value"]').getAttribute('role'), 'combobox');
    await exclusion.locator('select').selectOption('brand');
    assert.equal(await exclusion.locator('input[aria-label="match value"]').getAttribute('list'), 'values-brand');
    const brands = await page.$$eval('#values-brand option', (os) => os.map((o) => o.value));
    assert.ok(brands.includes('ZenMotion') && brands.includes('IronPeak'), brands.join());
    assert.deepEqual(await page.$eval('#values-label option[value="custom_label_0=high"]', (o) => o.label), 'Margin tier: high');
    assert.ok(await page.$('#values-category option[value="Yoga Mats"]'));
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['studio: an item\'s reason shares are whole percentages adding up to 100', async ({ context, site }) => {
    const page = await openStudio(context, site);
    // The largest-remainder rounding itself: thirds, and shares that round to 101 or 96 one by one.
    assert.deepEqual(await page.evaluate(async () => {
      const { percentShares } = await import('./labels.js');
      return [[1, 1, 1], [0.395325, 0.328876, 0.275799], [0.479918, 0.399932, 0.076787, 0.043363], [0, 0], [0.2]].map(percentShares);
    }), [[34, 33, 33], [39, 33, 28], [48, 40, 8, 4], [0, 0], [100]]);
    await page.fill('#search', 'SKU-1-1');
    await page.locator('#results button').first().click();
    await page.waitForFunction(() => document.querySelector('[data-placement=product] li'));
    const sums = await page.$$eval('#placements li', (lis) => lis.map((li) => ({ id: li.dataset.id,
      shares: [...li.querySelectorAll('.reason .share')].map((s) => parseInt(s.textContent, 10)), other: li.textContent.includes('Other sources') })));
    assert.ok(sums.length > 20);
    for (const s of sums) assert.equal(s.shares.reduce((a, b) => a + b, 0), 100, `${s.id}: ${s.shares}`);
    assert.ok(sums.some((s) => s.other), 'what the three reasons shown leave of the score');
  }],

  ['studio: codes read as words: placements, reasons, context, campaign flags, labels under their mapped names', async ({ context, site, logs }) => {
    const page = await openStudio(context, site);
    assert.equal(await page.textContent('[data-placement=post_purchase] h3 span'), 'After purchase');
    assert.equal(await page.textContent('fieldset[data-rule=slots] label[title=search_empty]'), 'Search without results ');
    const reason = await page.$eval('[data-placement=home] .reason', (r) => ({ text: r.firstChild.firstChild.textContent, code: r.querySelector('.code').textContent }));
    assert.ok(!reason.text.includes('_') && /^[a-z_]+$/.test(reason.code), JSON.stringify(reason));
    await page.selectOption('#traffic', 'google/cpc');
    await page.fill('#search', 'SKU-1-1');
    await page.locator('#results button').first().click();
    assert.match(await page.textContent('#context'), /^Context: New visitor · traffic: Search ad · nothing detected in the visit\.$/);
    const flags = await page.$$eval('fieldset[data-rule=campaigns] label', (ls) => ls.map((l) => l.textContent.trim()));
    assert.deepEqual(flags, ['Demote full-price items dearer than 70% of their category', 'Lift items bought together or completing a set']);
    assert.match(await page.getAttribute('fieldset[data-rule=campaigns] label:first-of-type', 'title'), /neither promoted nor on sale.*70th percentile.*keep 30% of their score/);
    const boost = await studioBoost(page, 'label', 'custom_label_0=high');
    assert.equal(await boost.locator('.match-value small').textContent(), 'Margin tier: high');
    assert.match(await page.textContent('#rules-status'), /^Valid/);
    await page.fill('#visits', '20');
    await page.click('#simulate');
    await page.waitForSelector('[data-dimension=label] tr[data-key="custom_label_0=high"]');
    assert.equal(await page.textContent('[data-dimension=label] tr[data-key="custom_label_0=high"] td'), 'Margin tier: high');
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['studio: exposure by brand and by placement, before and after', async ({ context, site }) => {
    const page = await openStudio(context, site);
    const boost = await studioBoost(page, 'brand', 'Voltix');
    await boost.locator('input[aria-label=factor]').fill('20');
    await page.fill('#visits', '40');
    await page.click('#simulate');
    await page.waitForSelector('[data-dimension=brand] tr[data-key=Voltix]');
    const row = (dim, key) => page.$$eval(`[data-dimension="${dim}"] tr[data-key="${key}"] td`, (tds) => tds.map((t) => t.textContent));
    const [, before, after] = (await row('brand', 'Voltix')).map((t) => parseFloat(t));
    assert.ok(after > before + 2, `Voltix ${before}% -> ${after}%`);
    const placements = await page.$$eval('[data-dimension=placement] tbody tr', (trs) => trs.map((tr) => [tr.dataset.key, tr.firstChild.textContent, parseFloat(tr.children[2].textContent)]));
    assert.deepEqual(placements.map((p) => p[0]).sort(), ['cart', 'home', 'product']);
    assert.deepEqual(placements.find((p) => p[0] === 'home')[1], 'Home page');
    const total = placements.reduce((s, p) => s + p[2], 0);
    assert.ok(Math.abs(total - 100) < 0.2, `placement shares add up: ${total}`);
  }],

  ['studio: a simulated shopper sees every placement with reasons', async ({ context, site, logs }) => {
    const page = await context.newPage();
    await page.goto(`${site}studio/`);
    await page.waitForFunction(() => document.querySelectorAll('#placements .placement').length === 6);
    assert.match(await page.textContent('#status'), /demo\.snap: [\d,]+ items, rules compiled in/);
    await page.fill('#search', 'yoga mat');
    await page.locator('#results button').first().click();
    await page.waitForFunction(() => document.querySelector('[data-placement=product] li'));
    const product = await page.$$eval('[data-placement=product] li', (lis) => lis.map((li) => li.dataset.id));
    assert.ok(product.length > 0);
    assert.ok(await page.$('[data-placement=product] .reason .bar span'), 'contributions drawn');
    const cartBefore = await page.$$eval('[data-placement=cart] li', (lis) => lis.map((li) => li.dataset.id));
    await page.click('#add');
    const cartAfter = await page.$$eval('[data-placement=cart] li', (lis) => lis.map((li) => li.dataset.id));
    assert.notDeepEqual(cartAfter, cartBefore);
    await page.locator('[data-placement=product] li button.link').first().click(); // click through
    assert.equal(await page.$$eval('#timeline li', (l) => l.length), 3);
    await page.selectOption('#traffic', 'google/cpc');
    assert.match(await page.textContent('#context'), /traffic: Search ad/);
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['studio: rule edits apply at once, errors show the engine message, exposure before/after', async ({ context, site }) => {
    const page = await context.newPage();
    await page.goto(`${site}studio/`);
    await page.waitForFunction(() => document.querySelectorAll('#placements .placement').length === 6);
    // A pin through the form.
    const home = await page.$$eval('[data-placement=home] li', (lis) => lis.map((li) => li.dataset.id));
    const target = await page.evaluate(() => document.querySelector('[data-placement=product] li')?.dataset.id ??
      document.querySelectorAll('[data-placement=home] li')[3].dataset.id);
    await page.click('fieldset[data-rule=pins] > button');
    await page.fill('fieldset[data-rule=pins] .rule input[aria-label=item]', target);
    await page.waitForFunction((t) => document.querySelector('[data-placement=home] li')?.dataset.id === t, target);
    assert.notEqual(home[0], target);
    assert.match(await page.textContent('#rules-status'), /Valid/);
    // An invalid value: the engine's own message, with its JSON path; the last good rules stay.
    await page.click('fieldset[data-rule=quotas] > button'); // a new row: its label is still empty
    assert.match(await page.textContent('#rules-status'), /^\$\.quotas\[\d\]\.match\.label: expected a non-empty string$/);
    const quotas = await page.$$('fieldset[data-rule=quotas] .rule');
    await (await quotas.at(-1).$('input[aria-label="match value"]')).fill('series=core');
    await (await quotas.at(-1).$('input[aria-label=min_share]')).fill('2');
    assert.match(await page.textContent('#rules-status'), /^\$\.quotas\[\d\]\.min_share: expected a number from 0 to 1$/);
    await (await quotas.at(-1).$('input[aria-label=min_share]')).fill('0.75');
    assert.match(await page.textContent('#rules-status'), /Valid/);
    // Exposure: the core series gets more of the impressions than before.
    await page.fill('#visits', '60');
    await page.click('#simulate');
    await page.waitForSelector('[data-dimension=label] tr[data-key="series=core"]');
    const [before, after] = await page.$$eval('[data-dimension=label] tr[data-key="series=core"] td', (tds) =>
      [tds[1].textContent, tds[2].textContent].map((t) => parseFloat(t)));
    assert.ok(after > before + 5, `core series share ${before}% -> ${after}%`);
    assert.ok(after >= 50, `close to the 75% guarantee where enough core items qualify: ${after}%`);
    assert.ok(await page.$('[data-dimension="new or established"] tr[data-key="new (30 days)"]'), 'new arrivals counted');
    assert.ok(await page.$('[data-dimension="price band"] tbody tr'));
  }],

  ['studio: wrongly typed rules in the JSON box show the engine message, never "Valid", never an uncaught error', async ({ context, site, logs }) => {
    const page = await context.newPage();
    await page.goto(`${site}studio/`);
    await page.waitForFunction(() => document.querySelectorAll('#placements .placement').length === 6);
    await page.click('#rules summary');
    const home = await page.$$eval('[data-placement=home] li', (lis) => lis.map((li) => li.dataset.id));
    for (const bad of ['{"boosts": 5}', '{"boosts": [null]}', '{"quotas": {"min_share": 0.5}}', '{"pins": [{"item": 7, "position": "first"}]}',
      '{"exploration": [1]}', '{"placements": "home"}', '{"exclusions": [3]}', '{"campaigns": [{"boosts": "all"}]}', 'null', '[]', '42']) {
      await page.fill('#json', bad);
      const status = await page.$eval('#rules-status', (s) => ({ text: s.textContent, error: s.className === 'error' }));
      assert.ok(status.error, `an error for ${bad}: ${status.text}`);
      assert.match(status.text, /^\$/, `the engine's message, with its JSON path, for ${bad}`);
    }
    assert.deepEqual(await page.$$eval('[data-placement=home] li', (lis) => lis.map((li) => li.dataset.id)), home, 'the last good rules stay');
    await page.fill('#json', '{"placements": {"home": {"slots": 3}}}');
    assert.match(await page.textContent('#rules-status'), /^Valid/);
    assert.equal(await page.$$eval('[data-placement=home] li', (lis) => lis.length), 3);
    // Times the engine takes that Date.parse does not (ISO basic format, epoch milliseconds).
    await page.fill('#json', '{"campaigns": [{"name": "Winter", "start": "20261101", "end": 1798761600000}]}');
    assert.match(await page.textContent('#rules-status'), /^Valid/);
    assert.match(await page.inputValue('fieldset[data-rule=campaigns] input[aria-label=end]'), /^(2026-12-31|2027-01-01)T/, 'local time');
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['the demo store links only http(s) URLs from its catalog', async ({ context, site }) => {
    // The store's own catalog export, with hostile product links and images.
    const hostile = ['javascript:alert(1)', 'JavaScript:window.pwned=1', 'data:text/html,<script>window.pwned=1</script>', ' javascript:alert(1)', 'vbscript:msgbox(1)'];
    await context.route('**/catalog.tsv', async (route) => {
      const text = await (await route.fetch()).text();
      const [head, ...rows] = text.trimEnd().split('\n');
      const cols = head.split('\t');
      const [link, image] = [cols.indexOf('link'), cols.indexOf('image_link')];
      await route.fulfill({ contentType: 'text/tab-separated-values', body: [head, ...rows.map((r, i) => {
        const f = r.split('\t');
        if (i % 2 === 0) [f[link], f[image]] = [hostile[i % hostile.length], hostile[(i + 1) % hostile.length]];
        return f.join('\t');
      })].join('\n') });
    });
    const page = await context.newPage();
    const unsafe = () => page.evaluate(() => [...document.querySelectorAll('a[href], img[src]')]
      .map((e) => e.href || e.src).filter((u) => !/^https?:\/\//.test(u)));
    await page.goto(`${site}category.html?c=Yoga%20Mats`);
    await page.waitForSelector('ul.grid li');
    assert.deepEqual(await unsafe(), []);
    await page.goto(`${site}product.html?id=SKU-1-1`);
    await page.waitForSelector('#add');
    assert.deepEqual(await unsafe(), []);
    await page.click('#add');
    await page.goto(`${site}cart.html`);
    await page.waitForSelector('table.cart');
    assert.deepEqual(await unsafe(), []);
    assert.equal(await page.evaluate(() => window.pwned), undefined);
  }],

  ['studio: an exclusion written with all/any/not or a price range, edited in the form, becomes the simple match chosen', async ({ context, site }) => {
    const page = await context.newPage();
    await page.goto(`${site}studio/`);
    await page.waitForFunction(() => document.querySelectorAll('#placements .placement').length === 6);
    await page.setInputFiles('#rules-file', { name: 'rules.json', mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ exclusions: [{ all: [{ brand: 'ZenMotion' }, { price: { max: 30 } }] }] })) });
    const rule = page.locator('fieldset[data-rule=exclusions] .rule').first();
    await rule.waitFor();
    await rule.locator('select').selectOption('item');
    await rule.locator('input[aria-label="match value"]').fill('SKU-9');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const dir = mkdtempSync(join(tmpdir(), 'aisle-studio-'));
    const file = join(dir, 'rules.json');
    await download.saveAs(file);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).exclusions, [{ item: 'SKU-9' }]);
    const store = join(ROOT, 'build/browser-site.store');
    execFileSync(join(ROOT, 'build/tools/aisle'), ['build', '--catalog', `${store}/catalog.tsv`,
      '--rules', file, '--out', join(dir, 'studio.snap'), '--quiet']);
  }],

  ['studio: the exported rules pass aisle build and aisle qa unchanged', async ({ context, site }) => {
    const page = await context.newPage();
    await page.goto(`${site}studio/`);
    await page.waitForFunction(() => document.querySelectorAll('#placements .placement').length === 6);
    await page.click('fieldset[data-rule=boosts] > button');
    const boost = page.locator('fieldset[data-rule=boosts] .rule').last();
    await boost.locator('select').selectOption('brand');
    await boost.locator('input[aria-label="match value"]').fill('ZenMotion');
    await page.fill('fieldset[data-rule=slots] input[aria-label="product slots"]', '3');
    await page.click('fieldset[data-rule=exclusions] > button');
    await page.locator('fieldset[data-rule=exclusions] .rule input[aria-label="match value"]').fill('SKU-9');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const dir = mkdtempSync(join(tmpdir(), 'aisle-studio-'));
    const file = join(dir, 'rules.json');
    await download.saveAs(file);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(exported.placements.product.slots, 3);
    assert.equal(exported.boosts.at(-1).match.brand, 'ZenMotion');
    const aisle = join(ROOT, 'build/tools/aisle');
    const store = join(ROOT, 'build/browser-site.store');
    execFileSync(aisle, ['build', '--catalog', `${store}/catalog.tsv`, '--events', `${store}/events.jsonl`,
      '--rules', file, '--out', join(dir, 'studio.snap'), '--quiet']);
    const qa = execFileSync(aisle, ['qa', '--snapshot', join(dir, 'studio.snap'), '--rules', file, '--visits', '3']).toString();
    assert.match(qa, /passed/);
  }],

  ['studio: a search, a price sort, a sale filter and a coupon show in the detected context; a search-scoped pin follows the term', async ({ context, site, logs }) => {
    const page = await openStudio(context, site);
    const detected = () => page.textContent('#context');
    assert.doesNotMatch(await detected(), /Buying a gift|Saving money/);
    // A pin that holds only while the visit's latest search names a present.
    const home = await page.$$eval('[data-placement=home] li', (lis) => lis.map((li) => li.dataset.id));
    await page.click('#rules summary');
    await page.fill('#json', JSON.stringify({ pins: [{ item: home[3], position: 1, search_terms: ['gift'] }] }));
    assert.match(await page.textContent('#rules-status'), /^Valid/);
    assert.notEqual(await page.$eval('[data-placement=home] li', (li) => li.dataset.id), home[3]);
    await page.fill('#term', 'Gift for dad');
    await page.click('#do-search');
    assert.match(await detected(), /Buying a gift/);
    assert.equal(await page.$eval('[data-placement=home] li', (li) => li.dataset.id), home[3], 'the search-scoped pin holds');
    assert.match(await page.textContent('#timeline'), /search "Gift for dad"/);
    for (const step of [['#sort-price'], ['#filter-sale'], ['#apply-coupon', 'SAVE10']]) {
      await page.click('#reset');
      assert.doesNotMatch(await detected(), /Saving money/, 'a new visit has no signal');
      if (step[1]) await page.fill('#coupon', step[1]);
      await page.click(step[0]);
      assert.match(await detected(), /Saving money/, `${step[0]}: a bargain hunter`);
    }
    assert.match(await page.textContent('#timeline'), /coupon SAVE10/);
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['studio: a returning visitor with history: a consumable bought past its cycle comes back as "buy again"', async ({ context, site, logs }) => {
    // The demo store's first consumable with a restock cycle, from its catalog export.
    const [head, ...rows] = readFileSync(join(ROOT, 'build/browser-site.store/catalog.tsv'), 'utf8').trimEnd().split('\n').map((r) => r.split('\t'));
    const [kind, cycle] = ['custom_label_1', 'custom_label_2'].map((c) => head.indexOf(c));
    const row = rows.find((r) => r[kind] === 'consumable' && Number(r[cycle]) > 0 && r[head.indexOf('availability')] === 'in_stock');
    const [id, days] = [row[0], Number(row[cycle])];
    const page = await openStudio(context, site);
    assert.ok(await page.$('#history[hidden]'), 'a new visitor has no history');
    await page.selectOption('#visitor', 'returning');
    await page.fill('#search', id);
    await page.click(`#results button:text("(${id})")`);
    await page.fill('#history-days', String(days + 10));
    await page.click('#history-bought');
    await page.click('#reset'); // a new visit: only the history knows the product
    const buyAgain = () => page.$$eval('[data-placement=home] li', (lis, i) => lis.filter((li) => li.dataset.id === i)
      .map((li) => li.textContent), id);
    assert.match((await buyAgain()).join(), /buy_again/, `bought ${days + 10} days ago, a ${days}-day cycle: due`);
    assert.match(await page.textContent('#context'), /Returning visitor/);
    await page.fill(`#history-list input[aria-label="days ago ${id}"]`, String(Math.max(0, days - 20)));
    await page.press(`#history-list input[aria-label="days ago ${id}"]`, 'Enter');
    assert.doesNotMatch((await buyAgain()).join(), /buy_again/, 'not due yet');
    await page.selectOption('#visitor', 'new');
    assert.ok(await page.$('#history[hidden]'));
    assert.match(await page.textContent('#context'), /New visitor/);
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['studio: the traffic source applies from the landing page: the home list knows it before any product view', async ({ context, site }) => {
    const page = await openStudio(context, site);
    const home = () => page.textContent('[data-placement=home] h3 small');
    const direct = await home();
    await page.selectOption('#traffic', 'google/cpc');
    assert.equal(await page.$$eval('#timeline li', (l) => l.length), 0, 'no event yet');
    assert.match(await page.textContent('#context'), /traffic: Search ad/);
    assert.match(await home(), /, 4 slots$/, 'the demo rules give search-ad visitors 4 slots');
    assert.notEqual(direct, await home());
  }],

  ['a shopper landing on the home page from an ad: the engine knows the traffic before the first list', async ({ context, site }) => {
    const page = await context.newPage();
    await page.goto(`${site}index.html?utm_source=google&utm_medium=cpc`);
    const first = await page.evaluate(async () => {
      await window.aisle.ready();
      const tracked = window.aisle.stats().tracked; // no event has told the engine yet
      return { tracked, ...(await window.aisle.recommend('home', { limit: 8 })) };
    });
    assert.equal(first.tracked, 0);
    assert.equal(first.context.traffic, 'paid_search');
    assert.equal(first.items.length, 4, 'the demo rules give search-ad visitors 4 slots');
    // The next page of the visit (no utm parameters) keeps the landing's source.
    await page.goto(`${site}category.html?c=Yoga%20Mats`);
    assert.equal(await page.evaluate(async () => (await window.aisle.recommend('home')).context.traffic), 'paid_search');
  }],

  ['studio: drafts survive a reload; a corrupt draft is ignored with a note; versions compare per JSON path and in exposure', async ({ context, site, logs }) => {
    const page = await openStudio(context, site);
    await page.fill('fieldset[data-rule=slots] input[aria-label="home slots"]', '3');
    await page.fill('#version-name', 'Three on home');
    await page.click('#save-version');
    await page.fill('fieldset[data-rule=slots] input[aria-label="home slots"]', '5');
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('#placements [data-placement=home] li').length === 5);
    assert.equal(await page.inputValue('fieldset[data-rule=slots] input[aria-label="home slots"]'), '5');
    assert.match(await page.textContent('#draft-note'), /unsaved edits .* are back/);
    // Compare the saved version with the rules as edited now.
    assert.deepEqual(await page.$$eval('#version-list li', (l) => l.map((li) => li.dataset.version)), ['Three on home']);
    await page.selectOption('#diff-a', 'v0');
    await page.selectOption('#diff-b', 'now');
    await page.fill('#visits', '20');
    await page.click('#compare');
    assert.deepEqual(await page.$$eval('#diff-out tr[data-path]', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent))),
      [['$.placements.home.slots', '3', '5']]);
    await page.waitForSelector('#exposure-out h3.caption');
    assert.match(await page.textContent('#exposure-out h3.caption'), /Three on home .*\(before\) against as edited now \(after\)/);
    assert.match(await page.textContent('#exposure-out'), /20 visits; [\d,]+ impressions before, [\d,]+ after/);
    // Back to the loaded rules: the draft is gone.
    await page.click('#revert');
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('#placements .placement').length === 6);
    assert.equal(await page.inputValue('fieldset[data-rule=slots] input[aria-label="home slots"]'), '');
    // Whatever is stored under the draft's key, the studio opens with the snapshot's rules and says why.
    const key = await page.evaluate(() => Object.keys(localStorage).find((k) => k.endsWith(':versions')).replace(/versions$/, 'draft'));
    for (const [bad, why] of [['{"v":1,', /not valid JSON/], ['{"v":2,"saved_at":1,"rules":{}}', /shape/], ['{"v":1,"saved_at":1,"rules":[]}', /shape/],
      ['{"v":1,"saved_at":1,"rules":{"boosts":5}}', /engine refuses it \(\$\.boosts: /], [`"${'x'.repeat(1 << 20)}"`, /too large/]]) {
      await page.evaluate(([k, v]) => localStorage.setItem(k, v), [key, bad]);
      await page.reload();
      await page.waitForFunction(() => document.querySelectorAll('#placements .placement').length === 6);
      assert.match(await page.textContent('#draft-note'), why, bad.slice(0, 40));
      assert.match(await page.textContent('#rules-status'), /Valid/);
      assert.equal(await page.inputValue('fieldset[data-rule=slots] input[aria-label="home slots"]'), '');
    }
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['studio: the export records who, when and why; aisle build and qa take it; aisle publish leaves it out', async ({ context, site }) => {
    const page = await openStudio(context, site);
    await page.fill('fieldset[data-rule=slots] input[aria-label="product slots"]', '3');
    await page.fill('#author', 'Ann Merchandiser');
    await page.fill('#why', 'Fewer product recommendations for the winter sale');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const dir = mkdtempSync(join(tmpdir(), 'aisle-studio-'));
    const file = join(dir, 'rules.json');
    await download.saveAs(file);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(exported.about.author, 'Ann Merchandiser');
    assert.equal(exported.about.why, 'Fewer product recommendations for the winter sale');
    assert.match(exported.about.saved_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/); // the page's clock (run.mjs pins it)
    // The file goes back into the studio as loaded rules: the engine takes its `about`.
    await page.setInputFiles('#rules-file', file);
    await page.waitForFunction(() => document.querySelector('#json').value.includes('Ann Merchandiser'));
    assert.match(await page.textContent('#rules-status'), /^Valid/);
    const aisle = join(ROOT, 'build/tools/aisle');
    const store = join(ROOT, 'build/browser-site.store');
    const snap = join(dir, 'store.snap');
    execFileSync(aisle, ['build', '--catalog', `${store}/catalog.tsv`, '--events', `${store}/events.jsonl`,
      '--rules', file, '--out', snap, '--quiet']);
    assert.match(execFileSync(aisle, ['qa', '--snapshot', snap, '--rules', file, '--visits', '3']).toString(), /passed/);
    assert.ok(readFileSync(snap).includes('Ann Merchandiser'), 'the store\'s own snapshot keeps the rules file as written');
    // What shoppers download: neither the name nor the reason, in any published file.
    const out = join(dir, 'published');
    execFileSync(aisle, ['publish', '--snapshot', snap, '--out', out, '--quiet']);
    const published = execFileSync('find', [out, '-type', 'f']).toString().trim().split('\n');
    assert.ok(published.some((f) => f.endsWith('.snap')), published.join());
    for (const f of published) {
      const bytes = readFileSync(f);
      for (const secret of ['Ann Merchandiser', 'winter sale', '"about"']) assert.ok(!bytes.includes(secret), `${secret} in ${f}`);
    }
    const { rules } = JSON.parse(execFileSync(aisle, ['inspect', '--public', published.find((f) => f.endsWith('.snap')), '--json'],
      { maxBuffer: 1 << 28 }));
    assert.equal(rules.placements.product.slots, 3, 'the public rules keep the edit');
    assert.equal(rules.about, undefined, 'not who made it');
  }],

  ['studio: the export cuts "why" to 1024 UTF-8 bytes, never mid-character, and refuses rules the engine refuses', async ({ context, site, logs }) => {
    const page = await openStudio(context, site);
    await page.fill('#why', `${'日'.repeat(400)}x`); // 1201 bytes: the rules parser takes 1024
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const dir = mkdtempSync(join(tmpdir(), 'aisle-studio-'));
    const file = join(dir, 'rules.json');
    await download.saveAs(file);
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).about.why, '日'.repeat(341), '1023 bytes: the next character would pass 1024');
    const store = join(ROOT, 'build/browser-site.store');
    execFileSync(join(ROOT, 'build/tools/aisle'), ['build', '--catalog', `${store}/catalog.tsv`, '--rules', file, '--out', join(dir, 'studio.snap'), '--quiet']);
    // A form edit the engine refused is not exported: the engine's message instead of a file.
    await page.fill('#why', '');
    await page.fill('fieldset[data-rule=slots] input[aria-label="product slots"]', '500');
    assert.match(await page.textContent('#rules-status'), /^\$\.placements\.product\.slots: /);
    let downloads = 0;
    page.on('download', () => downloads++);
    await page.click('#export');
    await page.waitForTimeout(500);
    assert.equal(downloads, 0, 'no file the build would refuse');
    assert.match(await page.textContent('#export-note'), /^Not exported: the engine refuses it \(\$\.placements\.product\.slots: /);
    await page.fill('fieldset[data-rule=slots] input[aria-label="product slots"]', '3');
    await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    assert.equal(await page.textContent('#export-note'), '');
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['studio: drafts and versions are kept for the 5 snapshots used last; the current one\'s always', async ({ context, site, logs }) => {
    const page = await openStudio(context, site);
    await page.fill('#version-name', 'Mine');
    await page.click('#save-version');
    const mine = await page.evaluate(() => Object.keys(localStorage).find((k) => k.endsWith(':versions')).replace(/versions$/, ''));
    // Seven other snapshots, the first used a day ago, the seventh a week ago; two older
    // entries from before the studio recorded use at all.
    await page.evaluate(() => {
      const now = Date.now(); // the page's clock (run.mjs pins it)
      const used = {};
      for (let n = 1; n <= 9; n++) {
        localStorage.setItem(`aisle-studio:v1:${n}:draft`, '{}');
        localStorage.setItem(`aisle-studio:v1:${n}:versions`, '{}');
        if (n <= 7) used[n] = now - n * 86400000;
      }
      localStorage.setItem('aisle-studio:v1:used', JSON.stringify({ v: 1, used }));
    });
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('#placements .placement').length === 6);
    const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('aisle-studio:v1:')).sort());
    assert.deepEqual(kept, [...[1, 2, 3, 4].flatMap((n) => [`aisle-studio:v1:${n}:draft`, `aisle-studio:v1:${n}:versions`]),
      'aisle-studio:v1:used', `${mine}versions`].sort());
    assert.deepEqual(await page.$$eval('#version-list li', (l) => l.map((li) => li.dataset.version)), ['Mine']);
    const used = await page.evaluate(() => JSON.parse(localStorage.getItem('aisle-studio:v1:used')).used);
    assert.deepEqual(Object.keys(used).sort(), ['1', '2', '3', '4', mine.split(':')[2]].sort());
    // An index that is not the studio's is started again, never trusted: the current snapshot's stays.
    await page.evaluate(() => localStorage.setItem('aisle-studio:v1:used', '{"v":1,"used":{"1":"x"}}'));
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('#placements .placement').length === 6);
    assert.deepEqual(await page.$$eval('#version-list li', (l) => l.map((li) => li.dataset.version)), ['Mine']);
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['studio: "Save version" before a snapshot is loaded keeps nothing', async ({ context, site }) => {
    const page = await context.newPage();
    await page.goto(`${site}studio/?snapshot=missing.snap`);
    await page.waitForFunction(() => /Could not load/.test(document.querySelector('#status').textContent));
    assert.equal(await page.isDisabled('#save-version'), true);
    await page.fill('#version-name', 'Too early');
    await page.evaluate(() => { const b = document.querySelector('#save-version'); b.disabled = false; b.click(); });
    assert.deepEqual(await page.evaluate(() => Object.keys(localStorage).filter((k) => k !== 'aisle-studio:author')), []);
    assert.match(await page.textContent('#draft-note'), /^Version not saved: load a snapshot first/);
  }],

  ['studio: label, field, placement and segment names that are JavaScript built-ins read as text', async ({ context, site }) => {
    const page = await openStudio(context, site);
    assert.deepEqual(await page.evaluate(async () => {
      const { labelText, segmentName, placementName, contextText } = await import('./labels.js');
      return [labelText('constructor=red'), labelText('__proto__=x'), labelText('toString=1', { toString: 'label:series' }),
        labelText('hasOwnProperty=2', {}), typeof segmentName('constructor'), segmentName('toString'), placementName('valueOf'),
        contextText({ traffic: 'constructor', visitor: 'new' })];
    }), ['Constructor: red', '_ proto  : x', 'Series: 1 (toString)', 'HasOwnProperty: 2', 'string', 'toString', 'valueOf',
      'New visitor · traffic: constructor · nothing detected in the visit']);
  }],

  ['studio: build-time labels (~margin, ~stock) are left out of the label values and the exposure by label', async ({ context, site, logs }) => {
    const dir = mkdtempSync(join(tmpdir(), 'aisle-studio-'));
    const store = join(ROOT, 'build/browser-site.store');
    writeFileSync(join(dir, 'rules.json'), JSON.stringify({ boosts: [{ name: 'Margin', match: { margin: { min: 10 } }, factor: 1.5 }] }));
    execFileSync(join(ROOT, 'build/tools/aisle'), ['build', '--catalog', `${store}/catalog.tsv`, '--events', `${store}/events.jsonl`,
      '--rules', join(dir, 'rules.json'), '--out', join(dir, 'margin.snap'), '--quiet']);
    const page = await openStudio(context, site);
    await page.setInputFiles('#snap-file', join(dir, 'margin.snap'));
    await page.waitForFunction(() => /^margin\.snap: /.test(document.querySelector('#status').textContent));
    const labels = await page.$$eval('#values-label option', (os) => os.map((o) => o.value));
    assert.ok(labels.includes('custom_label_0=high'), labels.join());
    assert.deepEqual(labels.filter((l) => l.startsWith('~')), []);
    await page.fill('#visits', '20');
    await page.click('#simulate');
    await page.waitForSelector('[data-dimension=label] tr[data-key]');
    const shown = await page.$$eval('[data-dimension=label] tr[data-key]', (trs) => trs.map((tr) => tr.dataset.key));
    assert.deepEqual(shown.filter((l) => l.startsWith('~')), [], shown.join());
    assert.deepEqual(pageErrors(logs), []);
  }],

  ['studio: a rules file or a version the engine refuses changes nothing and says why', async ({ context, site, logs }) => {
    const page = await openStudio(context, site);
    const before = await page.inputValue('#json');
    for (const bad of ['{"boosts":5}', 'null']) {
      await page.evaluate(() => { document.querySelector('#status').textContent = ''; });
      await page.setInputFiles('#rules-file', { name: 'rules.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
      await page.waitForFunction(() => document.querySelector('#status').textContent);
      assert.match(await page.textContent('#status'), /^Could not load: rules\.json: the engine refuses it \(\$/, bad);
      assert.equal(await page.inputValue('#json'), before, bad);
      await page.click('#revert');
      assert.equal(await page.inputValue('#json'), before, `${bad}: the loaded rules stay`);
    }
    // Versions stored in the studio's shape whose rules the engine refuses: wrongly typed, or nested 200,000 deep.
    await page.fill('#version-name', 'Good');
    await page.click('#save-version');
    const key = await page.evaluate(() => Object.keys(localStorage).find((k) => k.endsWith(':versions')));
    const deep = `{"x":${'['.repeat(200000)}${']'.repeat(200000)}}`;
    await page.evaluate(([k, d]) => localStorage.setItem(k, `{"v":1,"versions":[{"name":"Bad","author":"","saved_at":1,"rules":{"boosts":5}},` +
      `{"name":"Deep","author":"","saved_at":1,"rules":${d}}]}`), [key, deep]);
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('#placements .placement').length === 6);
    assert.deepEqual(await page.$$eval('#version-list li', (l) => l.map((li) => li.dataset.version)), ['Bad', 'Deep']);
    await page.click('[aria-label="open Bad"]');
    assert.match(await page.textContent('#draft-note'), /^Version "Bad" not opened: the engine refuses it \(\$\.boosts: /);
    assert.equal(await page.inputValue('#json'), before);
    await page.click('[aria-label="open Deep"]');
    assert.match(await page.textContent('#draft-note'), /^Version "Deep" not opened: /);
    assert.equal(await page.inputValue('#json'), before);
    assert.match(await page.textContent('#rules-status'), /^Valid/);
    await page.selectOption('#diff-a', 'v1');
    await page.selectOption('#diff-b', 'now');
    await page.click('#compare');
    // Chromium's JSON.stringify writes any depth localStorage can hold (Firefox's throws "too
    // much recursion"): the comparison is listed or refused, never an uncaught error.
    assert.match(await page.textContent('#diff-out'), /^(Not compared: Deep .* cannot be read|path)/);
    await page.selectOption('#diff-a', 'base');
    await page.selectOption('#diff-b', 'v0');
    await page.click('#compare');
    assert.ok((await page.$$eval('#diff-out tr[data-path]', (trs) => trs.map((tr) => tr.dataset.path))).includes('$.boosts'), 'a refused version still compares');
    assert.deepEqual(pageErrors(logs), []);
  }],
  ['a repeat page view from the content-addressed package folder: aisle\'s files from the browser\'s cache, no round trip', async ({ context, serve, logs }) => {
    // The package as tools/scripts/package.sh publishes it (/aisle/HASH/), served like a CDN
    // (immutable), with the demo's published store: a later page of the visit takes the
    // loader, the worker, the engine and its wasm from the cache (transferSize 0; a
    // revalidation would cost a round trip each), and its engine starts before the widget
    // comes into view.
    const dir = mkdtempSync(join(tmpdir(), 'aisle-cdn-'));
    const hash = execFileSync('bash', [join(ROOT, 'tools/scripts/package.sh'), join(dir, 'aisle')]).toString().trim();
    assert.match(hash, /^[0-9a-f]{16}$/);
    symlinkSync(join(ROOT, 'build/browser-site/aisle/store'), join(dir, 'aisle/store'));
    symlinkSync(join(ROOT, 'build/browser-site/images'), join(dir, 'images'));
    const page = (id) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script>window.dataLayer = [{ event: 'view_item', ecommerce: { items: [{ item_id: '${id}' }] } }];</script>
<script type="module" src="/aisle/${hash}/aisle.js" data-manifest="/aisle/store/manifest.json"></script></head>
<body><div style="height: 3000px">${id}</div><aisle-recs placement="product" item="${id}" limit="6"></aisle-recs></body></html>`;
    writeFileSync(join(dir, 'a.html'), page('SKU-1-1'));
    writeFileSync(join(dir, 'b.html'), page('SKU-1-2'));
    const server = await serve(dir, ['--cdn']);
    try {
      const tab = await context.newPage();
      await tab.goto(`${server.url}a.html`);
      await tab.evaluate(() => document.querySelector('aisle-recs').scrollIntoView());
      await rendered(tab, 'product');
      const cdp = await context.newCDPSession(tab);
      await cdp.send('Network.enable');
      const sent = new Map(); // request id -> {path, network}
      cdp.on('Network.requestWillBeSent', (e) => sent.set(e.requestId, { path: new URL(e.request.url).pathname, network: true }));
      cdp.on('Network.requestServedFromCache', (e) => { if (sent.has(e.requestId)) sent.get(e.requestId).network = false; });
      cdp.on('Network.responseReceived', (e) => { if (sent.has(e.requestId) && e.response.fromDiskCache) sent.get(e.requestId).network = false; });
      await tab.goto(`${server.url}b.html`);
      // Below the fold: the engine starts all the same on this later page of the visit.
      await tab.waitForFunction(() => window.aisle.stats().state === 'ready', null, { timeout: 15000 });
      assert.equal(await tab.evaluate(() => document.querySelector('aisle-recs').visible), false, 'not in view yet');
      await tab.evaluate(() => document.querySelector('aisle-recs').scrollIntoView());
      const list = await rendered(tab, 'product');
      assert.ok(list.ids.length > 0 && !list.ids.includes('SKU-1-2'), list.ids.join());
      // What came from the network: the page's requests (CDP: not from the memory or disk
      // cache) and its worker's (Resource Timing; the page's is Playwright's clock's). The
      // worker's script is neither: CDP reports its request but not its response.
      const fetched = [...sent.values()].filter((f) => !f.path.endsWith('/engine-worker.js'));
      const entries = () => performance.getEntriesByType('resource').map((e) => ({ path: new URL(e.name).pathname, network: e.transferSize > 0 }));
      for (const w of tab.workers()) fetched.push(...await w.evaluate(entries));
      const own = fetched.filter((f) => f.path.startsWith(`/aisle/${hash}/`));
      const names = own.map((f) => f.path.slice(hash.length + 8));
      for (const f of ['aisle.js', 'aisle-recs.js', 'engine.js', 'record.js', 'engine/aisle_engine.mjs', 'engine/aisle_engine.wasm']) {
        assert.ok(names.includes(f), `${f} not loaded: ${names.join()}`);
      }
      assert.deepEqual(own.filter((f) => f.network), [], 'every file of the package from the cache');
      assert.deepEqual(pageErrors(logs), []);
    } finally {
      server.stop();
    }
  }, { dedicated: true }], // the worker's own requests are seen (run.mjs, NO_SHARED_WORKER)
];

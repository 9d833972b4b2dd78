// <aisle-recs placement="product" item="SKU" limit="4" [fill]>: a themable recommendation list
// (shadow DOM, ::part, CSS properties, <template>) that reports GA4 list events. Catalog
// text goes in with textContent only; only http(s) URLs are used. docs/storefront.md.

// The list's grid: each card one column of `--aisle-columns` wide (`--aisle-columns-narrow`
// under 600 px), `auto-fit` dropping the columns no card fills and the cards centred, so a
// list shorter than a row (a product page's 3 of 4) leaves no empty column at its end, and
// its cards keep the skeleton's width -- hence its height: the space reserved from `limit`
// still fits.
const CSS = `
:host{display:block;font:var(--aisle-font,inherit);color:var(--aisle-color,inherit)}
.frame{display:grid;grid-template-columns:minmax(0,1fr);container:aisle/inline-size}
:host([hidden]),[hidden]{display:none!important}
.reserve,section,slot{grid-area:1/1;min-width:0}
slot{display:block}
.reserve.done{visibility:hidden}
h2,.h{font-size:var(--aisle-heading-size,1.25rem);font-weight:700;line-height:1.3;margin:0 0 .75rem;
white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.l{--cols:var(--aisle-columns,4);list-style:none;margin:0;padding:0;display:grid;gap:var(--aisle-gap,1rem);
grid-template-columns:repeat(auto-fit,calc((100% - (var(--cols) - 1)*var(--aisle-gap,1rem))/var(--cols)));justify-content:center}
li.c{background:var(--aisle-card-bg,#fff);border-radius:var(--aisle-radius,8px);
border:1px solid var(--aisle-border,#e6e1da)}
.c>a,.c>.a,th a{color:inherit;text-decoration:none;display:flex;flex-direction:column;gap:.25rem;padding:0 0 .75rem;height:100%;
border-radius:inherit;box-sizing:border-box}
a:focus-visible{outline:2px solid var(--aisle-accent,#b4462b);outline-offset:2px}
.c img,.img,th img{width:100%;aspect-ratio:var(--aisle-image-ratio,1);object-fit:cover;background:#f3efe9;
border-radius:var(--aisle-radius,8px) var(--aisle-radius,8px) 0 0}
.c .t,.c .b,.c .p,.c .r{padding:0 .75rem;line-height:1.3}
.c .t,.c .r{display:-webkit-box;-webkit-box-orient:vertical;overflow:hidden}
.c .t{-webkit-line-clamp:var(--aisle-title-lines,2)}
.c .r{-webkit-line-clamp:var(--aisle-reason-lines,2)}
.c .b,.c .p{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.c .b,.c .r{font-size:.85em;color:var(--aisle-muted,#6b645c)}
.reserve .t{min-height:calc(var(--aisle-title-lines,2)*1.3em)}
.reserve .r{min-height:calc(var(--aisle-reason-lines,2)*1.3em)}
.reserve .b,.reserve .p,.h{min-height:1.3em}
.c .t,.c .p,th .t,td .p{font-weight:600}
s{font-weight:400;font-size:.85em;color:var(--aisle-muted,#6b645c);margin-right:.35em}
.sale{color:var(--aisle-accent,#b4462b)}
ol.bundle li{position:relative}
ol.bundle li+li::before{content:"+";position:absolute;left:calc(var(--aisle-gap,1rem)/-2);top:30%;
transform:translate(-50%,-50%);font-weight:700;font-size:1.25em;color:var(--aisle-muted,#6b645c)}
.total{margin:.75rem 0 0;font-weight:600}
table{border-collapse:collapse;width:100%}
.scroll{overflow-x:auto;padding:4px}
th,td{padding:.5rem;border-bottom:1px solid var(--aisle-border,#e6e1da);text-align:left;vertical-align:top}
thead img{max-width:8rem}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:600px){.l{--cols:var(--aisle-columns-narrow,2)}}
@container aisle (max-width:600px){.l{--cols:var(--aisle-columns-narrow,2)}}`;

const IMPRESSION_MS = 1000; // how long a list must stay in sight to count as seen

const HEADINGS = {
  product: 'You may also like', cart: 'Goes well with your cart', home: 'Picked for you',
  post_purchase: 'You might also need', category: 'Popular here', search_empty: 'Popular right now',
  next_item: 'Next for you', compare: 'Compare the best sellers', bundle: 'Complete the set',
};

const formats = new Map();
function money(value, currency) {
  if (!Number.isFinite(value)) return '';
  const key = currency || '';
  if (!formats.has(key)) {
    try {
      formats.set(key, new Intl.NumberFormat(document.documentElement.lang || undefined,
        currency ? { style: 'currency', currency } : { minimumFractionDigits: 2 }));
    } catch {
      formats.set(key, new Intl.NumberFormat(undefined, { minimumFractionDigits: 2 }));
    }
  }
  return formats.get(key).format(value);
}

export function safeUrl(url) {
  try {
    const u = new URL(url, location.href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};
const part = (e, name) => (e.setAttribute('part', name), e);

// The price element: the sale price beside the struck-through list price when on sale.
function priceNode(item, tag = 'span') {
  const p = part(el(tag, 'p'), 'price');
  const sale = Number.isFinite(item.sale_price) && item.sale_price < item.price;
  if (sale) {
    const was = part(el('s'), 'was-price');
    was.append(el('span', 'sr', 'Was '), money(item.price, item.currency));
    p.append(was, part(el('span', 'sale', money(item.sale_price, item.currency)), 'sale-price'));
  } else {
    p.textContent = money(item.price, item.currency);
  }
  return p;
}

function image(item) {
  const src = safeUrl(item.image);
  if (!src) return null;
  const img = part(el('img'), 'image');
  img.src = src;
  img.alt = '';
  img.loading = 'lazy';
  return img;
}

function link(item, index) {
  const a = part(el('a'), 'link');
  const href = safeUrl(item.url);
  if (href) a.href = href;
  a.dataset.index = index;
  return a;
}

// A card from the theme's <template>: elements marked data-aisle="title|brand|price|image|
// link|reason" are filled; everything else is copied as the theme wrote it.
function templateCard(tpl, item, index) {
  const frag = tpl.content.cloneNode(true);
  const li = el('li');
  part(li, 'item');
  li.append(frag);
  for (const n of li.querySelectorAll('[data-aisle]')) {
    const f = n.dataset.aisle;
    if (f === 'title') n.textContent = item.title;
    else if (f === 'brand') n.textContent = item.brand ?? '';
    else if (f === 'price') n.replaceChildren(priceNode(item));
    else if (f === 'reason') n.textContent = item.reasons?.[0]?.text ?? '';
    else if (f === 'image') { const s = safeUrl(item.image); if (s) { n.src = s; n.alt = n.alt || ''; } else n.removeAttribute('src'); }
    else if (f === 'link') { const h = safeUrl(item.url); if (h) n.href = h; n.dataset.index = index; }
  }
  return li;
}

// The default card. Its link is named by the title alone (aria-labelledby); brand, price
// and reason describe it.
function card(item, index) {
  const li = part(el('li', 'c'), 'item');
  const a = link(item, index);
  const img = image(item);
  if (img) a.append(img);
  const text = (node, id) => (node.id = `${id}${index}`, node);
  a.append(text(part(el('span', 't', item.title), 'title'), 't'));
  if (item.brand) a.append(text(part(el('span', 'b', item.brand), 'brand'), 'b'));
  a.append(text(priceNode(item), 'p'));
  const reason = item.reasons?.[0]?.text;
  if (reason) a.append(text(part(el('span', 'r', reason), 'reason'), 'r'));
  a.setAttribute('aria-labelledby', `t${index}`);
  a.setAttribute('aria-describedby', [...a.querySelectorAll('.b,.p,.r')].map((n) => n.id).join(' '));
  li.append(a);
  return li;
}

function compareTable(items) {
  const table = part(el('table'), 'compare');
  const head = table.createTHead().insertRow();
  head.append(el('td'));
  items.forEach((item, i) => {
    const th = el('th');
    th.scope = 'col';
    const a = link(item, i);
    const img = image(item);
    if (img) a.append(img);
    a.append(part(el('span', 't', item.title), 'title'));
    th.append(a);
    head.append(th);
  });
  const body = table.createTBody();
  for (const [label, cell] of [
    ['Price', (it) => priceNode(it)],
    ['Brand', (it) => it.brand ?? ''],
    ['Availability', (it) => String(it.availability ?? '').replace(/_/g, ' ')],
  ]) {
    const row = body.insertRow();
    const th = el('th', '', label);
    th.scope = 'row';
    row.append(th);
    for (const it of items) {
      const td = row.insertCell();
      td.append(cell(it));
    }
  }
  return table;
}

// The element's CSS, CSP-safe: one constructable stylesheet shared by every shadow root
// (`adoptedStyleSheets`), which `style-src 'self'` allows. Browsers without constructable
// stylesheets (Safari before 16.4, Firefox before 101) get a <style> element instead, which
// a policy without 'unsafe-inline' blocks there (docs/storefront.md, "Content-Security-Policy").
let sheet;
function adoptStyles(root) {
  if (sheet === undefined) {
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    } catch {
      sheet = null;
    }
  }
  if (sheet && 'adoptedStyleSheets' in root) root.adoptedStyleSheets = [sheet];
  else root.append(el('style', '', CSS));
}

// `guard(fn)` makes a callback exception-proof (the loader's: counts what it throws); every
// callback the page or the browser can trigger goes through it.
export function defineAisleRecs(api, guard = (fn) => fn) {
  if (customElements.get('aisle-recs')) return;
  const visibility = new IntersectionObserver(guard((entries) => {
    for (const e of entries) e.target._visible(e.isIntersecting);
  }), { rootMargin: '200px' });
  // Seen: at least half of the list in the viewport (or, for a list taller than twice the
  // viewport, half the viewport filled by it).
  const sight = new IntersectionObserver(guard((entries) => {
    for (const e of entries) {
      const half = e.intersectionRatio >= 0.5 || (e.rootBounds && e.intersectionRect.height >= e.rootBounds.height / 2);
      e.target._seen(e.isIntersecting && half);
    }
  }), { threshold: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] });

  class AisleRecs extends HTMLElement {
    static get observedAttributes() {
      return ['placement', 'item', 'category', 'limit', 'fill', 'heading', 'template', 'list-name', 'cart'];
    }

    constructor() {
      super();
      // Built node by node, never from an HTML string: pages that require Trusted Types
      // (`require-trusted-types-for 'script'`) refuse strings assigned to innerHTML.
      const root = this.attachShadow({ mode: 'open' });
      adoptStyles(root);
      const section = part(el('section'), 'container');
      section.setAttribute('aria-labelledby', 'h');
      section.hidden = true;
      const h2 = part(el('h2'), 'heading');
      h2.id = 'h';
      section.append(h2, part(el('div'), 'body'));
      const slot = el('slot');
      slot.name = 'fallback';
      slot.hidden = true;
      // The space the list will take, held from the start so that nothing below it moves
      // (a skeleton of `limit` cards while loading, then invisible under the list).
      const reserve = part(el('div', 'reserve'), 'skeleton');
      reserve.setAttribute('aria-hidden', 'true');
      const frame = el('div', 'frame'); // one grid cell: the list over its reserved space
      frame.append(reserve, section, slot);
      root.append(frame);
      this.visible = false;
      this.frame = 0;
      this.lastShown = '';
      this.inSight = false;
      this.pending = null; // the impression of the list shown, until it has been seen
      this.sightTimer = 0;
      this.items = [];
      this.update = guard(() => this.schedule());
      root.addEventListener('click', guard((e) => this._click(e)));
    }

    connectedCallback() {
      this._reserve();
      // What the list will need is read now (its page list: one round trip), not when it
      // comes into view: the page is still being laid out meanwhile. In a task of its own,
      // after the attributes a script sets once it has inserted the element: not inside the
      // loader's evaluation (which upgrades the page's widgets), whose task it would make long.
      setTimeout(guard(() => { if (this.isConnected) api.prepare?.(this.placement, this.request); }));
      visibility.observe(this);
      sight.observe(this);
      document.addEventListener('aisle:update', this.update);
    }

    disconnectedCallback() {
      visibility.unobserve(this);
      sight.unobserve(this);
      this._seen(false);
      document.removeEventListener('aisle:update', this.update);
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }

    attributeChangedCallback(name, old, value) {
      if ((name === 'limit' || name === 'heading' || name === 'placement') && this.isConnected) this._reserve();
      if (name === 'cart' && value !== null && value !== old) {
        // The theme's current cart (item ids), for stores whose analytics send no view_cart.
        api.track({ event: 'view_cart', items: value.split(/[\s,]+/).filter(Boolean).map((id) => ({ item_id: id })) });
      }
      this.schedule();
    }

    _seen(v) {
      if (v === this.inSight) return;
      this.inSight = v;
      this._armImpression();
    }

    // The pending impression is reported once the list has been in sight for IMPRESSION_MS
    // without interruption; a new list replaces it, the same list re-rendered keeps its timer.
    _armImpression() {
      clearTimeout(this.sightTimer);
      this.sightTimer = 0;
      if (this.inSight && this.pending) {
        this.sightTimer = setTimeout(guard(() => {
          const report = this.pending;
          this.pending = null;
          report();
        }), IMPRESSION_MS);
      }
    }

    _visible(v) {
      this.visible = v;
      if (v) this.schedule();
    }

    /** Renders in the next animation frame, if visible. */
    schedule() {
      if (!this.visible || this.frame) return;
      this.frame = requestAnimationFrame(guard(() => {
        this.frame = 0;
        this.render();
      }));
    }

    get limit() {
      return Math.min(100, Math.max(1, parseInt(this.getAttribute('limit'), 10) || 4));
    }

    // The skeleton wears the list's parts, so that a theme's ::part() rules (a larger
    // heading, a longer title) size it as they size the list.
    _reserve() {
      const cards = part(el('ul', 'l'), 'list');
      for (let i = 0; i < this.limit; i++) {
        const a = part(el('div', 'a'), 'link');
        a.append(part(el('div', 'img'), 'image'), part(el('span', 't'), 'title'), part(el('span', 'b'), 'brand'),
          part(el('span', 'p'), 'price'), part(el('span', 'r'), 'reason'));
        const li = part(el('li', 'c'), 'item');
        li.append(a);
        cards.append(li);
      }
      const heading = this.getAttribute('heading') || HEADINGS[this.placement] || 'Recommended';
      this.shadowRoot.querySelector('.reserve').replaceChildren(part(el('div', 'h', heading), 'heading'), cards);
    }

    _reserved() { // something (or nothing) is shown now: the skeleton only holds the space
      this.shadowRoot.querySelector('.reserve').classList.add('done');
    }

    get placement() {
      return this.getAttribute('placement') || 'home';
    }

    get request() {
      return { item: this.getAttribute('item') ?? undefined, category: this.getAttribute('category') ?? undefined,
        limit: this.limit, fill: this.hasAttribute('fill') };
    }

    render() {
      const limit = this.limit;
      let result = null;
      try {
        result = api.recommendNow(this.placement, this.request);
      } catch (e) {
        console.warn(`aisle-recs: ${e.message}`);
      }
      if (result) return this.show(result, `aisle_${this.placement}`);
      api.start().then(guard((ok) => {
        if (!ok && !this.items.length) this.renderFallback(limit); // a page list shown stays
      }));
    }

    renderFallback(limit) {
      api.fallback().then(guard((list) => {
        if (this.items.length) return; // a list shown meanwhile (the page list came after the engine failed) stays
        const items = list?.slice(0, limit);
        if (items?.length) {
          this.show({ items, mode: 'fallback', placement: this.placement, source: 'fallback' }, 'aisle_fallback');
        } else {
          this.shadowRoot.querySelector('section').hidden = true;
          this.shadowRoot.querySelector('slot').hidden = false; // the theme's own markup
          this._reserved();
        }
      }));
    }

    show(result, listId) {
      const root = this.shadowRoot;
      const section = root.querySelector('section');
      const body = root.querySelector('[part=body]');
      const { items, mode } = result;
      this.prevItems = this.items;
      this.items = items;
      this.listId = listId;
      root.querySelector('slot').hidden = true;
      section.hidden = items.length === 0;
      this._reserved();
      section.dataset.mode = mode;
      section.dataset.source = result.source ?? 'engine'; // 'page': the published page list, until the engine's
      const heading = this.getAttribute('heading') || HEADINGS[mode] || HEADINGS[this.placement] || 'Recommended';
      root.querySelector('h2').textContent = heading;
      this.listName = this.getAttribute('list-name') || heading;
      const tplId = this.getAttribute('template');
      const tpl = tplId ? document.getElementById(tplId) : this.querySelector('template');
      let content;
      if (mode === 'compare') {
        content = el('div', 'scroll'); // a narrow screen scrolls the table, not the page
        content.append(compareTable(items));
      } else {
        content = part(el(mode === 'bundle' ? 'ol' : 'ul', mode === 'bundle' ? 'l bundle' : 'l'), 'list');
        content.setAttribute('role', 'list');
        items.forEach((item, i) => content.append(tpl instanceof HTMLTemplateElement ? templateCard(tpl, item, i) : card(item, i)));
      }
      const focused = this._focusedItem();
      body.replaceChildren(content);
      if (focused) this._refocus(focused);
      if (mode === 'bundle') {
        const total = items.reduce((t, it) => t + (Number.isFinite(it.sale_price) ? it.sale_price : it.price), 0);
        body.append(part(el('p', 'total', `All ${items.length} together: ${money(total, items[0]?.currency)}`), 'total'));
      }
      this.dispatchEvent(new CustomEvent('aisle-render', { bubbles: true, composed: true, detail: { ...result, listId } }));
      const key = `${listId}|${items.map((i) => i.id).join(',')}`;
      if (key === this.lastShown) return;
      this.lastShown = key;
      // For the report: the list's context, the product it was shown beside, the experiment arm.
      this.params = { ...api.experimentParams(), aisle_placement: this.placement, aisle_mode: mode };
      const flags = Object.entries(result.context ?? {}).filter(([, v]) => v === true).map(([k]) => k);
      if (flags.length) this.params.aisle_context = flags.join(',');
      if (this.getAttribute('item')) this.params.aisle_anchor = this.getAttribute('item');
      const params = this.params;
      const listName = this.listName;
      const ga4 = items.map((it, i) => this.ga4Item(it, i));
      this.pending = items.length ? () => {
        api.pushAnalytics({ ecommerce: null });
        api.pushAnalytics({ event: 'view_item_list', ...params, ecommerce: { item_list_id: listId, item_list_name: listName, items: ga4 } });
        this.dispatchEvent(new CustomEvent('aisle-impression', {
          bubbles: true, composed: true, detail: { placement: this.placement, listId, mode, items: items.map((i) => i.id) },
        }));
      } : null;
      this._armImpression();
    }

    // The item whose link has the keyboard focus ({id, index}), or null.
    _focusedItem() {
      const a = this.shadowRoot.activeElement?.closest?.('[data-index]');
      if (!a) return null;
      const index = Number(a.dataset.index);
      return { id: this.prevItems?.[index]?.id, index };
    }

    // After a re-render: focus back on the same item's link, else on the link now at its
    // place, else on any link, else on the heading: focus never falls to <body> because the
    // list changed under it (a link without a safe URL has no href and takes no focus).
    _refocus({ id, index }) {
      const root = this.shadowRoot;
      const links = [...root.querySelectorAll('[part=body] [data-index]')];
      const at = this.items.findIndex((i) => i.id === id);
      const heading = root.querySelector('h2');
      for (const target of [links.find((l) => Number(l.dataset.index) === at), links[Math.min(index, links.length - 1)], ...links, heading]) {
        if (target === heading) heading.tabIndex = -1;
        target?.focus({ preventScroll: true });
        if (root.activeElement === target) return;
      }
    }

    ga4Item(it, index) {
      const g = { item_id: it.id, item_name: it.title, index, item_list_id: this.listId, item_list_name: this.listName };
      if (it.brand) g.item_brand = it.brand;
      if (Number.isFinite(it.price)) g.price = Number.isFinite(it.sale_price) ? it.sale_price : it.price;
      if (it.currency) g.currency = it.currency;
      if (it.reasons?.[0]) g.aisle_reason = it.reasons[0].code;
      return g;
    }

    _click(e) {
      const a = e.composedPath().find((n) => n instanceof Element && n.dataset?.index !== undefined);
      const item = a && this.items[Number(a.dataset.index)];
      if (!item) return;
      const index = Number(a.dataset.index);
      api.pushAnalytics({ ecommerce: null });
      api.pushAnalytics({
        event: 'select_item', ...this.params,
        ecommerce: { item_list_id: this.listId, item_list_name: this.listName, items: [this.ga4Item(item, index)] },
      });
      this.dispatchEvent(new CustomEvent('aisle-click', {
        bubbles: true, composed: true, detail: { placement: this.placement, listId: this.listId, item: item.id, index },
      }));
    }
  }
  customElements.define('aisle-recs', AisleRecs);
}

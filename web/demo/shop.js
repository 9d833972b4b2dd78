// The demo store's own code -- what any shop already has: pages rendered from its product
// data (here the catalog.tsv export the snapshot was built from), a cart, and GA4
// e-commerce events sent through dataLayer and gtag. aisle needs nothing more: the
// <aisle-recs> elements and the script tag in each page are the whole integration.
// Catalog text goes in with textContent only, catalog URLs only if they are http(s).

window.dataLayer = window.dataLayer || [];
function gtag() { window.dataLayer.push(arguments); } // the standard GA4 snippet
const CART_KEY = 'demo-shop:cart';
const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v != null) e.setAttribute(k, v); // null: no such attribute (a link without href)
  }
  e.append(...children);
  return e;
};
const params = new URLSearchParams(location.search);
const money = (v, currency = 'USD') => new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(v);
// A catalog URL as a link or image source: http(s), absolute or relative to the store; null
// for anything else (`javascript:`, `data:`, ...), which must never run in the shop's page.
function webUrl(value) {
  let url;
  try { url = new URL(value, location.href); } catch { return null; }
  return /^https?:$/.test(url.protocol) ? url.href : null;
}

// ---- the shop's product data ----
async function loadCatalog() {
  const text = await (await fetch('catalog.tsv')).text();
  const [head, ...rows] = text.trimEnd().split('\n');
  const cols = head.split('\t');
  const now = Date.now();
  const items = new Map();
  for (const row of rows) {
    const f = Object.fromEntries(row.split('\t').map((v, i) => [cols[i], v]));
    const [price, currency] = f.price.split(' ');
    const [start, end] = (f.sale_price_effective_date || '/').split('/');
    const onSale = f.sale_price && (!start || Date.parse(start) <= now) && (!end || now < Date.parse(end) + 86400000);
    const path = f.product_type.split(' > ');
    items.set(f.id, {
      id: f.id, title: f.title, url: webUrl(f.link), image: webUrl(f.image_link), brand: f.brand, currency,
      price: Number(price), salePrice: onSale ? Number(f.sale_price.split(' ')[0]) : null,
      dept: path[0], category: path[path.length - 1], group: f.item_group_id,
      variant: f.color || f.size, available: f.availability !== 'out_of_stock',
    });
  }
  return items;
}

const ga4Item = (it, quantity = 1) => ({
  item_id: it.id, item_name: it.title, item_brand: it.brand, item_category: it.category,
  price: it.salePrice ?? it.price, quantity,
});

// ---- cart ----
const readCart = () => {
  try {
    const c = JSON.parse(localStorage.getItem(CART_KEY) ?? '[]');
    return Array.isArray(c) ? c.filter((l) => typeof l.id === 'string' && l.qty > 0) : [];
  } catch {
    return [];
  }
};
const writeCart = (lines) => {
  localStorage.setItem(CART_KEY, JSON.stringify(lines));
  const n = lines.reduce((t, l) => t + l.qty, 0);
  $('#cart-count').textContent = n;
};
function addToCart(it) {
  const lines = readCart();
  const line = lines.find((l) => l.id === it.id);
  if (line) line.qty++; else lines.push({ id: it.id, qty: 1 });
  writeCart(lines);
  gtag('event', 'add_to_cart', { currency: it.currency, value: it.salePrice ?? it.price, items: [ga4Item(it)] });
}

// ---- page parts ----
function card(it) {
  return el('li', { class: 'card' },
    el('a', { href: it.url },
      el('img', { src: it.image, alt: '', loading: 'lazy' }),
      el('span', { class: 'title', text: it.title }),
      el('span', { class: 'brand', text: it.brand }),
      priceTag(it)));
}
function priceTag(it) {
  const p = el('span', { class: 'price' });
  if (it.salePrice != null) p.append(el('s', { text: money(it.price, it.currency) }), ' ', el('span', { class: 'sale', text: money(it.salePrice, it.currency) }));
  else p.textContent = money(it.price, it.currency);
  return p;
}
const recs = (placement, attrs = {}) => el('aisle-recs', { placement, ...attrs });

function header(items) {
  const depts = [...new Set([...items.values()].map((i) => i.dept))];
  const nav = el('nav', { 'aria-label': 'Departments' }, ...depts.map((d) => el('a', { href: `category.html?dept=${encodeURIComponent(d)}`, text: d })));
  const cart = el('a', { href: 'cart.html', class: 'cart-link' }, 'Cart (', el('span', { id: 'cart-count', text: '0' }), ')');
  document.body.prepend(el('header', { class: 'site' }, el('a', { href: './', class: 'logo', text: 'Harbor & Pine' }), nav, cart));
  document.body.append(el('footer', { class: 'site' }, 'A demo store for ', el('a', { href: 'snapshot.html', text: 'the aisle engine' }),
    ': recommendations are computed in this browser; nothing you do here leaves it.'));
  writeCart(readCart());
}

// ---- pages ----
const pages = {
  home(items, main) {
    main.append(
      el('section', { class: 'hero' }, el('h1', { text: 'Good things for home, fitness and gifting' }),
        el('p', { text: 'New arrivals every week. Free returns for 30 days.' })),
      recs('home', { limit: '8' }),
      el('h2', { text: 'Shop by category' }),
      el('ul', { class: 'tiles' }, ...[...new Set([...items.values()].map((i) => i.category))].slice(0, 12).map((c) => {
        const first = [...items.values()].find((i) => i.category === c);
        return el('li', {}, el('a', { href: `category.html?c=${encodeURIComponent(c)}` }, el('img', { src: first.image, alt: '' }), el('span', { text: c })));
      })));
  },

  category(items, main) {
    const dept = params.get('dept');
    const cat = params.get('c');
    const sort = params.get('sort') ?? '';
    const sale = params.get('filter') === 'on_sale';
    let list = [...items.values()].filter((i) => (cat ? i.category === cat : i.dept === dept));
    if (sale) list = list.filter((i) => i.salePrice != null);
    if (sort === 'price_asc') list.sort((a, b) => (a.salePrice ?? a.price) - (b.salePrice ?? b.price));
    const seen = new Set();
    list = list.filter((i) => !i.group || (!seen.has(i.group) && seen.add(i.group))).slice(0, 24);
    const name = cat ?? dept ?? 'All';
    const link = (p) => `category.html?${new URLSearchParams({ ...(cat ? { c: cat } : { dept }), ...p })}`;
    main.append(
      el('h1', { text: name }),
      el('p', { class: 'tools' }, 'Sort: ', el('a', { href: link(sale ? { filter: 'on_sale' } : {}), text: 'Popular' }), ' · ',
        el('a', { href: link({ sort: 'price_asc', ...(sale ? { filter: 'on_sale' } : {}) }), text: 'Price, low to high' }), ' · ',
        el('a', { href: link(sale ? {} : { filter: 'on_sale', ...(sort ? { sort } : {}) }), text: sale ? 'All items' : 'On sale only' })),
      recs('category', cat ? { category: cat, limit: '4' } : { limit: '4' }),
      el('ul', { class: 'grid' }, ...list.map(card)));
    window.dataLayer.push({ event: 'view_item_list', sort, filter: sale ? 'on_sale' : '',
      ecommerce: { item_list_name: name, items: list.map((it, i) => ({ ...ga4Item(it), index: i })) } });
  },

  product(items, main) {
    const it = items.get(params.get('id'));
    if (!it) {
      main.append(el('h1', { text: 'Product not found' }), el('p', {}, el('a', { href: './', text: 'Back to the store' })));
      return;
    }
    document.title = `${it.title} — Harbor & Pine`;
    const variants = [...items.values()].filter((v) => it.group && v.group === it.group);
    const added = el('p', { class: 'added', role: 'status' });
    main.append(
      el('p', { class: 'crumbs' }, el('a', { href: `category.html?dept=${encodeURIComponent(it.dept)}`, text: it.dept }), ' › ',
        el('a', { href: `category.html?c=${encodeURIComponent(it.category)}`, text: it.category })),
      el('article', { class: 'product' },
        el('img', { src: it.image, alt: it.title }),
        el('div', {},
          el('h1', { text: it.title }), el('p', { class: 'brand', text: `by ${it.brand}` }), priceTag(it),
          variants.length > 1 ? el('p', { class: 'variants' }, ...variants.map((v) => el('a', { href: v.url, class: v.id === it.id ? 'on' : '', text: v.variant }))) : '',
          el('button', { type: 'button', id: 'add', ...(it.available ? {} : { disabled: '' }), text: it.available ? 'Add to cart' : 'Out of stock',
            onclick: () => { addToCart(it); added.textContent = 'Added to your cart.'; } }),
          added)),
      recs('product', { item: it.id, limit: '6' }));
    window.dataLayer.push({ event: 'view_item', ecommerce: { currency: it.currency, value: it.salePrice ?? it.price, items: [ga4Item(it)] } });
  },

  cart(items, main) {
    const lines = readCart().filter((l) => items.has(l.id));
    const body = el('tbody');
    let total = 0;
    for (const l of lines) {
      const it = items.get(l.id);
      total += (it.salePrice ?? it.price) * l.qty;
      body.append(el('tr', {},
        el('td', {}, el('a', { href: it.url, text: it.title })), el('td', { text: String(l.qty) }),
        el('td', { text: money((it.salePrice ?? it.price) * l.qty, it.currency) }),
        el('td', {}, el('button', { type: 'button', class: 'link', text: 'Remove', onclick: () => {
          writeCart(readCart().filter((x) => x.id !== l.id));
          window.dataLayer.push({ event: 'remove_from_cart', ecommerce: { items: [ga4Item(it, l.qty)] } });
          location.reload();
        } }))));
    }
    gtag('event', 'view_cart', { currency: 'USD', value: total, items: lines.map((l) => ga4Item(items.get(l.id), l.qty)) });
    main.append(el('h1', { text: 'Your cart' }),
      lines.length ? el('table', { class: 'cart' }, el('thead', {}, el('tr', {}, ...['Item', 'Qty', 'Price', ''].map((h) => el('th', { text: h })))), body)
        : el('p', { text: 'Your cart is empty.' }),
      lines.length ? el('p', { class: 'total' }, `Total: ${money(total)} `, el('a', { href: 'checkout.html', class: 'button', text: 'Checkout',
        onclick: () => window.dataLayer.push({ event: 'begin_checkout', ecommerce: { items: lines.map((l) => ga4Item(items.get(l.id), l.qty)) } }) })) : '',
      recs('cart', { limit: '4' }));
  },

  checkout(items, main) {
    const lines = readCart().filter((l) => items.has(l.id));
    if (params.get('done')) {
      main.append(el('h1', { text: 'Thank you for your order' }), el('p', { text: `Order ${params.get('done')} is on its way.` }),
        recs('post_purchase', { limit: '4' }));
      return;
    }
    main.append(el('h1', { text: 'Checkout' }),
      el('form', { class: 'checkout', onsubmit: (e) => {
        e.preventDefault();
        const id = `HP-${Date.now().toString(36).toUpperCase()}`;
        const value = lines.reduce((t, l) => t + (items.get(l.id).salePrice ?? items.get(l.id).price) * l.qty, 0);
        window.dataLayer.push({ event: 'purchase', ecommerce: { transaction_id: id, currency: 'USD', value, items: lines.map((l) => ga4Item(items.get(l.id), l.qty)) } });
        writeCart([]);
        setTimeout(() => location.assign(`checkout.html?done=${id}`), 50);
      } },
      el('label', {}, 'Email ', el('input', { type: 'email', name: 'email', required: '', value: 'shopper@example.com' })),
      el('p', { text: `${lines.length} item(s) in your order.` }),
      el('button', { type: 'submit', id: 'place-order', ...(lines.length ? {} : { disabled: '' }), text: 'Place order' })));
  },
};

// ---- the debug panel: the detected context and each item's reasons, per list ----
function debugPanel() {
  const lists = new Map();
  const panel = el('aside', { id: 'debug', 'aria-label': 'Why these recommendations', hidden: '' });
  const toggle = el('button', { type: 'button', id: 'debug-toggle', 'aria-expanded': 'false', text: 'Why these?' });
  const on = () => localStorage.getItem('demo-shop:debug') === '1';
  const draw = () => {
    panel.hidden = !on();
    toggle.setAttribute('aria-expanded', String(on()));
    if (panel.hidden) return;
    const s = window.aisle?.stats() ?? {};
    panel.replaceChildren(el('h2', { text: 'Why these recommendations' }),
      el('p', { class: 'stats', text: `engine ${s.state}; snapshot from ${s.snapshot?.source ?? '—'}; ${s.tracked} events tracked this page, ${s.visitEvents} in the visit; ${s.ignored} ignored` }));
    for (const [placement, r] of lists) {
      const ctx = r.context ? Object.entries(r.context).filter(([, v]) => v === true).map(([k]) => k) : [];
      panel.append(el('h3', { text: `${placement} — ${r.mode}` }),
        r.context ? el('p', { class: 'ctx', text: `visitor ${r.context.visitor}, traffic ${r.context.traffic}; context: ${ctx.join(', ') || 'none detected'}` }) : '',
        el('ol', {}, ...r.items.map((it) => el('li', {}, el('strong', { text: it.title }),
          el('ul', {}, ...(it.reasons ?? []).map((x) => el('li', { text: `${x.text} (${x.code}, ${Math.round(x.contribution * 100)}%)` })))))));
    }
  };
  toggle.addEventListener('click', () => { localStorage.setItem('demo-shop:debug', on() ? '0' : '1'); draw(); });
  document.addEventListener('aisle-render', (e) => { lists.set(e.detail.placement, e.detail); draw(); });
  document.body.append(toggle, panel);
  draw();
}

const items = await loadCatalog();
header(items);
const main = $('main');
pages[document.body.dataset.page]?.(items, main);
debugPanel();

// The simulated shopper beyond product clicks: the page events whose parameters the engine
// reads as context (a search and its term, a list sorted by price or filtered to sale items,
// a coupon), and the history a returning visitor brings from earlier visits, given to the
// engine as the profile a real shopper's browser keeps (engine.importProfile, core/profile.h).
import { $, el } from './dom.js';

const DAY = 86400000;
const MAX_DAYS = 3650;
export const MAX_HISTORY = 32; // the profile keeps the latest 32 items viewed and 32 bought

// Each signal as the GA4 event and parameter that carries it (core/context.cpp reads them).
const SIGNALS = {
  search: (term) => ({ event: 'search', search_term: term }),
  sort: () => ({ event: 'view_item_list', sort: 'price_asc' }),
  sale: () => ({ event: 'view_item_list', filter: 'on_sale' }),
  coupon: (code) => ({ event: 'begin_checkout', coupon: code }),
};

/** A visit's event as the timeline shows it. */
export function describe(e) {
  if (e.search_term) return `search "${e.search_term}"`;
  if (e.sort) return 'a list sorted by price, lowest first';
  if (e.filter) return 'a list filtered to sale items';
  const items = e.items.map((i) => i.item_id).join(', ');
  return `${e.event.replace(/_/g, ' ')}${e.coupon ? ` with coupon ${e.coupon}` : ''}${items ? ` ${items}` : ''}`;
}

// A typed number of days ago: whole, 0 to MAX_DAYS.
const daysAgo = (text) => Math.max(0, Math.min(MAX_DAYS, Math.round(Number(text)) || 0));

let history = []; // {id, bought, days}: the returning visitor's earlier views and purchases
let catalog = { byId: new Map(), current: () => null };

/** The profile JSON for the visitor chosen, its history dated back from `now` (ms). */
export function profile(now) {
  const returning = $('visitor').value === 'returning';
  const entries = (bought) => history.filter((h) => returning && h.bought === bought)
    .sort((a, b) => b.days - a.days) // oldest first, as the profile keeps them
    .map((h) => [h.id, Math.max(0, now - h.days * DAY)]);
  return JSON.stringify({ v: 1, visits: returning ? 1 : 0, views: entries(false), purchases: entries(true) });
}

function renderHistory() {
  $('history').hidden = $('visitor').value !== 'returning';
  const current = catalog.current();
  for (const id of ['history-viewed', 'history-bought']) $(id).disabled = !current;
  $('history-list').replaceChildren(...history.map((h, i) => {
    const days = el('input', { type: 'number', min: 0, max: MAX_DAYS, value: h.days, 'aria-label': `days ago ${h.id}` });
    days.addEventListener('change', () => {
      h.days = daysAgo(days.value);
      days.value = h.days;
      changed();
    });
    return el('li', { 'data-id': h.id },
      el('span', { text: `${h.bought ? 'bought' : 'viewed'} ${catalog.byId.get(h.id)?.title ?? h.id}` }), ' ', days, ' days ago ',
      el('button', { type: 'button', class: 'quiet', text: '✕', 'aria-label': `remove ${h.id} from the history`,
        onclick: () => { history.splice(i, 1); changed(); } }));
  }));
  const counts = [false, true].map((b) => history.filter((h) => h.bought === b).length);
  $('history-note').textContent = history.length ? `${counts[0]} viewed, ${counts[1]} bought (the engine keeps ${MAX_HISTORY} of each).`
    : 'No history yet: open a product, then add it as viewed or bought.';
}

let changed = () => {};

// Adds the open product to the history; the same product and kind is dated anew, not repeated.
function remember(bought) {
  const item = catalog.current();
  if (!item) return;
  const days = daysAgo($('history-days').value);
  history = history.filter((h) => !(h.id === item.id && h.bought === bought));
  if (history.filter((h) => h.bought === bought).length >= MAX_HISTORY) {
    history.splice(history.findIndex((h) => h.bought === bought), 1);
  }
  history.push({ id: item.id, bought, days });
  changed();
}

/**
 * Wires the signal buttons and the history. `act(fields)` adds an event to the visit;
 * `refresh()` replays it; `byId` and `current()` give the catalog and the open product.
 */
export function init({ act, refresh, byId, current }) {
  catalog = { byId, current };
  changed = () => { renderHistory(); refresh(); };
  const term = $('term');
  const search = () => { if (term.value.trim()) act(SIGNALS.search(term.value.trim().slice(0, 100))); };
  $('do-search').addEventListener('click', search);
  term.addEventListener('keydown', (e) => { if (e.key === 'Enter') search(); });
  $('sort-price').addEventListener('click', () => act(SIGNALS.sort()));
  $('filter-sale').addEventListener('click', () => act(SIGNALS.sale()));
  $('apply-coupon').addEventListener('click', () => $('coupon').value.trim() && act(SIGNALS.coupon($('coupon').value.trim().slice(0, 100))));
  $('history-viewed').addEventListener('click', () => remember(false));
  $('history-bought').addEventListener('click', () => remember(true));
}

/** After the catalog or the open product changed: the history's titles and buttons. */
export function update(byId) {
  catalog.byId = byId;
  history = history.filter((h) => byId.has(h.id));
  renderHistory();
}

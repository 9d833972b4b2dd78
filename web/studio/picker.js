// The rules form's pickers: an item picker (a combobox over the catalog: title, image, id,
// price), a list of values as removable chips (a scope's pages or search terms), and the
// catalog's own values offered to a match by brand, category, label or margin tier.
// Catalog text goes in with textContent; only http(s) images are shown.

import { el } from './dom.js';

const MAX_RESULTS = 8; // a picker lists at most this many items: the first matches in catalog order
let uid = 0;

function thumb(src) {
  let url = null;
  try { url = src ? new URL(src, location.href) : null; } catch { /* not a URL: no image */ }
  return url && /^https?:$/.test(url.protocol) ? el('img', { src: url.href, alt: '', loading: 'lazy', width: 32, height: 32 })
    : el('span', { class: 'noimg' });
}
// One catalog item as the picker shows it (its options, and the item chosen beside the box).
export function itemCard(it, money) {
  return el('span', { class: 'card' }, thumb(it.image),
    el('span', {}, el('span', { class: 'title', text: it.title }), el('small', { class: 'muted', text: ` ${it.id} · ${money(it)}` })));
}

// A combobox for an item id (ARIA 1.2 pattern: the focus stays in the box, the options are
// chosen with the arrows and Enter, Escape closes). Typing an id sets it at once (an id the
// catalog lacks too: `aisle qa` reports it); choosing an option sets its id.
// catalog: [{id, title, brand, image, key}], key the lower-case text searched.
export function itemPicker({ catalog, byId, money, value, label, onChange }) {
  const id = `picker-${++uid}`;
  const input = el('input', { type: 'text', value, 'aria-label': label, role: 'combobox', 'aria-autocomplete': 'list',
    'aria-expanded': 'false', 'aria-controls': id, autocomplete: 'off', placeholder: 'search title, brand or id' });
  const box = el('ul', { id, role: 'listbox', class: 'options', hidden: true, 'aria-label': `${label} options` });
  const chosen = el('span', { class: 'chosen' });
  let hits = [];
  let active = -1;
  // The item chosen beside the box; an id the catalog lacks marks the box (once the
  // merchandiser leaves it: not while typing a search), without moving anything.
  const show = (done = true) => {
    const it = byId.get(input.value);
    chosen.replaceChildren(it ? itemCard(it, money) : '');
    input.setAttribute('aria-invalid', String(done && !it && input.value !== ''));
    input.title = done && !it && input.value !== '' ? 'not in the catalog' : '';
  };
  const mark = (i) => {
    active = i;
    [...box.children].forEach((o, k) => o.setAttribute('aria-selected', String(k === i)));
    if (i >= 0) { input.setAttribute('aria-activedescendant', `${id}-${i}`); box.children[i].scrollIntoView({ block: 'nearest' }); }
    else input.removeAttribute('aria-activedescendant');
  };
  const close = () => { box.hidden = true; input.setAttribute('aria-expanded', 'false'); mark(-1); };
  const pick = (it) => {
    input.value = it.id;
    close();
    show();
    onChange(it.id);
  };
  const search = () => {
    const q = input.value.trim().toLowerCase();
    hits = [];
    for (const it of catalog) {
      if (!q) break;
      if (it.key.includes(q) && hits.push(it) >= MAX_RESULTS) break;
    }
    box.replaceChildren(...hits.map((it, i) => el('li', { id: `${id}-${i}`, role: 'option', 'aria-selected': 'false', 'data-id': it.id,
      onmousedown: (e) => e.preventDefault(), onclick: () => pick(it) }, itemCard(it, money))));
    box.hidden = !hits.length;
    input.setAttribute('aria-expanded', String(!!hits.length));
    active = -1;
  };
  input.addEventListener('input', () => { search(); show(false); onChange(input.value); });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (box.hidden) search();
      if (!hits.length) return;
      e.preventDefault();
      mark((active + (e.key === 'ArrowDown' ? 1 : hits.length - 1 + (active < 0 ? 1 : 0))) % hits.length);
    } else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault();
      pick(hits[active]);
    } else if (e.key === 'Escape' && !box.hidden) {
      e.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', () => { close(); show(); });
  show();
  return el('span', { class: 'picker' }, input, box, chosen);
}

// A list of strings as chips, each removable, and a box to add one (Enter or a datalist
// choice); onChange gets the new array. Values are kept as written, in their order.
export function chipList({ values, label, list, onChange }) {
  const chips = el('span', { class: 'chips' });
  const input = el('input', { type: 'text', 'aria-label': `add ${label}`, list, placeholder: `add ${label}` });
  const render = () => chips.replaceChildren(...values.map((v, i) => el('span', { class: 'chip' }, el('span', { text: v }),
    el('button', { type: 'button', class: 'quiet', text: '✕', 'aria-label': `remove ${label} ${v}`,
      onclick: () => { values = values.filter((x, k) => k !== i); render(); onChange(values); } }))));
  const add = () => {
    const v = input.value.trim();
    input.value = '';
    if (!v || values.includes(v)) return;
    values = [...values, v];
    render();
    onChange(values);
  };
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); add(); } });
  input.addEventListener('change', add); // a datalist choice, or leaving the box
  render();
  return el('span', { class: 'chiplist' }, chips, input);
}

// Datalists of the catalog's brands, categories, labels and margin tiers, for the match
// boxes (`list="values-brand"`); labels read as their mapped field names. Labels starting
// with `~` are the build's (`~margin=10..`, `~stock=..5`: a margin or stock range of the
// rules evaluated by `aisle build`, docs/rules.md), not the merchant's: left out.
export const buildLabel = (label) => label.startsWith('~');
export function catalogValues(catalog, labelText) {
  const sets = { brand: new Set(), category: new Set(), label: new Set(), margin_tier: new Set() };
  for (const it of catalog) {
    if (it.brand) sets.brand.add(it.brand);
    if (it.category) sets.category.add(it.category);
    if (it.margin_tier) sets.margin_tier.add(it.margin_tier);
    for (const l of it.labels ?? []) if (!buildLabel(l)) sets.label.add(l);
  }
  return Object.entries(sets).map(([kind, set]) => el('datalist', { id: `values-${kind}` },
    ...[...set].sort().map((v) => el('option', { value: v, label: kind === 'label' ? labelText(v) : undefined }))));
}

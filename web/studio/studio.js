// aisle studio: a merchandiser simulates a shopper, sees every placement's list with its
// reasons, edits the rules (validated by the engine's own parser, applied at once through
// its preview API), compares exposure before and after, and exports rules.json for
// `aisle build --rules` and `aisle qa --rules`. Catalog text goes in with textContent.
import { createEngine } from '../aisle/engine.js';
import { landingEvent } from '../aisle/record.js';
import { $, el } from './dom.js';
import * as drafts from './drafts.js';
import { contextText, labelText, percentShares, placementName } from './labels.js';
import { buildLabel, catalogValues, itemPicker } from './picker.js';
import { scopeEditor } from './scope.js';
import * as visitor from './visitor.js';

const PLACEMENTS = ['product', 'cart', 'home', 'category', 'post_purchase', 'search_empty'];
const MATCH_KINDS = ['item', 'label', 'brand', 'category', 'margin_tier', 'promo', 'new_arrival_days'];
// Matches the form does not edit (docs/rules.md); choosing a simple match replaces them.
const COMBINED_MATCHES = ['all', 'any', 'not', 'price'];

let engine;
let catalog = []; // {id, title, brand, category, price, labels, launch, index}
let byId = new Map();
let baseRules = {}; // as loaded: the "before" of the exposure view
let rules = {};     // as edited
let events = [];    // this visit: GA4-shaped events
let current = null; // the product on the page

// ---- loading ----
async function load(bytes, name) {
  const result = engine.load(bytes);
  catalog = [];
  for (let i = 0; i < result.items; i++) {
    const it = engine.itemAt(i);
    catalog.push({ ...it, index: i, key: `${it.id} ${it.title} ${it.brand}`.toLowerCase() });
  }
  byId = new Map(catalog.map((i) => [i.id, i]));
  const text = engine.snapshotRules;
  drafts.use(null); // nothing is kept while the loaded rules go in
  setBase(text ? JSON.parse(text) : {});
  const draft = drafts.use(result.checksum, refusal);
  if (draft) {
    rules = draft;
    renderEditor();
    applyRules();
  }
  $('status').textContent = `${name}: ${result.items.toLocaleString()} items, rules ${text ? 'compiled in' : 'none'}.`;
  resetVisit();
}

function setBase(r) {
  baseRules = r;
  rules = structuredClone(r);
  renderEditor();
  applyRules();
}

// ---- the shopper ----
function now() {
  const v = $('date').value;
  return v ? Date.parse(v) : Date.now();
}
function trafficFields() {
  const [source, medium] = ($('traffic').value || '/').split('/');
  return source ? { source, medium } : {};
}
function resetVisit() {
  events = [];
  current = null;
  refresh();
}
// Adds a shopper action to the visit: GA4's event name, items and parameters (visitor.js).
function act(event, ids, params = {}) {
  events.push({ event, items: ids.map((item_id) => ({ item_id })), ...params, timestamp: now() + events.length * 60000 });
  refresh();
}
function view(id) {
  current = byId.get(id) ?? null;
  act('view_item', [id]);
}
// Replays the visit on a fresh session (and the visitor's profile) so every change shows at
// once. The traffic source comes with the landing, as the storefront loader gives it: the
// home page's first list knows it before any product view.
function replay() {
  engine.endVisit();
  engine.importProfile(visitor.profile(now()));
  const landing = landingEvent(trafficFields(), now());
  if (landing) engine.track(landing);
  events.forEach((e) => engine.track(e));
}

function refresh() {
  if (!engine?.itemCount) return;
  replay();
  $('add').disabled = !current;
  $('buy').disabled = !events.some((e) => e.event === 'add_to_cart');
  $('current').replaceChildren(current ? el('div', {}, el('strong', { text: current.title }),
    el('div', { class: 'muted', text: `${current.id} · ${current.category} · ${money(current)}` })) : el('span', { class: 'muted', text: 'No product open: pick one.' }));
  $('timeline').replaceChildren(...events.map((e) => el('li', { text: visitor.describe(e) })));
  visitor.update(byId);
  const lists = PLACEMENTS.map((placement) => {
    const opts = { placement, k: 6, now: now() + events.length * 60000 };
    if (placement === 'product' && current) opts.item = current.id;
    if (placement === 'category' && current) opts.category = current.category;
    return engine.recommend(opts);
  });
  $('context').textContent = `Context: ${contextText(lists[0].context)}.`;
  $('placements').replaceChildren(...lists.map((l) => el('div', { class: 'placement', 'data-placement': l.placement },
    el('h3', {}, el('span', { text: placementName(l.placement), title: l.placement }), el('small', { class: 'muted', text: `${l.mode}, ${l.slots} slots` })),
    el('ol', {}, ...l.items.map((it) => el('li', { 'data-id': it.id },
      el('button', { type: 'button', class: 'link', text: it.title, onclick: () => view(it.id) }),
      el('div', { class: 'muted', text: `${money(it)} · score ${it.score.toFixed(3)}` }),
      ...reasonRows(it.reasons)))))));
}
// Each reason as shoppers read it, its code as a hint, and its share of the score in whole
// percentages that add up to 100 (percentShares). The engine gives the three strongest
// sources (core/engine_select.cpp): what the others add shows as "other sources"; where a
// demotion made the reasons' sum pass the score, the shares are of their sum.
function reasonRows(reasons) {
  const given = reasons.map((r) => r.contribution);
  const shares = percentShares([...given, Math.max(0, 1 - given.reduce((s, v) => s + v, 0))]);
  const row = (text, code, share) => el('div', { class: 'reason', 'data-share': share },
    el('span', {}, el('span', { text }), ' ', code ? el('small', { class: 'code', title: 'the reason code in the list JSON', text: code }) : ''),
    el('span', { class: 'share', text: `${share}%` }),
    el('div', { class: 'bar', title: `${share}% of the score` }, el('span', { style: `width:${share}%` })));
  const rows = reasons.map((r, i) => row(r.text, r.code, shares[i]));
  if (shares.at(-1) > 0) rows.push(row('Other sources', '', shares.at(-1)));
  return rows;
}

function money(it) {
  const v = it.sale_price ?? it.price;
  try { return new Intl.NumberFormat(undefined, { style: 'currency', currency: it.currency || 'USD' }).format(v); } catch { return String(v); }
}

// ---- the rules editor ----
function applyRules() {
  const text = JSON.stringify(rules, null, 2);
  if (document.activeElement !== $('json')) $('json').value = text;
  try {
    engine.setRules(text);
    $('rules-status').className = 'ok';
    $('rules-status').textContent = 'Valid: applied.';
    drafts.keep(rules, baseRules);
  } catch (e) {
    $('rules-status').className = 'error';
    $('rules-status').textContent = e.message; // the engine's message, with its JSON path
  }
  refresh();
}

function matchOf(m = {}) {
  const kind = MATCH_KINDS.find((k) => k in m) ?? 'item';
  return { kind, value: m[kind] ?? '' };
}
function makeMatch(kind, value) {
  if (kind === 'promo') return { promo: true };
  if (kind === 'new_arrival_days') return { new_arrival_days: Number(value) || 30 };
  return { [kind]: String(value) };
}

// An input bound to a rule field: edits update the rules and apply them.
function field(obj, key, type = 'text', attrs = {}) {
  const input = el('input', { type, value: obj[key] ?? '', 'aria-label': key, ...attrs });
  input.addEventListener('input', () => {
    if (type === 'number') obj[key] = input.value === '' ? undefined : Number(input.value);
    else if (type === 'datetime-local') obj[key] = input.value ? new Date(input.value).toISOString() : undefined;
    else if (input.value === '' && key === 'reason') delete obj[key]; // optional: the generic reason
    else obj[key] = input.value;
    applyRules();
  });
  const ms = typeof obj[key] === 'number' ? obj[key] : Date.parse(obj[key]); // the engine takes epoch ms too
  if (type === 'datetime-local' && Number.isFinite(ms)) input.value = localInput(ms);
  return input;
}
// The catalog's values offered to a match by brand, category, label or margin tier (datalists,
// made once per catalog); labels read under their mapped field names.
let valuesOf = null;
const mapping = () => rules.field_mapping ?? baseRules.field_mapping ?? {};
function catalogDatalists() {
  if (valuesOf === catalog) return;
  valuesOf = catalog;
  $('catalog-values')?.remove();
  document.body.append(el('div', { id: 'catalog-values', hidden: true }, ...catalogValues(catalog, (l) => labelText(l, mapping()))));
}
const pickItem = (value, label, onChange) => itemPicker({ catalog, byId, money, value, label, onChange });
function matchFields(rule, key = 'match') {
  const target = key ? (rule[key] ??= { item: '' }) : rule;
  const m = matchOf(target);
  const kind = el('select', { 'aria-label': 'match' }, ...MATCH_KINDS.map((k) => el('option', { value: k, text: k.replace(/_/g, ' '), selected: k === m.kind })));
  const slot = el('span', { class: 'match-value' });
  const set = (value) => {
    const next = makeMatch(kind.value, value);
    if (key) rule[key] = next;
    else { for (const k of [...MATCH_KINDS, ...COMBINED_MATCHES]) delete rule[k]; Object.assign(rule, next); }
    applyRules();
  };
  const control = (k, v) => {
    if (k === 'item') return pickItem(v, 'match value', set);
    const hint = el('small', { class: 'muted' });
    const input = el('input', { type: 'text', value: v, 'aria-label': 'match value', disabled: k === 'promo',
      list: ['brand', 'category', 'label', 'margin_tier'].includes(k) ? `values-${k}` : undefined });
    const describe = () => { hint.textContent = k === 'label' && input.value.includes('=') ? labelText(input.value, mapping()) : ''; };
    input.addEventListener('input', () => { describe(); set(input.value); });
    describe();
    return el('span', {}, input, hint);
  };
  slot.append(control(m.kind, m.value === true ? '' : m.value));
  kind.addEventListener('change', () => {
    const v = slot.querySelector('input').value;
    slot.replaceChildren(control(kind.value, v));
    set(v);
  });
  return [kind, slot];
}
// aimed: the rules take placements, segments, pages and search terms (docs/rules.md).
function list(key, title, blank, row, aimed = false) {
  const items = (rules[key] ??= []);
  const box = el('fieldset', { 'data-rule': key }, el('legend', { text: title }));
  items.forEach((r, i) => box.append(el('div', { class: 'rule' }, ...row(r),
    el('button', { type: 'button', class: 'quiet', text: '✕', 'aria-label': `remove ${title} ${i + 1}`, onclick: () => { items.splice(i, 1); if (!items.length) delete rules[key]; renderEditor(); applyRules(); } }),
    aimed ? scopeEditor(r, applyRules) : '')));
  box.append(el('button', { type: 'button', class: 'quiet', text: `+ ${title.replace(/s$/, '').toLowerCase()}`, onclick: () => { (rules[key] ??= []).push(blank()); renderEditor(); applyRules(); } }));
  if (!items.length) delete rules[key];
  return box;
}

function renderEditor() {
  catalogDatalists();
  const slots = el('fieldset', { 'data-rule': 'slots' }, el('legend', { text: 'Slots per placement' }));
  for (const p of PLACEMENTS) {
    const cur = rules.placements?.[p]?.slots ?? '';
    const input = el('input', { type: 'number', min: 1, max: 100, value: cur, placeholder: 'default', 'aria-label': `${p} slots` });
    input.addEventListener('input', () => {
      rules.placements ??= {};
      const pl = (rules.placements[p] ??= {});
      if (input.value === '') delete pl.slots; else pl.slots = Number(input.value);
      if (!Object.keys(pl).length) delete rules.placements[p];
      if (!Object.keys(rules.placements).length) delete rules.placements;
      applyRules();
    });
    slots.append(el('label', { class: 'row', title: p }, `${placementName(p)} `, input));
  }
  const exploration = el('fieldset', { 'data-rule': 'exploration' }, el('legend', { text: 'Exploration' }));
  const ex = rules.exploration ?? {};
  for (const [k, min, max] of [['slots', 0, 20], ['max_age_days', 1, 3650], ['max_views', 0, 1000000]]) {
    const input = el('input', { type: 'number', min, max, value: ex[k] ?? '', 'aria-label': `exploration ${k}` });
    input.addEventListener('input', () => {
      rules.exploration ??= {};
      if (input.value === '') delete rules.exploration[k]; else rules.exploration[k] = Number(input.value);
      if (!Object.keys(rules.exploration).length) delete rules.exploration;
      applyRules();
    });
    exploration.append(el('label', { class: 'row' }, `${k.replace(/_/g, ' ')} `, input));
  }
  $('editor').replaceChildren(
    list('boosts', 'Boosts', () => ({ name: 'New boost', match: { brand: '' }, factor: 1.5 }),
      (r) => [field(r, 'name'), field(r, 'reason', 'text', { placeholder: 'what shoppers read' }), ...matchFields(r), '×',
        field(r, 'factor', 'number', { step: 0.1, min: 0.01 })], true),
    list('quotas', 'Quotas', () => ({ name: 'Guaranteed share', match: { label: '' }, min_share: 0.25 }),
      (r) => [field(r, 'name'), field(r, 'reason', 'text', { placeholder: 'what shoppers read' }), ...matchFields(r), 'share',
        field(r, 'min_share', 'number', { step: 0.05, min: 0, max: 1 })], true),
    exploration,
    list('pins', 'Pins', () => ({ item: current?.id ?? '', position: 1 }),
      (r) => [pickItem(r.item ?? '', 'item', (id) => { r.item = id; applyRules(); }), 'at', field(r, 'position', 'number', { min: 1, max: 100 }),
        field(r, 'reason', 'text', { placeholder: 'what shoppers read' })], true),
    list('exclusions', 'Exclusions', () => ({ item: '' }), (r) => matchFields(r, null), true),
    list('campaigns', 'Campaigns', () => ({ name: 'Campaign', start: new Date(now()).toISOString(), end: new Date(now() + 7 * 86400000).toISOString(), boosts: [{ name: 'Campaign deal', match: { promo: true }, factor: 1.5 }] }),
      (r) => [field(r, 'name'), 'from', field(r, 'start', 'datetime-local'), 'to', field(r, 'end', 'datetime-local'),
        el('label', { title: DEMOTE_HELP }, checkbox(r, 'demote_expensive_non_promo'), ' Demote full-price items dearer than 70% of their category'),
        el('label', { title: BUNDLES_HELP }, checkbox(r, 'favour_bundles'), ' Lift items bought together or completing a set')]),
    slots);
}
// What the campaign flags do (core/engine_adjust.cpp, docs/rules.md).
const DEMOTE_HELP = 'While the campaign runs, items neither promoted nor on sale whose regular price is above the 70th percentile ' +
  "of the prices of their category's best sellers keep 30% of their score (a category of fewer than 5 is left alone). demote_expensive_non_promo";
const BUNDLES_HELP = 'While the campaign runs, items recommended as bought together with, or as completing a set with, ' +
  "the page's or the visit's items get 30% more score. favour_bundles";
function checkbox(obj, key) {
  const c = el('input', { type: 'checkbox', checked: !!obj[key], 'aria-label': key });
  c.addEventListener('change', () => { if (c.checked) obj[key] = true; else delete obj[key]; applyRules(); });
  return c;
}

// ---- exposure: the same simulated visits under the loaded and the edited rules ----
function random(seed) { // mulberry32: the same visits every run
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function simulate(rulesJson, visits, bands) {
  engine.setRules(rulesJson);
  const rnd = random(7);
  const pool = catalog.filter((i) => i.recommendable && i.availability !== 'out_of_stock');
  const counts = { label: new Map(), category: new Map(), brand: new Map(), placement: new Map(), 'price band': new Map(), 'new or established': new Map() };
  let total = 0;
  const t0 = now();
  const shown = (list) => {
    for (const it of list.items) {
      const c = byId.get(it.id);
      total++;
      const bump = (dim, v) => counts[dim].set(v, (counts[dim].get(v) ?? 0) + 1);
      for (const l of c.labels.filter((x) => !/^(color|size)=/.test(x) && !buildLabel(x))) bump('label', l);
      bump('category', c.category || '(none)');
      bump('brand', c.brand || '(none)');
      bump('placement', list.placement);
      bump('price band', bands.find((b) => (c.sale_price ?? c.price) <= b.max).name);
      bump('new or established', c.launch && t0 - c.launch <= 30 * 86400000 ? 'new (30 days)' : 'established');
    }
    return list.items;
  };
  for (let v = 0; v < visits && pool.length; v++) {
    engine.endVisit();
    engine.importProfile('{"v":1,"visits":0,"views":[],"purchases":[]}');
    let t = t0 + v * 1000;
    shown(engine.recommend({ placement: 'home', k: 8, now: t }));
    let item = pool[Math.floor(rnd() * pool.length)].id;
    for (let step = 0; step < 3; step++) {
      engine.track({ event: 'view_item', items: [{ item_id: item }], timestamp: (t += 60000) });
      const recs = shown(engine.recommend({ placement: 'product', item, k: 6, now: t }));
      if (rnd() < 0.3) {
        engine.track({ event: 'add_to_cart', items: [{ item_id: item }], timestamp: (t += 30000) });
        shown(engine.recommend({ placement: 'cart', k: 4, now: t }));
      }
      if (!recs.length || rnd() < 0.3) break;
      item = recs[Math.floor(rnd() * recs.length)].id;
    }
  }
  return { counts, total };
}
function priceBands() {
  const prices = catalog.map((i) => i.sale_price ?? i.price).sort((a, b) => a - b);
  const q = (p) => prices[Math.min(prices.length - 1, Math.floor(p * prices.length))];
  const cuts = [q(0.25), q(0.5), q(0.75)];
  const f = (v) => Math.round(v);
  return [{ name: `up to ${f(cuts[0])}`, max: cuts[0] }, { name: `${f(cuts[0])}–${f(cuts[1])}`, max: cuts[1] },
    { name: `${f(cuts[1])}–${f(cuts[2])}`, max: cuts[2] }, { name: `over ${f(cuts[2])}`, max: Infinity }];
}
function exposure(from = baseRules, to = rules, caption = '') {
  const visits = Math.max(10, Math.min(2000, Number($('visits').value) || 200));
  const bands = priceBands();
  let before, after;
  try {
    before = simulate(JSON.stringify(from), visits, bands);
    after = simulate(JSON.stringify(to), visits, bands);
  } catch (e) {
    $('exposure-out').replaceChildren(el('p', { class: 'error', text: `Fix the rules first: ${e.message}` }));
    return;
  } finally {
    applyRules();
  }
  const grid = el('div', { class: 'exposure-grid' });
  for (const dim of Object.keys(after.counts)) {
    const keys = [...new Set([...before.counts[dim].keys(), ...after.counts[dim].keys()])];
    const share = (r, k) => (r.total ? (r.counts[dim].get(k) ?? 0) / r.total : 0);
    keys.sort((a, b) => share(after, b) - share(after, a));
    grid.append(el('div', { 'data-dimension': dim }, el('h3', { text: `By ${dim}` }),
      el('table', {}, el('thead', {}, el('tr', {}, ...['', 'before', 'after', 'change'].map((h) => el('th', { text: h })))),
        el('tbody', {}, ...keys.slice(0, 12).map((k) => {
          const d = share(after, k) - share(before, k);
          return el('tr', { 'data-key': k }, el('td', { text: dim === 'label' ? labelText(k, mapping()) : dim === 'placement' ? placementName(k) : k }), el('td', { text: pct(share(before, k)) }),
            el('td', { text: pct(share(after, k)) }),
            el('td', { class: Math.abs(d) < 0.005 ? '' : d > 0 ? 'up' : 'down', text: `${d >= 0 ? '+' : ''}${(d * 100).toFixed(1)} pts` }));
        })))));
  }
  $('exposure-out').replaceChildren(el('p', { class: 'muted', text: `${visits} visits; ${before.total.toLocaleString()} impressions before, ${after.total.toLocaleString()} after.` }), grid);
  if (caption) $('exposure-out').prepend(el('h3', { class: 'caption', text: caption }));
}
const pct = (x) => `${(x * 100).toFixed(1)}%`;
// A time as a datetime-local input shows it: local time, to the minute.
function localInput(ms) {
  return new Date(ms - new Date(ms).getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

// ---- wiring ----
$('search').addEventListener('input', () => {
  const q = $('search').value.trim().toLowerCase();
  const hits = q ? catalog.filter((i) => i.key.includes(q)).slice(0, 30) : [];
  $('results').replaceChildren(...hits.map((i) => el('li', {}, el('button', { type: 'button', class: 'link', text: `${i.title} (${i.id})`, onclick: () => view(i.id) }))));
});
$('add').addEventListener('click', () => current && act('add_to_cart', [current.id]));
$('buy').addEventListener('click', () => {
  const cart = [];
  for (const e of events) {
    for (const i of e.items) {
      if (e.event === 'add_to_cart' && !cart.includes(i.item_id)) cart.push(i.item_id);
      if (e.event === 'purchase') cart.length = 0;
    }
  }
  act('purchase', cart);
});
$('reset').addEventListener('click', resetVisit);
visitor.init({ act: ({ event, ...params }) => act(event, [], params), refresh, byId, current: () => current });
for (const id of ['visitor', 'traffic', 'date']) $(id).addEventListener('change', refresh);
// The raw JSON box: the engine's parser decides first; the editor only ever sees rules it took.
$('json').addEventListener('input', () => {
  const text = $('json').value;
  let parsed;
  try {
    parsed = JSON.parse(text);
    engine.setRules(text); // refused: the engine's message with its JSON path; the last good rules stay
  } catch (e) {
    $('rules-status').className = 'error';
    $('rules-status').textContent = e instanceof SyntaxError ? `Not valid JSON: ${e.message}` : e.message;
    return;
  }
  rules = parsed;
  renderEditor();
  applyRules();
});
// The file says who saved it, when and why (`about`: the engine ignores it, publishing drops it).
// The engine's own check first (as `aisle build --rules` runs it): rules it refuses (a form
// edit shown in red) are not exported.
$('export').addEventListener('click', () => {
  const file = { ...rules, about: drafts.about() }; // an earlier file's `about` is replaced
  const refused = refusal(file); // taken: the engine holds the same rules (it ignores `about`); refused: unchanged
  $('export-note').textContent = refused ? `Not exported: ${refused}.` : '';
  if (refused) return;
  const a = el('a', { href: URL.createObjectURL(new Blob([`${JSON.stringify(file, null, 2)}\n`], { type: 'application/json' })), download: 'rules.json' });
  a.click();
  URL.revokeObjectURL(a.href);
});
$('revert').addEventListener('click', () => setBase(baseRules));
$('simulate').addEventListener('click', () => exposure());
// A version opens only if the engine takes it (else its message, and nothing changes).
drafts.init({ rules: () => rules, base: () => baseRules, exposure, open: (r) => {
  const refused = refusal(r);
  if (refused) return refused;
  rules = JSON.parse(JSON.stringify(r)); // a copy: the version stays as saved
  renderEditor();
  applyRules();
  return '';
} });
// The engine's verdict on rules read back from storage or a file: '' (taken: applyRules
// follows) or why not (refused: the rules in force stay). Rules nested too deeply for
// JSON.stringify never reach the engine.
function refusal(r) {
  let text;
  try {
    text = JSON.stringify(r);
  } catch {
    return 'nested too deeply to read';
  }
  try {
    engine.setRules(text);
    return '';
  } catch (e) {
    return `the engine refuses it (${e.message})`;
  }
}
$('load').addEventListener('submit', async (e) => {
  e.preventDefault();
  await fromUrl($('snap-url').value);
});
$('snap-file').addEventListener('change', async () => {
  const f = $('snap-file').files[0];
  if (f) await guard(async () => load(new Uint8Array(await f.arrayBuffer()), f.name));
});
$('rules-file').addEventListener('change', async () => {
  const f = $('rules-file').files[0];
  if (!f) return;
  await guard(async () => {
    const r = JSON.parse(await f.text());
    const refused = refusal(r); // checked before anything is replaced
    if (refused) throw new Error(`${f.name}: ${refused}`);
    setBase(r);
  });
});

async function guard(fn) {
  try {
    await fn();
  } catch (e) {
    $('status').textContent = `Could not load: ${e.message}`;
  }
}
async function fromUrl(url) {
  await guard(async () => {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
    await load(new Uint8Array(await r.arrayBuffer()), url);
  });
}

$('date').value = localInput(Date.now());
engine = await createEngine({ moduleUrl: new URL('../aisle/engine/aisle_engine.mjs', import.meta.url).href });
const start = new URLSearchParams(location.search).get('snapshot');
await fromUrl(start ?? $('snap-url').value);

// The rules as edited, kept in this browser between reloads (a draft per snapshot), named
// versions the merchandiser saves, and what changed between two rule sets, per JSON path.
// Nothing read back from localStorage is trusted: its size, its JSON, its shape (record.js's
// schema check) and the rules themselves (the engine's parser) are checked first; what
// fails is ignored with a note saying why.
import { $, el } from './dom.js';
import { TIME, conforms, list, num, obj, str } from '../aisle/record.js';

const MAX_STORED = 1 << 20;  // characters of one stored entry read at most
const MAX_VERSIONS = 30;
const MAX_CHANGES = 200;     // paths listed in a diff
const MAX_DEPTH = 16;        // below this, a value is compared whole
const RULES = obj({}, true); // a plain object: the engine's parser judges its keys
const DRAFT = obj({ v: num(1, 1), saved_at: TIME, rules: RULES });
const VERSIONS = obj({ v: num(1, 1), versions: list(MAX_VERSIONS, obj({ name: str(100), author: str(100), saved_at: TIME, rules: RULES })) });
const AUTHOR_KEY = 'aisle-studio:author';

let prefix = null; // 'aisle-studio:v1:<snapshot checksum>:'; null: nothing is kept (loading)
let kept = '';     // the draft's rules as stored last (JSON): unchanged rules are not written again
let hooks = {};

function read(name, schema) {
  let text;
  try {
    text = localStorage.getItem(prefix + name);
  } catch {
    return { error: 'this browser keeps nothing (storage blocked)' };
  }
  if (text === null) return {};
  if (text.length > MAX_STORED) return { error: 'too large' };
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'not valid JSON' };
  }
  return conforms(value, schema) ? { value } : { error: 'not in the shape the studio writes' };
}
function write(key, value) {
  const text = JSON.stringify(value);
  if (text.length > MAX_STORED) return 'too large to keep (delete some versions)'; // it could not be read back
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, text);
    return '';
  } catch {
    return 'this browser could not keep it (storage full or blocked)';
  }
}
// Which snapshots were used when: {"v": 1, "used": {"<checksum>": ms}}. On every use the
// entries of the KEEP_SNAPSHOTS snapshots used last stay (the current one's always) and the
// others' drafts and versions are removed: daily builds would fill localStorage otherwise.
const USED_KEY = 'aisle-studio:v1:used';
const KEEP_SNAPSHOTS = 5;
const ENTRY = /^aisle-studio:v1:(\d+):/; // a snapshot's draft or versions

function forgetOld(checksum) {
  try {
    let used = {};
    try {
      const stored = JSON.parse(localStorage.getItem(USED_KEY) ?? '{}');
      if (conforms(stored, obj({ v: num(1, 1), used: obj({}, true) })) &&
          Object.entries(stored.used).every(([k, t]) => /^\d+$/.test(k) && conforms(t, TIME))) used = stored.used;
    } catch { /* not JSON: started again */ }
    used[checksum] = Date.now();
    const keep = new Set(Object.keys(used).sort((a, b) => used[b] - used[a]).slice(0, KEEP_SNAPSHOTS));
    keep.add(String(checksum));
    const stale = [];
    for (let i = 0; i < localStorage.length; i++) {
      const m = ENTRY.exec(localStorage.key(i) ?? '');
      if (m && !keep.has(m[1])) stale.push(localStorage.key(i)); // never recorded: from before the record, the oldest
    }
    stale.forEach((k) => localStorage.removeItem(k));
    localStorage.setItem(USED_KEY, JSON.stringify({ v: 1, used: Object.fromEntries([...keep].map((k) => [k, used[k]])) }));
  } catch { /* storage blocked or full: nothing is kept anyway, or kept as it was */ }
}

const note = (text, error = false) => { $('draft-note').textContent = text; $('draft-note').className = error ? 'error' : 'muted'; };
const when = (ms) => new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const clone = (rules) => JSON.parse(JSON.stringify(rules));

/**
 * Opens the drafts and versions of the snapshot with this checksum (null: keep nothing) and
 * returns its draft's rules if one is stored and valid. `validate(rules)` is the engine's
 * verdict: '' or why it refuses them.
 */
export function use(checksum, validate) {
  prefix = checksum === null ? null : `aisle-studio:v1:${checksum >>> 0}:`;
  kept = '';
  $('save-version').disabled = prefix === null;
  if (prefix === null) return null;
  note('');
  forgetOld(checksum >>> 0);
  renderVersions();
  const { value, error } = read('draft', DRAFT);
  const refused = value && validate(value.rules);
  if (error || refused) {
    note(`A stored draft was ignored: ${error || refused}.`, true);
    return null;
  }
  if (!value) return null;
  note(`Your unsaved edits of ${when(value.saved_at)} are back (kept in this browser).`);
  kept = JSON.stringify(value.rules);
  return value.rules;
}

/** Keeps the rules as edited as the draft, or drops it once they are the loaded rules again. */
export function keep(rules, base) {
  const text = JSON.stringify(rules);
  if (prefix === null || text === kept) return;
  kept = text;
  const error = write(prefix + 'draft', text === JSON.stringify(base) ? null : { v: 1, saved_at: Date.now(), rules });
  if (error) note(`The draft is not kept: ${error}.`, true);
}

function versions() {
  const { value, error } = read('versions', VERSIONS);
  if (error) note(`Stored versions were ignored: ${error}.`, true);
  return value?.versions ?? [];
}

/** The merchandiser's name, as last typed (for versions and the exported file). */
export function author() {
  const name = $('author').value.trim().slice(0, 100);
  try { localStorage.setItem(AUTHOR_KEY, name); } catch { /* storage blocked: typed each time */ }
  return name;
}

// The rules parser takes a text of at most 1024 bytes (UTF-8) in `about`.
const MAX_ABOUT_BYTES = 1024;
/** The longest start of `text` within `max` UTF-8 bytes; a character is never split. */
export function cutBytes(text, max) {
  const { read } = new TextEncoder().encodeInto(text, new Uint8Array(max)); // stops before a character that does not fit
  return text.slice(0, read);
}

/** What the exported file says of itself: who saved it, when and why (never published). */
export function about(now = Date.now()) {
  const why = cutBytes($('why').value.trim(), MAX_ABOUT_BYTES);
  return Object.fromEntries([['author', author()], ['saved_at', new Date(now).toISOString()], ['why', why]].filter(([, v]) => v));
}

function saveVersion() {
  if (prefix === null) { // versions are kept per snapshot: none is loaded yet (or it is loading)
    note('Version not saved: load a snapshot first (versions are kept per snapshot).', true);
    return;
  }
  const name = $('version-name').value.trim().slice(0, 100) || `Version of ${when(Date.now())}`;
  const list = versions().filter((v) => v.name !== name);
  list.push({ name, author: author(), saved_at: Date.now(), rules: clone(hooks.rules()) });
  const error = write(prefix + 'versions', { v: 1, versions: list.slice(-MAX_VERSIONS) });
  note(error ? `Version not saved: ${error}.` : `Saved "${name}".`, !!error);
  $('version-name').value = '';
  renderVersions();
}

// The rule sets a comparison can pick: the loaded rules, the edited ones, each version.
function choices() {
  return [{ id: 'base', label: 'the loaded rules', rules: hooks.base() }, { id: 'now', label: 'as edited now', rules: hooks.rules() },
    ...versions().map((v, i) => ({ id: `v${i}`, label: `${v.name} (${when(v.saved_at)}${v.author ? `, ${v.author}` : ''})`, rules: v.rules }))];
}

function renderVersions() {
  if (prefix === null) return;
  const saved = versions();
  $('version-list').replaceChildren(...saved.map((v, i) => el('li', { 'data-version': v.name },
    el('span', { text: `${v.name} — ${when(v.saved_at)}${v.author ? `, ${v.author}` : ''}` }), ' ',
    el('button', { type: 'button', class: 'quiet', text: 'Open', 'aria-label': `open ${v.name}`, onclick: () => {
      const refused = hooks.open(v.rules); // the engine's check first: refused, nothing changes
      if (refused) note(`Version "${v.name}" not opened: ${refused}.`, true);
      else note(`Opened "${v.name}".`);
    } }), ' ',
    el('button', { type: 'button', class: 'quiet', text: '✕', 'aria-label': `delete ${v.name}`, onclick: () => {
      write(prefix + 'versions', { v: 1, versions: saved.filter((_, k) => k !== i) });
      renderVersions();
    } }))));
  const options = choices();
  for (const [id, pick] of [['diff-a', 'base'], ['diff-b', options.at(-1).id]]) {
    const was = $(id).value;
    $(id).replaceChildren(...options.map((o) => el('option', { value: o.id, text: o.label })));
    $(id).value = options.some((o) => o.id === was) ? was : pick;
  }
}

/** Every difference between two rule sets: [{path, before, after}], absent as undefined. */
export function diff(a, b, path = '$', out = [], depth = 0) {
  const kind = (v) => (Array.isArray(v) ? 'array' : v !== null && typeof v === 'object' ? 'object' : 'value');
  if (out.length >= MAX_CHANGES) return out;
  if (kind(a) === kind(b) && kind(a) !== 'value' && depth < MAX_DEPTH) {
    const array = kind(a) === 'array';
    const keys = array ? [...Array(Math.max(a.length, b.length)).keys()] : [...new Set([...Object.keys(a), ...Object.keys(b)])];
    const at = (v, k) => (Object.hasOwn(v, k) ? v[k] : undefined);
    for (const k of keys) diff(at(a, k), at(b, k), array ? `${path}[${k}]` : `${path}.${k}`, out, depth + 1);
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push({ path, before: a, after: b });
  }
  return out;
}

function compare() {
  const options = choices();
  const [a, b] = ['diff-a', 'diff-b'].map((id) => options.find((o) => o.id === $(id).value));
  if (!a || !b) return;
  const unreadable = [a, b].find((o) => { try { JSON.stringify(o.rules); return false; } catch { return true; } });
  if (unreadable) { // nested too deeply for JSON.stringify (stored by hand): nothing to compare
    $('diff-out').replaceChildren(el('p', { class: 'error', text: `Not compared: ${unreadable.label} cannot be read (nested too deeply).` }));
    return;
  }
  const changes = diff(a.rules, b.rules);
  const show = (v) => (v === undefined ? '—' : JSON.stringify(v));
  $('diff-out').replaceChildren(changes.length
    ? el('table', { class: 'diff' }, el('thead', {}, el('tr', {}, ...['path', a.label, b.label].map((h) => el('th', { text: h })))),
      el('tbody', {}, ...changes.map((c) => el('tr', { 'data-path': c.path, class: c.before === undefined ? 'added' : c.after === undefined ? 'removed' : 'changed' },
        el('td', { text: c.path }), el('td', { text: show(c.before) }), el('td', { text: show(c.after) })))))
    : el('p', { class: 'muted', text: 'The same rules.' }));
  if (changes.length >= MAX_CHANGES) $('diff-out').append(el('p', { class: 'muted', text: `The first ${MAX_CHANGES} changes.` }));
  hooks.exposure(a.rules, b.rules, `Exposure: ${a.label} (before) against ${b.label} (after)`);
}

/**
 * Wires the versions panel. `rules()` and `base()` give the rules as edited and as loaded,
 * `open(rules)` makes a version's rules the edited ones if the engine takes them and returns
 * '', or returns why not (nothing changed), `exposure(before, after, caption)`
 * runs the exposure simulation on two rule sets.
 */
export function init(h) {
  hooks = h;
  try { $('author').value = localStorage.getItem(AUTHOR_KEY)?.slice(0, 100) ?? ''; } catch { /* storage blocked */ }
  $('save-version').addEventListener('click', saveVersion);
  $('compare').addEventListener('click', compare);
}

// Where a boost, quota, pin or exclusion applies (docs/rules.md, "Aiming a rule"): its
// `placements`, `segments`, `pages` and `search_terms`, edited in a row under the rule that
// a button opens. The JSON round-trips exactly: values the form does not list are kept, new
// ones are appended, and a key left empty is removed (a rule without it applies everywhere).
import { el } from './dom.js';
import { chipList } from './picker.js';
import { PLACEMENT_NAMES, SEGMENT_GROUPS, placementName, segmentName } from './labels.js';

export function scopeSummary(rule) {
  const parts = [];
  const has = (k) => Array.isArray(rule[k]) && rule[k].length;
  if (has('placements')) parts.push(rule.placements.map(placementName).join(', '));
  if (has('segments')) parts.push(rule.segments.map(segmentName).join(', '));
  if (has('pages')) parts.push(`pages: ${rule.pages.join(', ')}`);
  if (has('search_terms')) parts.push(`searches: ${rule.search_terms.join(', ')}`);
  return parts.length ? parts.join(' · ') : 'everywhere';
}

// rule: the rule object (edited in place); onChange: after every edit.
export function scopeEditor(rule, onChange) {
  const toggle = el('button', { type: 'button', class: 'link scope-toggle', 'aria-expanded': 'false', text: `Where: ${scopeSummary(rule)}` });
  const set = (key, values) => {
    if (values.length) rule[key] = values; else delete rule[key];
    toggle.textContent = `Where: ${scopeSummary(rule)}`;
    onChange();
  };
  const strings = (key) => (Array.isArray(rule[key]) ? rule[key] : []);
  const checks = (key, names) => Object.entries(names).map(([code, name]) => {
    const box = el('input', { type: 'checkbox', value: code, checked: strings(key).includes(code) });
    box.addEventListener('change', () => {
      const now = strings(key).filter((v) => v !== code);
      set(key, box.checked ? [...now, code] : now);
    });
    return el('label', { title: code }, box, ` ${name}`);
  });
  const body = el('div', { hidden: true },
    el('div', { class: 'scope-part', 'data-scope': 'placements' }, el('strong', { text: 'Placements ' }), ...checks('placements', PLACEMENT_NAMES)),
    el('div', { class: 'scope-part', 'data-scope': 'segments' }, el('strong', { text: 'Shoppers ' }),
      ...SEGMENT_GROUPS.map(([group, names]) => el('span', { class: 'group' }, el('em', { text: `${group}: ` }), ...checks('segments', names)))),
    el('div', { class: 'scope-part', 'data-scope': 'pages' }, el('strong', { text: 'Pages about (a category and below) ' }),
      chipList({ values: strings('pages'), label: 'page category', list: 'values-category', onChange: (v) => set('pages', v) })),
    el('div', { class: 'scope-part', 'data-scope': 'search_terms' }, el('strong', { text: 'While the latest search holds ' }),
      chipList({ values: strings('search_terms'), label: 'search term', onChange: (v) => set('search_terms', v) })));
  toggle.addEventListener('click', () => {
    body.hidden = !body.hidden;
    toggle.setAttribute('aria-expanded', String(!body.hidden));
  });
  return el('div', { class: 'scope' }, toggle, body);
}

// What the studio shows a merchandiser instead of the engine's codes: placement and segment
// names, catalog labels under the field names the rules map them to, the detected context,
// and reason shares that add up to 100%. The codes stay in the JSON (docs/rules.md).

export const PLACEMENT_NAMES = {
  product: 'Product page', cart: 'Cart', home: 'Home page', category: 'Category page',
  post_purchase: 'After purchase', search_empty: 'Search without results', next_item: 'Next item',
};
// The scopes' segments (docs/rules.md, "Aiming a rule"), in three groups.
export const SEGMENT_GROUPS = [
  ['Traffic', { direct: 'Direct', paid_search: 'Search ad', organic_search: 'Organic search', paid_social: 'Paid social',
    organic_social: 'Social', email: 'Email', referral: 'Referral' }],
  ['Visitor', { new_visitor: 'New visitor', returning_visitor: 'Returning visitor' }],
  ['Seen in the visit', { comparing: 'Comparing products', decisive: 'Knows what they want', exploring: 'Exploring',
    price_sensitive: 'Saving money', gift: 'Buying a gift', bundle_building: 'Building a set',
    after_premium: 'After a premium purchase' }],
];
const SEGMENT_NAMES = Object.assign({}, ...SEGMENT_GROUPS.map(([, names]) => names));
// A table's own entry, never one it inherits: `constructor` or `toString` is a name like any other.
const own = (table, key) => (table && Object.hasOwn(table, key) ? table[key] : undefined);
export const placementName = (p) => own(PLACEMENT_NAMES, p) ?? p;
export const segmentName = (s) => own(SEGMENT_NAMES, s) ?? s;

// Readable names of the fields labels come from; a mapped column is read under its mapping.
const FIELD_NAMES = {
  margin_tier: 'Margin tier', kind: 'Kind', repurchase_days: 'Repurchase every (days)', launch_date: 'Launch date',
  color: 'Colour', size: 'Size', promotion_id: 'Promotion',
};
const sentence = (s) => s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, ' ');
// `custom_label_0=high` with {"custom_label_0": "margin_tier"} -> "Margin tier: high";
// `custom_label_4=core` with {"custom_label_4": "label:series"} -> "Series: core (custom_label_4)".
export function labelText(label, mapping = {}) {
  const at = label.indexOf('=');
  if (at < 0) return label;
  const key = label.slice(0, at);
  const to = own(mapping, key);
  const mapped = typeof to === 'string' ? to.replace(/^label:/, '') : key;
  const name = own(FIELD_NAMES, mapped) ?? (/^custom_label_\d$/.test(mapped) ? `Custom label ${mapped.slice(-1)}` : sentence(mapped));
  // A column mapped to a label (`label:series`) gives items that label too: name the column.
  return `${name}: ${label.slice(at + 1)}${typeof to === 'string' && to.startsWith('label:') ? ` (${key})` : ''}`;
}

// The list JSON's context in words: "New visitor · Search ad · Comparing products".
export function contextText(ctx) {
  const traffic = own(SEGMENT_GROUPS[0][1], ctx.traffic) ?? ctx.traffic;
  const seen = Object.keys(SEGMENT_GROUPS[2][1]).filter((k) => ctx[k] === true).map(segmentName);
  return `${ctx.visitor === 'returning' ? 'Returning' : 'New'} visitor · traffic: ${traffic} · ${
    seen.length ? seen.join(', ') : 'nothing detected in the visit'}`;
}

// Whole percentages of `values`' total that add up to exactly 100 (largest remainder: each
// share rounded down, the points left go to the largest fractions); all 0 for no total.
export function percentShares(values) {
  const total = values.reduce((s, v) => s + (v > 0 ? v : 0), 0);
  if (!(total > 0)) return values.map(() => 0);
  const exact = values.map((v) => ((v > 0 ? v : 0) / total) * 100);
  const shares = exact.map(Math.floor);
  const order = exact.map((x, i) => i).sort((a, b) => (exact[b] - shares[b]) - (exact[a] - shares[a]) || a - b);
  for (let left = 100 - shares.reduce((s, v) => s + v, 0), k = 0; left > 0; left--, k++) shares[order[k]]++;
  return shares;
}

// What each section of a snapshot costs a shopper: raw, gzip -9 and brotli bytes, and per
// item, as a markdown table (docs/snapshot-format.md, "What each section costs"). Each
// section is compressed on its own, so the figures say what it would cost as a file of
// its own (sharding); the whole file compressed at once is the last row.
// usage: node tools/scripts/section_costs.mjs FILE.snap
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { readSnapshot } from './snapshot_sections.mjs';

const NAMES = ['', 'string_offsets', 'string_data', 'items', 'categories', 'groups', 'group_members',
  'label_offsets', 'label_ids', 'hint_offsets', 'hints', 'popularity', 'id_index', 'meta',
  'transition_offsets', 'transitions', 'co_purchase_offsets', 'co_purchases', 'similar_offsets', 'similar',
  'session_offsets', 'session_items', 'item_session_offsets', 'item_sessions', 'category_top_offsets',
  'category_top', 'global_top', 'new_arrivals', 'item_stats', 'rules', 'build_notes', 'tuning', 'session_index_offsets',
  'session_index_items', 'compact_transition_offsets', 'compact_transition_items', 'compact_transition_scores',
  'compact_co_purchase_offsets', 'compact_co_purchase_items', 'compact_co_purchase_scores', 'string_lengths'];

const { file, bytes, sections, items } = readSnapshot('section_costs.mjs');
const gz = (b) => gzipSync(b, { level: 9 }).length;
const br = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const rows = sections.map(({ id, body }) => [NAMES[id] ?? `section ${id}`, body.length, gz(body), br(body)]);
rows.sort((a, b) => b[2] - a[2]);
const f = (n) => n.toLocaleString('en-US');
const per = (n) => (n / items).toFixed(1);
console.log(`${file}: ${f(items)} items, ${f(bytes.length)} bytes\n`);
console.log('| section | raw bytes | gzip -9 | brotli 11 | B/item raw | B/item gzip | B/item brotli |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [name, raw, g, b] of rows) console.log(`| ${name} | ${f(raw)} | ${f(g)} | ${f(b)} | ${per(raw)} | ${per(g)} | ${per(b)} |`);
const sum = rows.reduce((s, r) => [s[0] + r[1], s[1] + r[2], s[2] + r[3]], [0, 0, 0]);
console.log(`| sections, each compressed alone | ${f(sum[0])} | ${f(sum[1])} | ${f(sum[2])} | ${per(sum[0])} | ${per(sum[1])} | ${per(sum[2])} |`);
const whole = [bytes.length, gz(bytes), br(bytes)];
console.log(`| the whole file compressed | ${f(whole[0])} | ${f(whole[1])} | ${f(whole[2])} | ${per(whole[0])} | ${per(whole[1])} | ${per(whole[2])} |`);

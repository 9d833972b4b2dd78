// A time-based split of a generated store's events.jsonl (aisle demo-data's flat GA4 lines)
// for `aisle eval`: the sessions whose last event falls in the last SHARE of the log's time
// span go to LATE, the rest to EARLY, each line unchanged and in its order.
//
//   node tools/scripts/time_split.mjs events.jsonl 0.1 train.jsonl test.jsonl
//   node tools/scripts/time_split.mjs train.jsonl 0.1 train_a.jsonl valid.jsonl   # validation
import { readFileSync, writeFileSync } from 'node:fs';

const [input, shareText, earlyPath, latePath] = process.argv.slice(2);
const share = Number(shareText);
if (!input || !latePath || !(share > 0 && share < 1)) {
  console.error('usage: node time_split.mjs EVENTS.jsonl SHARE(0-1) EARLY.jsonl LATE.jsonl');
  process.exit(2);
}
const lines = readFileSync(input, 'utf8').split('\n').filter((l) => l.trim() !== '');
const rows = lines.map((line, i) => {
  let e;
  try {
    e = JSON.parse(line);
  } catch (err) {
    console.error(`${input}:${i + 1}: not JSON: ${err.message}`);
    process.exit(2);
  }
  const t = Date.parse(e.timestamp);
  if (typeof e.session_id !== 'string' || Number.isNaN(t)) {
    console.error(`${input}:${i + 1}: needs session_id and an ISO timestamp`);
    process.exit(2);
  }
  return { line, session: e.session_id, t };
});
const last = new Map();
for (const r of rows) last.set(r.session, Math.max(last.get(r.session) ?? -Infinity, r.t));
let lo = Infinity;
let hi = -Infinity;
for (const t of last.values()) {
  lo = Math.min(lo, t);
  hi = Math.max(hi, t);
}
const cut = hi - (hi - lo) * share;
const early = [];
const late = [];
for (const r of rows) (last.get(r.session) > cut ? late : early).push(r.line);
writeFileSync(earlyPath, early.map((l) => l + '\n').join(''));
writeFileSync(latePath, late.map((l) => l + '\n').join(''));
console.log(`${earlyPath}: ${early.length} events; ${latePath}: ${late.length} (sessions ending after ${new Date(cut).toISOString()})`);

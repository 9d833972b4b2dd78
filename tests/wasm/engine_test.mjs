// The wasm engine through its JS wrapper, under Node: load, track, recommend with
// reasons, profiles, rules, and errors as AisleError with a code.
// usage: node engine_test.mjs path/to/aisle_engine.mjs path/to/web/engine.js path/to/v1.1.snap path/to/rules.snap
// (rules.snap: `aisle build --catalog tests/golden/catalog.jsonl --events tests/golden/events.jsonl
//  --now 2026-10-31T12:00:00Z --rules R --out tests/wasm/rules.snap`, R = {"pins": [{"item": "G-BEANS", "position": 1}]})
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [modulePath, wrapperPath, snapPath, rulesSnapPath] = process.argv.slice(2);
const { createEngine, AisleError } = await import(pathToFileURL(wrapperPath).href);
// Emscripten 3.1.6 tries fetch() on a file path under Node 18+; hand it the bytes.
const engine = await createEngine({
  moduleUrl: pathToFileURL(modulePath).href,
  wasmBinary: readFileSync(modulePath.replace(/\.mjs$/, '.wasm')),
});

let passed = 0, failed = 0;
const check = (cond, what) => { if (cond) passed++; else { failed++; console.error('FAIL:', what); } };
const throwsCode = (fn, code, what) => {
  try { fn(); check(false, `${what}: did not throw`); } catch (e) { check(e instanceof AisleError && e.code === code, `${what}: ${e}`); }
};

throwsCode(() => engine.recommend({ placement: 'home' }), 'not_found', 'recommend before load');
const bytes = new Uint8Array(readFileSync(snapPath));
const loaded = engine.load(bytes);
check(loaded.items === 5 && loaded.checksum === new DataView(bytes.buffer).getUint32(32, true), 'load gives the checksum');
check(engine.itemCount === 5, 'item count');
check(engine.item('G-MAT-RED').title === 'Cork Yoga Mat - Red', 'item by id');
check(engine.item('NOPE') === undefined, 'unknown id');

const t0 = Date.parse('2026-10-31T12:00:00Z');
const tracked = engine.track({ event: 'view_item', timestamp: t0, items: [{ item_id: 'G-MAT-RED' }, { item_id: 'GHOST' }],
                               source: 'google', medium: 'cpc' });
check(tracked.unknown_items === 1, 'unknown items counted');
check(engine.track({ event: 'page_view' }).ignored === true, 'page events ignored');
const rec = engine.recommend({ placement: 'product', item: 'G-MAT-RED', k: 4, now: t0 });
check(rec.items.length > 0 && rec.items.every((i) => i.id !== 'G-MAT-RED'), 'product list without the item itself');
check(rec.items.every((i) => i.reasons.length > 0 && typeof i.reasons[0].text === 'string'), 'every item has reasons');
check(rec.context.traffic === 'paid_search', 'traffic class from source/medium');
check(rec.items.some((i) => i.id === 'G-ROLLER' && i.reasons.some((r) => r.code === 'viewed_after')),
      'the roller, viewed after the mat in the logs');

// A product page shows a neutral shopper 67% of k; asked to fill a grid, all k (as many as
// this five-item store has to show).
const full = engine.recommend({ placement: 'product', item: 'G-MAT-RED', k: 4, fill: true, now: t0 });
check(rec.slots === 3 && full.slots === 4, `fill: all k slots on a product page (${rec.slots}, ${full.slots})`);
throwsCode(() => engine.recommend({ placement: 'home', fill: 'yes' }), 'invalid_argument', 'fill is a boolean');

const why = engine.explain('G-ROLLER', { placement: 'product', item: 'G-MAT-RED', now: t0 });
check(why.available && why.rank >= 0 && why.reasons.some((r) => r.code === 'viewed_after'), 'explain a listed item');
check(engine.explain('G-MAT-RED', { placement: 'product', item: 'G-MAT-RED', now: t0 }).rank === -1,
      'the page item is never in its own list');
throwsCode(() => engine.explain('NOPE', { placement: 'home' }), 'not_found', 'explain an unknown id');
check(engine.memoryBytes > 0, 'memory size reported');

// The roller's product page computed ahead: the visit unchanged, and the list the page gets.
const t1 = t0 + 60000;
const ahead = engine.recommendAfterView({ placement: 'product', item: 'G-ROLLER', k: 4, now: t1 });
check(JSON.stringify(ahead) !== JSON.stringify(engine.recommend({ placement: 'product', item: 'G-ROLLER', k: 4, now: t1 })),
      'a view of the roller moves its page\'s list (the scores of what the visit holds)');
check(JSON.stringify(engine.recommend({ placement: 'product', item: 'G-MAT-RED', k: 4, now: t0 })) === JSON.stringify(rec),
      'recommendAfterView leaves the visit as it was');
engine.track({ event: 'view_item', timestamp: t1, items: [{ item_id: 'G-ROLLER' }] });
check(JSON.stringify(engine.recommend({ placement: 'product', item: 'G-ROLLER', k: 4, now: t1 })) === JSON.stringify(ahead),
      'recommendAfterView gives the list the item\'s page gets once viewed');

engine.endVisit();
const profile = engine.exportProfile();
check(JSON.parse(profile).visits === 1, 'profile export');
engine.importProfile(profile);
throwsCode(() => engine.importProfile('{"v":99}'), 'invalid_argument', 'foreign profile refused');
check(JSON.parse(engine.exportProfile()).visits === 0, 'a refused profile is reset');

engine.setRules({ pins: [{ item: 'G-BEANS', position: 1 }] });
const pinned = engine.recommend({ placement: 'home', k: 3, now: t0 });
check(pinned.items[0].id === 'G-BEANS' && pinned.items[0].reasons[0].code === 'pinned', 'pin applied');
throwsCode(() => engine.setRules({ pins: [{ position: 1 }] }), 'invalid_argument', 'bad rules refused');
engine.setRules({ pins: [{ item: 'G-BEANS', position: 1, reason: 'Staff pick' }] });
check(engine.recommend({ placement: 'home', k: 3, now: t0 }).items[0].reasons[0].text === 'Staff pick', 'a pin\'s reason is what shoppers read');
// A margin or stock range is the build's (the snapshot holds no cost or count): refused here, by path.
try {
  engine.setRules({ boosts: [{ factor: 2, match: { margin: { min: 15 } } }] });
  check(false, 'a margin range the build did not evaluate is refused');
} catch (e) {
  check(e.message.startsWith('$.boosts[0].match.margin: matches by margin are evaluated at build time'), `margin range refused: ${e.message}`);
}
// Experiments: the assignment the native build computes (tests/core/test_experiments.cpp),
// by the experiment's id: given here, as in a published snapshot.
engine.setRules({ experiments: [{ id: 'recs-2026-11', holdout: { share: 0.2, show: 'best_sellers' },
                                  variants: [{ id: 'engine', share: 0.5 }, { id: 'more-slots', share: 0.3 }] }] });
const [arm] = engine.assign('V1');
check(arm.experiment === 'recs-2026-11' && arm.variant === 'holdout' && arm.show === 'best_sellers', `V1 in the holdout: ${JSON.stringify(arm)}`);
const plain = engine.recommend({ placement: 'product', item: 'G-MAT-RED', k: 3, now: t0 });
check(plain.items.every((i) => i.reasons.every((r) => ['category_best_seller', 'trending'].includes(r.code))), 'holdout: best sellers only');
throwsCode(() => engine.assign(''), 'invalid_argument', 'empty visitor id refused');
try { engine.setRules('{"boost": 1}'); } catch (e) { check(e.message.startsWith('$.boost: unknown key'), 'rules error names the JSON path'); }
throwsCode(() => engine.recommend({ placement: 'sidebar' }), 'invalid_argument', 'unknown placement');
throwsCode(() => engine.recommend({ placement: 'home', k: 0 }), 'invalid_argument', 'bad k');

const bad = bytes.slice();
bad[bad.length >> 1] ^= 0xff;
throwsCode(() => engine.load(bad), 'corrupt', 'corrupt snapshot refused');
check(engine.itemCount === 5, 'the previous snapshot stays after a failed load');

// A snapshot that verifies but whose compiled-in rules the engine refuses (a key renamed,
// the checksum re-sealed) is refused as a whole: the previous snapshot stays, with its visit.
const crc32 = (b) => {
  let c = ~0;
  for (const x of b) { c ^= x; for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1)); }
  return ~c >>> 0;
};
const reseal = (b) => {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  v.setUint32(32, 0, true);
  v.setUint32(32, crc32(b), true);
  return b;
};
const ruled = new Uint8Array(readFileSync(rulesSnapPath));
check(engine.load(ruled.slice()).items === 5 && engine.snapshotRules.includes('"pins"'), 'a snapshot with rules loads');
check(engine.load(bytes).items === 5 && engine.snapshotRules === '', 'back to the snapshot without rules');
engine.track({ event: 'view_item', timestamp: t0, items: [{ item_id: 'G-ROLLER' }] });
engine.track({ event: 'view_item', timestamp: t0 + 1000, items: [{ item_id: 'G-MAT-RED' }] });
const renamed = ruled.slice();
const at = Buffer.from(renamed).indexOf('"pins"');
renamed[at + 4] = 'z'.charCodeAt(0);
throwsCode(() => engine.load(reseal(renamed)), 'corrupt', 'rules the engine refuses');
check(engine.snapshotRules === '', `the previous snapshot stays after refused rules: '${engine.snapshotRules}'`);
const after = engine.recommend({ placement: 'next_item', k: 4, now: t0 });
check(after.items.some((i) => i.id === 'G-ROLLER' && i.reasons.some((r) => r.code === 'viewed_before')), 'and the visit stays');
engine.endVisit();
// Events cross packed into one string ('\0' between fields, engine.js packEvent): what a
// page may push is read the same way as a well-formed event or left out, never mis-split.
check(engine.track({ event: 'view_item', timestamp: t0, items: [{ item_id: 'G-MAT-RED\0G-ROLLER' }] }).unknown_items === 1,
      'an id holding a NUL is one unknown id, not two ids');
check(engine.track({ event: 'view_item\0', items: [{ item_id: 'G-MAT-RED' }] }).ignored === true, 'a name holding a NUL is no event aisle uses');
check(engine.track({ event: 'view_item', timestamp: NaN, items: [{ item_id: 'G-MAT-RED' }], source: 7, medium: { a: 1 } }).unknown_items === 0,
      'a NaN timestamp is the clock\'s; non-string texts are left empty');
check(engine.track({ name: 'view_item', timestamp: 1e300, items: [null, 5, 'G-MAT-RED', { item_id: 7 }, {}] }).unknown_items === 5,
      'an out-of-range timestamp is the clock\'s; items that are not objects with a string id are unknown');
check(engine.track({ event: 'view_item', items: Array.from({ length: 1000 }, () => ({ item_id: 'GHOST' })) }).unknown_items === 64,
      'at most 64 items an event are read');
// Shards (docs/snapshot-format.md, "Shards"): checked without loading, merged, loaded.
const shard = new Uint8Array(readFileSync(new URL('v2.1-shard.snap', pathToFileURL(snapPath))));
const v = engine.verify(shard);
check(v.shard === true && v.items > 0, `verify() knows a shard: ${JSON.stringify(v)}`);
check(engine.verify(bytes).shard === false, 'a whole snapshot is no shard');
const merged = engine.merge([shard]);
check(merged instanceof Uint8Array && engine.verify(merged).shard === true, 'merge() gives a shard');
check(engine.load(merged).items === v.items, 'the merge loads with the shard\'s items');
check(engine.recommend({ placement: 'product', item: 'G-MAT-RED', k: 4, now: t0 }).items.length > 0, 'and recommends');
throwsCode(() => engine.merge([shard, bytes]), 'invalid_argument', 'a whole snapshot among shards');
throwsCode(() => engine.merge([shard, new Uint8Array(64)]), 'corrupt', 'a corrupt part');
throwsCode(() => engine.merge(shard), 'invalid_argument', 'merge() of one Uint8Array, not an array');
throwsCode(() => engine.verify('x'), 'invalid_argument', 'verify() of a string');
try { engine.merge([shard, new Uint8Array(64)]); } catch (e) { check(/^part 1: /.test(e.message), `the failing part is named: ${e.message}`); }
engine.dispose();
throwsCode(() => engine.itemCount, 'disposed', 'use after dispose');

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

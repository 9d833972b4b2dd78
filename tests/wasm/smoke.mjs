// Smoke test of the wasm engine under Node: load the golden snapshot through the real
// Emscripten build, read items back, and see corrupt bytes refused with a code.
// usage: node smoke.mjs path/to/aisle_engine.mjs path/to/v1.0.snap
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [modulePath, snapPath] = process.argv.slice(2);
const { default: createAisleEngine } = await import(pathToFileURL(modulePath).href);
// Emscripten 3.1.6 tries fetch() on a file path under Node 18+; hand it the bytes.
const wasmBinary = readFileSync(modulePath.replace(/\.mjs$/, '.wasm'));
const mod = await createAisleEngine({ wasmBinary });

let passed = 0, failed = 0;
const check = (cond, what) => { if (cond) passed++; else { failed++; console.error('FAIL:', what); } };

const engine = new mod.Engine();
const bytes = new Uint8Array(readFileSync(snapPath));
const loaded = engine.load(bytes);
check(loaded.ok === true, `load: ${JSON.stringify(loaded)}`);
check(engine.itemCount() === 5, 'item count');
const i = engine.findItem('G-MAT-RED');
check(i >= 0, 'findItem');
const item = JSON.parse(engine.item(i, Date.parse('2026-10-15T00:00:00Z')));  // JSON text
check(item.title === 'Cork Yoga Mat - Red', 'title');
check(item.price === 45 && item.sale_price === 36, 'prices in the sale window');
check(JSON.parse(engine.item(i, Date.parse('2026-11-02T00:00:00Z'))).sale_price === null, 'no sale price after the window');
check(item.url === 'https://shop.example/products/cork-mat?variant=red', 'url');
check(engine.findItem('NOPE') === -1, 'missing id');
check(engine.item(99, 0) === '', 'index out of range');

const bad = bytes.slice();
bad[bad.length >> 1] ^= 0xff;
const refused = engine.load(bad);
check(refused.ok === false && refused.code === 'corrupt' && /checksum/.test(refused.message), 'corrupt refused');
check(engine.itemCount() === 5, 'the previous snapshot stays after a failed load');
const truncated = engine.load(bytes.slice(0, 100));
check(truncated.ok === false && /truncated/.test(truncated.message), 'truncated refused');
engine.delete();

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

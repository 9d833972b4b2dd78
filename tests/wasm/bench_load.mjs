// The engine's cold start in wasm under Node, as a worker pays it on every page: a snapshot's
// bytes to a loaded engine (copy into the heap, checksum, verification, rules compiled).
// Prints each load and the median; with two builds, alternates them in one run.
// usage: node tests/wasm/bench_load.mjs SNAPSHOT ENGINE.mjs [OTHER_ENGINE.mjs] [--runs N]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const runs = at >= 0 ? Number(args.splice(at, 2)[1]) : 7;
const [snapPath, ...modules] = args;
if (!snapPath || !modules.length || !(runs > 0)) {
  console.error('usage: node tests/wasm/bench_load.mjs SNAPSHOT ENGINE.mjs [OTHER_ENGINE.mjs] [--runs N]');
  process.exit(2);
}
const bytes = new Uint8Array(readFileSync(snapPath));
const engines = [];
for (const path of modules) {
  const { default: create } = await import(pathToFileURL(path).href);
  engines.push({ path, mod: await create({ wasmBinary: readFileSync(path.replace(/\.mjs$/, '.wasm')) }), times: [] });
}
for (let r = 0; r < runs; r++) {
  for (const e of engines) {
    const engine = new e.mod.Engine();
    const t = performance.now();
    const loaded = engine.load(bytes);
    e.times.push(performance.now() - t);
    engine.delete();
    if (!loaded.ok) throw new Error(`${e.path}: ${loaded.message}`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`${(bytes.length / 1e6).toFixed(1)} MB snapshot, ${runs} loads each, alternated`);
for (const e of engines) console.log(`${e.path}: median ${median(e.times).toFixed(1)} ms (${e.times.map((t) => t.toFixed(0)).join(' ')})`);

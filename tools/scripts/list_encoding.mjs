// What re-encoding a snapshot's candidate lists would save a shopper (issue 13, "compact
// encoding"): for transitions, co-purchases, similar items and the session index, brotli 9 and
// gzip 9 bytes per item of the sections as they are ("raw"), with the ids delta- and
// varint-coded and the f32 scores split into byte planes ("cols", lossless), and with the
// scores cut to 8 bits of the list's best ("quant", lossy). A measurement, not a format.
// usage: node tools/scripts/list_encoding.mjs FILE.snap
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { readSnapshot } from './snapshot_sections.mjs';

const { file, sections, items } = readSnapshot('list_encoding.mjs');
const sec = Object.fromEntries(sections.map((x) => [x.id, x.body]));
const u32 = (b) => new Uint32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
const br = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_LGWIN]: 24 } }).length;
const gz = (b) => gzipSync(b, { level: 9 }).length;

class Varints {
  constructor() { this.out = []; }
  put(x) { x >>>= 0; while (x >= 128) { this.out.push((x & 127) | 128); x >>>= 7; } this.out.push(x); }
  signed(x) { this.put(x >= 0 ? x * 2 : -x * 2 - 1); }
  bytes() { return Buffer.from(this.out); }
}

// {u32 item, f32 score} lists: lengths, ids as the difference from the previous one (the
// owner item first), scores as four byte planes or as 8 bits of the list's first (best).
function lists(offsetsId, valuesId) {
  const off = u32(sec[offsetsId]), v = u32(sec[valuesId]), f = new Float32Array(v.buffer);
  const len = new Varints(), ids = new Varints(), planes = [[], [], [], []], quant = [];
  const one = new Float32Array(1), view = new Uint8Array(one.buffer);
  for (let i = 0; i + 1 < off.length; i++) {
    len.put(off[i + 1] - off[i]);
    let prev = i;
    const best = off[i + 1] > off[i] ? f[2 * off[i] + 1] : 0;
    for (let k = off[i]; k < off[i + 1]; k++) {
      ids.signed(v[2 * k] - prev);
      prev = v[2 * k];
      one[0] = f[2 * k + 1];
      for (let j = 0; j < 4; j++) planes[j].push(view[j]);
      quant.push(Math.max(0, Math.min(255, Math.round((255 * f[2 * k + 1]) / best))));
    }
  }
  return { raw: Buffer.concat([sec[offsetsId], sec[valuesId]]),
    cols: Buffer.concat([len.bytes(), ids.bytes(), ...planes.map((p) => Buffer.from(p))]),
    quant: Buffer.concat([len.bytes(), ids.bytes(), Buffer.from(quant)]) };
}

// u32 postings (sessions' items, items' sessions): lengths, then each as the difference from the previous.
function postings(offsetsId, valuesId) {
  const off = u32(sec[offsetsId]), v = u32(sec[valuesId]);
  const len = new Varints(), ids = new Varints();
  for (let i = 0; i + 1 < off.length; i++) {
    len.put(off[i + 1] - off[i]);
    let prev = 0;
    for (let k = off[i]; k < off[i + 1]; k++) { ids.signed(v[k] - prev); prev = v[k]; }
  }
  return { raw: Buffer.concat([sec[offsetsId], sec[valuesId]]), cols: Buffer.concat([len.bytes(), ids.bytes()]) };
}

const per = (n) => (n / items).toFixed(1);
console.log(`${file}: ${items} items; bytes per item, brotli 9 / gzip 9\n`);
console.log('| sections | raw | cols (lossless) | quant (8-bit scores) |');
console.log('|---|---:|---:|---:|');
for (const [name, o, p] of [['transitions', 14, 15], ['co_purchases', 16, 17], ['similar', 18, 19]]) {
  if (!sec[o]) continue; // similar: not in 1.2 files (computed by the reader)
  const r = lists(o, p);
  console.log(`| ${name} | ${per(br(r.raw))} / ${per(gz(r.raw))} | ${per(br(r.cols))} / ${per(gz(r.cols))} | ${per(br(r.quant))} / ${per(gz(r.quant))} |`);
}
for (const [name, o, p] of [['session_items', 20, 21], ['item_sessions', 22, 23], ['session_index_items', 32, 33]]) {
  if (!sec[o]) continue;
  const r = postings(o, p);
  console.log(`| ${name} | ${per(br(r.raw))} / ${per(gz(r.raw))} | ${per(br(r.cols))} / ${per(gz(r.cols))} | |`);
}

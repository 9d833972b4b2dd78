// A snapshot file's sections, for the measuring scripts beside this one (section_costs.mjs,
// list_encoding.mjs): the file's bytes, its sections in file order ({id, element, body}) and
// its item count. Exits with a usage message when the command line names no snapshot.
import { readFileSync } from 'node:fs';

export function readSnapshot(script) {
  const file = process.argv[2];
  if (!file) {
    console.error(`usage: node tools/scripts/${script} FILE.snap`);
    process.exit(2);
  }
  const bytes = readFileSync(file);
  if (bytes.length < 64 || bytes.toString('latin1', 0, 8) !== 'AISLSNAP') {
    console.error(`${file}: not an aisle snapshot`);
    process.exit(2);
  }
  const count = bytes.readUInt32LE(24), table = bytes.readUInt32LE(28);
  const sections = [];
  for (let i = 0; i < count; i++) {
    const e = table + 24 * i;
    const offset = Number(bytes.readBigUInt64LE(e + 8)), size = Number(bytes.readBigUInt64LE(e + 16));
    sections.push({ id: bytes.readUInt32LE(e), element: bytes.readUInt32LE(e + 4), body: bytes.subarray(offset, offset + size) });
  }
  const records = sections.find((s) => s.id === 3); // items
  return { file, bytes, sections, items: records ? records.body.length / records.element : 1 };
}

// The published types agree with the modules. For each entry point of web/package's
// `exports` map: the values its .d.ts declares are exactly the names its module exports
// (ES module export names are static, read here from the source by TypeScript), and
// usage.ts imports every one of them. Exits 1 on any difference.
// usage: node tests/web/types/exports.mjs
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const pkgDir = new URL('../../../web/package/', import.meta.url).pathname;
const usage = new URL('./usage.ts', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${pkgDir}package.json`, 'utf8'));
const entries = Object.entries(pkg.exports).filter(([, target]) => target?.types && target.default)
  .map(([sub, target]) => ({ specifier: pkg.name + sub.slice(1), types: pkgDir + target.types, module: pkgDir + target.default }));

const program = ts.createProgram([...entries.flatMap((e) => [e.types, e.module]), usage],
  { allowJs: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext });
const checker = program.getTypeChecker();

// The names a file exports as values (not types).
function values(path) {
  const file = program.getSourceFile(ts.sys.resolvePath(path).replace(/\/\.\//g, '/'));
  if (!file) throw new Error(`${path}: not found`);
  const symbol = checker.getSymbolAtLocation(file);
  if (!symbol) return [];
  return checker.getExportsOfModule(symbol).filter((s) => {
    const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
    return target.flags & ts.SymbolFlags.Value;
  }).map((s) => s.name).sort();
}

// The names usage.ts imports as values from a specifier.
function imported(specifier) {
  const names = [];
  for (const st of program.getSourceFile(usage).statements) {
    if (!ts.isImportDeclaration(st) || st.moduleSpecifier.text !== specifier || st.importClause?.isTypeOnly) continue;
    for (const el of st.importClause?.namedBindings?.elements ?? []) if (!el.isTypeOnly) names.push((el.propertyName ?? el.name).text);
  }
  return names.sort();
}

const diff = (a, b) => a.filter((x) => !b.includes(x));
let problems = 0;
for (const e of entries) {
  const [declared, real, used] = [values(e.types), values(e.module), imported(e.specifier)];
  for (const [what, names] of [
    [`declared by ${e.types.slice(pkgDir.length)} but not exported by ${e.module.slice(pkgDir.length)}`, diff(declared, real)],
    [`exported by ${e.module.slice(pkgDir.length)} but not declared by ${e.types.slice(pkgDir.length)}`, diff(real, declared)],
    [`declared but not used by types/usage.ts`, diff(declared, used)],
  ]) {
    if (names.length) console.error(`${e.specifier}: ${what}: ${names.join(', ')}`);
    problems += names.length;
  }
}
if (problems) process.exit(1);
console.log(`types: ${entries.map((e) => e.specifier).join(', ')} declare exactly what their modules export`);

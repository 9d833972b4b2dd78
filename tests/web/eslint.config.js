// ESLint (flat config) for every JavaScript file of the project: ESLint's recommended
// rules, browser globals for web/ (what ships to shoppers and merchandisers), Node's for
// the tests and the static server. Run by tools/test.sh:
//   npx --prefix tests/web eslint -c tests/web/eslint.config.js web tests/web tests/wasm tools/sql
import js from '@eslint/js';
import globals from 'globals';

const root = new URL('../..', import.meta.url).pathname; // patterns are relative to the repository

export default [
  { basePath: root, ignores: ['**/node_modules/**', 'build*/**'] },
  { ...js.configs.recommended, basePath: root, files: ['web/**/*.js', 'web/**/*.mjs', 'tests/web/**/*.mjs', 'tests/web/*.js', 'tests/wasm/*.mjs', 'tools/sql/*.mjs'] },
  {
    basePath: root,
    files: ['web/**/*.js', 'web/**/*.mjs'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: globals.browser },
  },
  {
    basePath: root,
    files: ['web/serve.mjs', 'tests/web/**/*.mjs', 'tests/web/*.js', 'tests/wasm/*.mjs', 'tools/sql/*.mjs'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: globals.node },
  },
  { // the browser tests hand functions to page.evaluate(), which run in the page
    basePath: root,
    files: ['tests/web/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
];

// A small static file server for the demo storefront: 127.0.0.1 only, no dependencies.
// usage: node web/serve.mjs --root DIR [--port N] [--isolated]   (the port moves up if taken)
// --isolated: cross-origin isolation headers (COOP/COEP), which give performance.now()
// microsecond resolution in Chromium -- for the browser benchmark.
// A file FILE served with extra response headers: FILE.headers beside it, one `Name: value`
// a line (the tests serve a store page under a strict Content-Security-Policy this way).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const root = resolve(opt('--root', '.'));
let port = Number(opt('--port', '8080'));
const isolated = args.includes('--isolated');

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.snap': 'application/octet-stream',
};

async function extraHeaders(file) {
  let text;
  try { text = await readFile(`${file}.headers`, 'utf8'); } catch { return {}; }
  return Object.fromEntries(text.split('\n').map((l) => l.match(/^([\w-]+):\s*(.+?)\s*$/)).filter(Boolean)
    .map((m) => [m[1].toLowerCase(), m[2]]));
}

const server = createServer(async (req, res) => {
  try {
    const path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) throw Object.assign(new Error('outside root'), { code: 'ENOENT' });
    let info = await stat(file);
    if (info.isDirectory()) info = await stat((file = join(file, 'index.html')));
    // Revalidated on every use: an unchanged file costs a 304, a new build is seen at once.
    const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const headers = { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache', etag };
    Object.assign(headers, await extraHeaders(file));
    if (isolated) Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const body = await readFile(file);
    res.writeHead(200, headers);
    res.end(body);
  } catch (e) {
    res.writeHead(e.code === 'ENOENT' || e.code === 'EISDIR' ? 404 : 500, { 'content-type': 'text/plain' });
    res.end(e.code === 'ENOENT' ? 'not found\n' : 'error\n');
  }
});

server.on('error', (e) => {
  if (e.code === 'EADDRINUSE' && port < 65535) {
    port += 1;
    server.listen(port, '127.0.0.1');
  } else {
    console.error(`serve: ${e.message}`);
    process.exit(1);
  }
});
server.on('listening', () => console.log(`aisle demo storefront: http://127.0.0.1:${port}/  (Ctrl-C to stop)`));
server.listen(port, '127.0.0.1');

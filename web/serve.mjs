// A small static file server for the demo storefront: 127.0.0.1 only, no dependencies.
// usage: node web/serve.mjs --root DIR [--port N] [--isolated] [--cdn]   (the port moves up if taken)
// --isolated: cross-origin isolation headers (COOP/COEP), which give performance.now()
// microsecond resolution in Chromium -- for the browser benchmark.
// --cdn: served like a CDN -- for the shopper's benchmark (tools/scripts/bench_shopper.sh).
// Bodies compressed for the request's Accept-Encoding: brotli if it allows br (quality 11;
// 9 for files over 4 MB, which quality 11 takes minutes to compress), else gzip (level 6),
// with `Vary: Accept-Encoding` (.png stays as it is); the compressed bytes are kept in
// memory per file, modification time and encoding. A content-addressed path -- one segment
// of 16 hex digits, as /snap/0123456789abcdef.snap or /lists/0123456789abcdef/3.json --
// is `Cache-Control: public, max-age=31536000, immutable`; everything else is revalidated
// as without --cdn.
// A file FILE served with extra response headers: FILE.headers beside it, one `Name: value`
// a line (the tests serve a store page under a strict Content-Security-Policy this way).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const root = resolve(opt('--root', '.'));
let port = Number(opt('--port', '8080'));
const isolated = args.includes('--isolated');
const cdn = args.includes('--cdn');

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.snap': 'application/octet-stream',
};

// ---- --cdn: compression as a CDN does it, immutable content-addressed files ----
const IMMUTABLE = /(^|\/)[0-9a-f]{16}(\/|\.[^/]*$)/;
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const compressed = new Map(); // `${encoding} ${file}` -> {stamp, body: Promise<Buffer>}, the last version only

// The encoding a CDN would answer `accept` with: br, gzip or none (q=0 refuses one).
function encodingFor(accept = '') {
  const allowed = new Set(accept.split(',').map((s) => s.trim().split(/\s*;\s*/))
    .filter(([, q]) => !q || !/^q=0(\.0*)?$/.test(q)).map(([name]) => name.toLowerCase()));
  return allowed.has('br') ? 'br' : allowed.has('gzip') ? 'gzip' : null;
}

function compress(file, info, encoding) {
  const key = `${encoding} ${file}`;
  const stamp = `${info.mtimeMs} ${info.size}`;
  if (compressed.get(key)?.stamp !== stamp) {
    const { BROTLI_PARAM_QUALITY: QUALITY, BROTLI_PARAM_SIZE_HINT: SIZE_HINT } = zlib.constants;
    const body = readFile(file).then((bytes) => (encoding === 'br'
      ? brotli(bytes, { params: { [QUALITY]: bytes.length > 4 << 20 ? 9 : 11, [SIZE_HINT]: bytes.length } })
      : gzip(bytes, { level: 6 })));
    body.catch(() => compressed.get(key)?.body === body && compressed.delete(key)); // a failed read: retried next time
    compressed.set(key, { stamp, body });
  }
  return compressed.get(key).body;
}

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
    const squeezable = cdn && extname(file) !== '.png'; // a PNG is compressed already
    const encoding = squeezable ? encodingFor(req.headers['accept-encoding']) : null;
    const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ''}"`;
    const headers = { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache', etag };
    if (cdn) {
      if (IMMUTABLE.test(path)) headers['cache-control'] = 'public, max-age=31536000, immutable';
      if (squeezable) headers.vary = 'Accept-Encoding';
      if (encoding) headers['content-encoding'] = encoding;
    }
    Object.assign(headers, await extraHeaders(file));
    if (isolated) Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const body = await (encoding ? compress(file, info, encoding) : readFile(file));
    if (cdn) headers['content-length'] = body.length;
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

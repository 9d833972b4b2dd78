// The counting stage of `aisle build` as SQL on DuckDB (the embedded default): a folder of
// GA4 BigQuery export files (newline-delimited JSON as `bq extract` writes it, gzipped or
// not, or Parquet) -> the aggregates `aisle build --aggregates DIR` reads. With --emit it
// writes the same SQL filled in for BigQuery or Spark instead of running it.
//
//   node tools/sql/aggregate.mjs --catalog products.tsv --events export/ --out aggregates/
//   node tools/sql/aggregate.mjs --emit bigquery --events '`proj.analytics_1.events_*`' \
//        --ns proj.aisle. --items gs://b/items.csv --dest gs://b/out --out sql-bigquery/
//
// docs/ingestion.md ("The counting stage as SQL") documents every file and invocation.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');

// The build's own defaults (tools/model/model_build.h ModelOptions); `aisle build
// --aggregates` refuses aggregates made with other values.
const MODEL = { transition_window: 10, list_length: 30, max_session_length: 100, max_basket: 50 };
const OUTPUTS = ['meta', 'items', 'transitions', 'co_purchases', 'sessions', 'kinds'];
const DAY_MS = 86400000;

const usage = `usage: node tools/sql/aggregate.mjs --catalog FILE --events PATH... --out DIR [options]
       node tools/sql/aggregate.mjs --emit bigquery|spark --events SOURCE --items URI --dest URI --out DIR

  --catalog FILE          the catalog export, read by \`aisle catalog\` as the build reads it
  --rules, --catalog-format, --store-url, --currency   passed to \`aisle catalog\`, as to build
  --events PATH           a GA4 export file or folder (*.json, *.jsonl, *.ndjson, .gz, *.parquet);
                          repeatable. With --emit: the table or files the SQL reads
  --out DIR               where meta/items/transitions/co_purchases/sessions.csv go
  --half-life-days N      the trend's half-life, as \`aisle build --half-life-days\` (7)
  --max-sessions N        the session index's size, as \`aisle build --max-sessions\` (200000)
  --threads N             DuckDB's threads (default: every core)
  --memory-limit SIZE     DuckDB's memory limit, e.g. 4GB (default: DuckDB's, 80% of RAM);
                          beyond it DuckDB spills to a folder inside --out
  --aisle PATH            the aisle binary (default: $AISLE, else build/tools/aisle)
  --emit DIALECT          write the SQL for bigquery or spark into --out, do not run it
  --items URI             with --emit: where the CSV of \`aisle catalog --ids\` is (gs://, s3://...)
  --dest URI              with --emit: the folder the outputs are written under
  --ns PREFIX             with --emit bigquery: the dataset for aisle's views, e.g. proj.aisle.
  --from TIME, --to TIME  with --emit: the events' time window (ms since 1970; default: all)`;

// A problem with the input found here (not by DuckDB): its message as it is.
class InputError extends Error {}

function fail(message) {
  process.stderr.write(`aggregate: ${message}\n`);
  process.exit(2);
}

function options() {
  try {
    return parseArgs({
      options: {
        catalog: { type: 'string' }, rules: { type: 'string' }, 'catalog-format': { type: 'string' },
        'store-url': { type: 'string' }, currency: { type: 'string' },
        events: { type: 'string', multiple: true }, out: { type: 'string' },
        'half-life-days': { type: 'string', default: '7' },
        'max-sessions': { type: 'string', default: '200000' },
        threads: { type: 'string' }, 'memory-limit': { type: 'string' }, aisle: { type: 'string' },
        emit: { type: 'string' }, ns: { type: 'string', default: '' },
        items: { type: 'string' }, dest: { type: 'string' },
        from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean' },
      },
    }).values;
  } catch (e) {
    fail(`${e.message}\n${usage}`);
  }
}

function whole(value, name, min, max) {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
    fail(`--${name}: expected a whole number from ${min} to ${max}, got '${value}'`);
  return Number(value);
}

// {{name}} -> value in one SQL file; a placeholder left unfilled is a bug here.
function fill(file, params) {
  const text = fs.readFileSync(path.join(here, file), 'utf8');
  const out = text.replace(/\{\{(\w+)\}\}/g, (m, name) => {
    if (!(name in params)) throw new Error(`${file}: no value for {{${name}}}`);
    return String(params[name]);
  });
  return out;
}

// The export's files under each --events path, sorted; one kind (JSON or Parquet) only.
function eventFiles(paths) {
  const files = [];
  for (const p of paths) {
    let stat;
    try {
      stat = fs.statSync(p);
    } catch {
      fail(`--events ${p}: no such file or folder`);
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) {
        if (/\.(json|jsonl|ndjson|parquet)(\.gz)?$/.test(name)) files.push(path.join(p, name));
      }
    } else {
      files.push(p);
    }
  }
  if (files.length === 0) fail(`--events ${paths.join(', ')}: no .json, .jsonl, .ndjson or .parquet files`);
  const parquet = files.filter((f) => f.endsWith('.parquet'));
  if (parquet.length > 0 && parquet.length < files.length)
    fail('--events: Parquet and JSON files mixed; give one kind');
  return { files, parquet: parquet.length > 0 };
}

const quote = (s) => `'${s.replace(/'/g, "''")}'`;

// What DuckDB reads of the export: the columns the SQL uses, typed as BigQuery types them
// (its JSON writes 64-bit integers as strings).
function duckdbSource({ files, parquet }) {
  const list = `[${files.map(quote).join(', ')}]`;
  if (parquet) {  // columnar: only these columns (and items' two fields) are read
    return '(SELECT event_name, event_timestamp, user_id, user_pseudo_id, event_params, ' +
      "list_transform(items, i -> {'item_id': i.item_id, 'quantity': i.quantity}) AS items " +
      `FROM read_parquet(${list}, union_by_name = true))`;
  }
  const columns = {
    event_name: 'VARCHAR',
    event_timestamp: 'BIGINT',
    user_id: 'VARCHAR',
    user_pseudo_id: 'VARCHAR',
    event_params:
      'STRUCT(key VARCHAR, value STRUCT(string_value VARCHAR, int_value BIGINT, float_value DOUBLE, double_value DOUBLE))[]',
    items: 'STRUCT(item_id VARCHAR, quantity BIGINT)[]',
  };
  const cols = Object.entries(columns).map(([k, v]) => `${k}: ${quote(v)}`).join(', ');
  return `read_json(${list}, format = 'newline_delimited', columns = {${cols}})`;
}

function params(o, extra) {
  const halfLifeDays = whole(o['half-life-days'], 'half-life-days', 1, 3650);
  return {
    ...MODEL,
    half_life_s: halfLifeDays * 86400,
    max_sessions: whole(o['max-sessions'], 'max-sessions', 0, 50000000),
    from_ms: '-9000000000000000',
    to_ms: '9000000000000000',
    ...extra,
  };
}

// The statements that load aisle_items and write one output as CSV parts into a folder
// (the reader takes DIR/NAME/*.csv), per engine.
const ENGINES = {
  bigquery: {
    items: (p) => `LOAD DATA OVERWRITE ${p.ns}aisle_items (item_id STRING, kind_group STRING)\n` +
      `  FROM FILES (format = 'CSV', skip_leading_rows = 1, uris = [${quote(p.items)}]);`,
    output: (p, name, select) => `EXPORT DATA OPTIONS (uri = ${quote(`${p.dest}/${name}/*.csv`)}, ` +
      `format = 'CSV', overwrite = true, header = true) AS\n${select};`,
  },
  spark: {
    items: (p) => 'CREATE OR REPLACE TEMPORARY VIEW aisle_items (item_id STRING, kind_group STRING)\n' +
      `  USING csv OPTIONS (path ${quote(p.items)}, header 'true');`,
    output: (p, name, select) => `INSERT OVERWRITE DIRECTORY ${quote(`${p.dest}/${name}`)}\n` +
      `  USING csv OPTIONS (header 'true', escape '"')\n${select};`,
  },
};

// --emit: the SQL for another engine, parameters filled in: run.sql does it all (load the
// items, flatten, count, write every output); the pieces are beside it.
function emit(o) {
  const dialect = o.emit;
  const engine = ENGINES[dialect];
  if (!engine) fail(`--emit: expected bigquery or spark, got '${dialect}'`);
  if (!o.events || o.events.length !== 1) fail('--emit: --events names the one table or file set the SQL reads');
  if (!o.items || !o.dest) fail('--emit: --items (where `aisle catalog --ids` wrote its CSV) and --dest (where the outputs go) are required');
  const window = {};
  if (o.from !== undefined) window.from_ms = whole(o.from, 'from', 0, 9e15);
  if (o.to !== undefined) window.to_ms = whole(o.to, 'to', 0, 9e15);
  const p = params(o, {
    events: o.events[0],
    ns: dialect === 'spark' ? '' : o.ns,
    view: dialect === 'spark' ? 'TEMPORARY VIEW' : 'VIEW',
    items: o.items,
    dest: o.dest.replace(/\/+$/, ''),
    ...window,
  });
  fs.mkdirSync(o.out, { recursive: true });
  const flatten = fill(`ga4_${dialect}.sql`, p), lines = fill('lines.sql', p);
  const outputs = OUTPUTS.map((name) => [name, fill(`${name}.sql`, p).trim()]);
  const files = [['0_flatten.sql', flatten], ['1_lines.sql', lines], ...outputs.map(([n, q]) => [`${n}.sql`, `${q}\n`]),
    ['run.sql', [engine.items(p), flatten, lines, ...outputs.map(([n, q]) => engine.output(p, n, q))].join('\n\n') + '\n']];
  for (const [name, text] of files) fs.writeFileSync(path.join(o.out, name), text);
  process.stdout.write(`${dialect} SQL in ${o.out}: run.sql loads ${o.items} as ${p.ns}aisle_items, counts ${o.events[0]} ` +
    `and writes ${OUTPUTS.join(', ')} under ${p.dest}/ (docs/ingestion.md); copy that folder here and ` +
    '`aisle build --aggregates` reads it\n');
}

async function run(o) {
  if (!o.catalog) fail(`--catalog is required\n${usage}`);
  if (!o.events) fail(`--events is required\n${usage}`);
  const source = eventFiles(o.events);
  const aisle = o.aisle ?? process.env.AISLE ?? path.join(root, 'build/tools/aisle');
  let DuckDBInstance;
  try {
    ({ DuckDBInstance } = await import('@duckdb/node-api'));
  } catch {
    fail('DuckDB is not installed: run `npm ci --prefix tools/sql` (or bash tools/scripts/aggregate.sh, which does)');
  }
  const base = params(o, { events: 'aisle_export', ns: '', view: 'VIEW' });
  const threads = o.threads === undefined ? undefined : String(whole(o.threads, 'threads', 1, 1024));
  const started = Date.now();
  const say = (what) => process.stderr.write(`  ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}\n`);

  // Everything is written into a work folder inside --out and renamed into place at the end:
  // a failed run leaves the previous aggregates as they were.
  fs.mkdirSync(o.out, { recursive: true });
  const work = fs.mkdtempSync(path.join(o.out, '.aggregate-'));
  try {
    const ids = path.join(work, 'catalog_ids.csv');
    const catalogArgs = ['catalog', '--catalog', o.catalog, '--ids', ids, '--json'];
    for (const k of ['rules', 'catalog-format', 'store-url', 'currency']) {
      if (o[k] !== undefined) catalogArgs.push(`--${k}`, o[k]);
    }
    let catalog;
    try {
      catalog = JSON.parse(execFileSync(aisle, catalogArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    } catch (e) {
      throw new InputError(e.code === 'ENOENT' ? `${aisle}: no aisle binary (build it, or give --aisle)`
        : String(e.stderr || e.message).trim());
    }
    say(`catalog ${o.catalog}: ${catalog.items} items`);

    const db = await DuckDBInstance.create(path.join(work, 'work.duckdb'), {
      temp_directory: path.join(work, 'spill'),
      ...(threads ? { threads } : {}),
      ...(o['memory-limit'] ? { memory_limit: o['memory-limit'] } : {}),
    });
    const c = await db.connect();
    const sql = async (text) => c.run(text);
    const one = async (text) => (await c.runAndReadAll(text)).getRowObjects()[0];

    await sql(`CREATE TABLE aisle_items AS SELECT item_id, kind_group FROM read_csv(${quote(ids)}, ` +
      `header = true, columns = {'item_id': 'VARCHAR', 'kind_group': 'VARCHAR'}, quote = '"', escape = '"', delim = ',')`);
    // One read of the export into a table of the columns the SQL uses (JSON is costly to
    // parse, and every output reads the events); other event names are left out here.
    await sql(`CREATE TABLE aisle_export AS SELECT * FROM ${duckdbSource(source)} ` +
      `WHERE event_name IN ('view_item', 'view_item_list', 'select_item', 'add_to_cart', 'remove_from_cart', ` +
      `'begin_checkout', 'purchase', 'search', 'view_promotion', 'select_promotion')`);
    const read = await one('SELECT COUNT(*) AS n FROM aisle_export');
    say(`read ${source.files.length} file(s): ${read.n} events of the names aisle reads`);

    await sql(fill('ga4_duckdb.sql', base));
    await sql(fill('lines.sql', base));
    // Events far outside the log's time range are left out, as the build does: more than
    // max(365 days, 4 x the 10th-90th percentile spread) from the median event time.
    const q = await one(`SELECT quantile_disc(ts_ms, 0.1) AS p10, quantile_disc(ts_ms, 0.5) AS p50, ` +
      `quantile_disc(ts_ms, 0.9) AS p90, MIN(ts_ms) AS lo, MAX(ts_ms) AS hi FROM aisle_known_events`);
    const p = { ...base };
    if (q.p50 !== null) {
      const reach = Math.max(4 * Number(q.p90 - q.p10), 365 * DAY_MS);
      const from = Math.ceil(Number(q.p50) - reach), to = Math.floor(Number(q.p50) + reach);
      if (Number(q.lo) < from || Number(q.hi) > to) {
        Object.assign(p, { from_ms: from, to_ms: to });
        await sql(fill('lines.sql', p));
        say(`events before ${new Date(from).toISOString()} or after ${new Date(to).toISOString()} left out (far outside the log)`);
      }
    }
    // The events and interactions once each, as tables every output reads.
    for (const view of ['aisle_known_events', 'aisle_lines']) {
      await sql(`CREATE TABLE ${view}_table AS SELECT * FROM ${view}`);
      await sql(`CREATE OR REPLACE VIEW ${view} AS SELECT * FROM ${view}_table`);
    }
    say('interactions counted');
    for (const name of OUTPUTS) {
      await sql(`COPY (${fill(`${name}.sql`, p)}) TO ${quote(path.join(work, `${name}.csv`))} (HEADER, DELIMITER ',')`);
      say(`${name}.csv`);
    }
    c.closeSync();
    db.closeSync();
    for (const name of [...OUTPUTS, 'catalog_ids']) fs.renameSync(path.join(work, `${name}.csv`), path.join(o.out, `${name}.csv`));
    process.stdout.write(`aggregates in ${o.out} (${((Date.now() - started) / 1000).toFixed(1)} s): ` +
      `aisle build --catalog ${o.catalog} --aggregates ${o.out} --out store.snap\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const o = options();
if (o.help) {
  process.stdout.write(`${usage}\n`);
} else if (!o.out) {
  fail(`--out is required\n${usage}`);
} else if (o.emit !== undefined) {
  emit(o);
} else {
  try {
    await run(o);
  } catch (e) {
    // DuckDB's errors name the file and line of the export it could not read.
    fail(e instanceof InputError ? e.message : `DuckDB: ${e.message.split('\n')[0]}`);
  }
}

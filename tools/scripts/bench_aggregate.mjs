// Helpers of bench_aggregate.sh, on DuckDB (tools/sql's @duckdb/node-api):
//   parquet EVENTS.jsonl COPIES OUT_DIR   the export COPIES times over as Parquet, each copy's
//                                         visitors renamed (V1 -> V1-k) so sessions stay apart
//   bytes EVENTS.jsonl                    BigQuery's logical bytes per event of the columns
//                                         the counting SQL reads (its billing sizes: a string
//                                         2 + its UTF-8 bytes, an INT64 8, a null 0)
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const { DuckDBInstance } = await import(path.join(here, '../sql/node_modules/@duckdb/node-api/lib/index.js'));
const [what, events, ...rest] = process.argv.slice(2);
const P = 'STRUCT(key VARCHAR, value STRUCT(string_value VARCHAR, int_value BIGINT, float_value DOUBLE, double_value DOUBLE))[]';
// The export's columns demo-data writes values into, typed as BigQuery types them.
const columns = {
  event_date: 'VARCHAR', event_timestamp: 'BIGINT', event_name: 'VARCHAR', event_params: P,
  user_id: 'VARCHAR', user_pseudo_id: 'VARCHAR',
  collected_traffic_source: 'STRUCT(manual_source VARCHAR, manual_medium VARCHAR, manual_campaign_name VARCHAR, gclid VARCHAR)',
  ecommerce: 'STRUCT(total_item_quantity BIGINT, purchase_revenue_in_usd DOUBLE, purchase_revenue DOUBLE, unique_items BIGINT, transaction_id VARCHAR)',
  items: `STRUCT(item_id VARCHAR, price DOUBLE, quantity BIGINT, item_list_id VARCHAR, item_list_index VARCHAR, item_params ${P})[]`,
};
const spec = Object.entries(columns).map(([k, v]) => `${k}: '${v}'`).join(', ');
const src = `read_json('${events}', format = 'newline_delimited', columns = {${spec}})`;
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
if (what === 'parquet') {
  const [copies, out] = rest;
  await c.run(`COPY (SELECT * REPLACE (user_pseudo_id || '-' || k AS user_pseudo_id) FROM ${src}, range(${Number(copies)}) AS r(k))
    TO '${out}' (FORMAT parquet, PER_THREAD_OUTPUT true)`);
} else if (what === 'bytes') {
  const str = (x) => `COALESCE(2 + octet_length(CAST(${x} AS BLOB)), 0)`;
  const int = (x) => `(CASE WHEN ${x} IS NULL THEN 0 ELSE 8 END)`;
  const r = (await c.runAndReadAll(`SELECT COUNT(*) AS events,
      AVG(${str('event_name')}) AS event_name, AVG(${int('event_timestamp')}) AS event_timestamp,
      AVG(${str('user_id')} + ${str('user_pseudo_id')}) AS users,
      AVG(COALESCE(list_sum(list_transform(event_params, p -> ${str('p.key')} + ${str('p.value.string_value')} + ${int('p.value.int_value')})), 0)) AS event_params,
      AVG(COALESCE(list_sum(list_transform(items, i -> ${str('i.item_id')} + ${int('i.quantity')})), 0)) AS items
    FROM ${src}`)).getRowObjects()[0];
  const per = Number(r.event_name) + Number(r.event_timestamp) + Number(r.users) + Number(r.event_params) + Number(r.items);
  console.log(JSON.stringify({ events: Number(r.events), bytes_per_event: per, columns: {
    event_name: Number(r.event_name), event_timestamp: Number(r.event_timestamp), 'user_id + user_pseudo_id': Number(r.users),
    'event_params (key, string_value, int_value)': Number(r.event_params), 'items (item_id, quantity)': Number(r.items) } }));
} else {
  throw new Error(`unknown step '${what}'`);
}

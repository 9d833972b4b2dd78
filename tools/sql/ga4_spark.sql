-- GA4's BigQuery export, flattened for the counting SQL: Spark SQL 3.4 or later.
-- Reads the exported files (aggregate.mjs --events, e.g. parquet.`s3://bucket/ga4/`) or a
-- table. Views are temporary (this session's). Not run here (no Spark in CI):
-- the DuckDB file beside it is the tested twin.
CREATE OR REPLACE TEMPORARY VIEW aisle_event_rows AS
SELECT
  event_name,
  event_timestamp,
  user_id,
  user_pseudo_id,
  COALESCE(
    try_element_at(filter(event_params, p -> p.key = 'ga_session_id'), 1).value.string_value,
    CAST(try_element_at(filter(event_params, p -> p.key = 'ga_session_id'), 1).value.int_value AS STRING)
  ) AS ga_session_id,
  items
FROM {{events}};

CREATE OR REPLACE TEMPORARY VIEW aisle_item_rows AS
SELECT
  e.event_name, e.event_timestamp, e.user_id, e.user_pseudo_id, e.ga_session_id,
  t.pos,
  t.it.item_id AS item_id,
  t.it.quantity AS quantity
FROM aisle_event_rows AS e LATERAL VIEW POSEXPLODE(e.items) t AS pos, it;

-- GA4's BigQuery export, flattened for the counting SQL: DuckDB.
-- Reads what aggregate.mjs loaded of the files `bq extract` wrote (read_json with the
-- columns below typed as BigQuery types them, or read_parquet).
-- aisle_event_rows: one row per event; aisle_item_rows: one per item of an event, with its
-- 0-based position in the event's items.
CREATE OR REPLACE VIEW aisle_event_rows AS
SELECT
  event_name,
  event_timestamp,
  user_id,
  user_pseudo_id,
  COALESCE(p.value.string_value, CAST(p.value.int_value AS VARCHAR)) AS ga_session_id,
  items
FROM (SELECT *, list_filter(event_params, x -> x.key = 'ga_session_id')[1] AS p
      FROM {{events}}) AS e;

CREATE OR REPLACE VIEW aisle_item_rows AS
SELECT
  e.event_name, e.event_timestamp, e.user_id, e.user_pseudo_id, e.ga_session_id,
  u.pos - 1 AS pos,
  u.it.item_id AS item_id,
  u.it.quantity AS quantity
FROM aisle_event_rows AS e, UNNEST(e.items) WITH ORDINALITY AS u(it, pos);

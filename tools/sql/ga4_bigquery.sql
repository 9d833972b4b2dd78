-- GA4's BigQuery export, flattened for the counting SQL: BigQuery (GoogleSQL).
-- Reads the export's tables (aggregate.mjs --events, e.g. `my-project.analytics_123456.events_*`),
-- the views go to the dataset --ns names (e.g. my-project.aisle.; docs/ingestion.md).
-- Not run here (no BigQuery in CI): the DuckDB file beside it is the tested twin.
CREATE OR REPLACE VIEW {{ns}}aisle_event_rows AS
SELECT
  event_name,
  event_timestamp,
  user_id,
  user_pseudo_id,
  (SELECT COALESCE(p.value.string_value, CAST(p.value.int_value AS STRING))
     FROM UNNEST(event_params) AS p
    WHERE p.key = 'ga_session_id'
    LIMIT 1) AS ga_session_id,
  items
FROM {{events}};

CREATE OR REPLACE VIEW {{ns}}aisle_item_rows AS
SELECT
  e.event_name, e.event_timestamp, e.user_id, e.user_pseudo_id, e.ga_session_id,
  pos,
  it.item_id AS item_id,
  it.quantity AS quantity
FROM {{ns}}aisle_event_rows AS e, UNNEST(e.items) AS it WITH OFFSET AS pos;

-- The events `aisle build` counts, as views over a dialect file's aisle_event_rows and
-- aisle_item_rows, in the SQL that DuckDB, BigQuery and Spark share (docs/ingestion.md).
-- aggregate.mjs fills in the placeholders: view (VIEW, or TEMPORARY VIEW on Spark), ns
-- (where views live: '' or 'dataset.'), from_ms and to_ms (the time window: events far
-- outside the log's range are left out).

-- Events of the GA4 e-commerce names aisle reads, in the window: their time in ms.
CREATE OR REPLACE {{view}} {{ns}}aisle_known_events AS
SELECT event_name, CAST(ROUND(event_timestamp / 1000) AS BIGINT) AS ts_ms
FROM {{ns}}aisle_event_rows
WHERE event_name IN ('view_item', 'view_item_list', 'select_item', 'add_to_cart',
                     'remove_from_cart', 'begin_checkout', 'purchase', 'search',
                     'view_promotion', 'select_promotion')
  AND ROUND(event_timestamp / 1000) BETWEEN {{from_ms}} AND {{to_ms}};

-- One row per item interaction the build counts: a view, select, add to cart or purchase
-- of an item the catalog has (aisle_items), with the session it belongs to. The session is
-- GA4's: user_pseudo_id/ga_session_id (ga_session_id is unique per browser only); without
-- a ga_session_id, the visitor (user_id, else user_pseudo_id). is_click: all but purchases.
-- visitor: user_id, else user_pseudo_id ('' for neither), whose repeat buying tells kinds.
CREATE OR REPLACE {{view}} {{ns}}aisle_lines AS
SELECT
  CASE
    WHEN sid IS NULL OR sid = '' THEN COALESCE(visitor, '')
    WHEN device IS NULL OR device = '' THEN sid
    ELSE CONCAT(device, '/', sid)
  END AS session_key,
  COALESCE(visitor, '') AS visitor,
  ts_ms, pos, event_name, item_id,
  CASE WHEN quantity >= 1 AND quantity <= 1000000 THEN quantity ELSE 1 END AS quantity,
  CASE WHEN event_name = 'purchase' THEN 0 ELSE 1 END AS is_click
FROM (
  SELECT
    r.ga_session_id AS sid,
    COALESCE(r.user_id, r.user_pseudo_id) AS visitor,
    COALESCE(NULLIF(r.user_pseudo_id, ''), r.user_id) AS device,
    CAST(ROUND(r.event_timestamp / 1000) AS BIGINT) AS ts_ms,
    r.pos, r.event_name, r.item_id, r.quantity
  FROM {{ns}}aisle_item_rows AS r
  JOIN {{ns}}aisle_items AS i ON i.item_id = r.item_id
  WHERE r.event_name IN ('view_item', 'select_item', 'add_to_cart', 'purchase')
    AND ROUND(r.event_timestamp / 1000) BETWEEN {{from_ms}} AND {{to_ms}}
) AS t;

-- items.csv: per item, views (and selects) and units carted and bought; buyers, its
-- purchase lines; sessions, the sessions that touched it; trend, each interaction's weight
-- (view 1, cart 3, 5 a unit bought) halved every half-life before the latest event.
SELECT
  l.item_id,
  SUM(CASE WHEN l.event_name IN ('view_item', 'select_item') THEN 1 ELSE 0 END) AS views,
  SUM(CASE WHEN l.event_name = 'add_to_cart' THEN l.quantity ELSE 0 END) AS carts,
  SUM(CASE WHEN l.event_name = 'purchase' THEN l.quantity ELSE 0 END) AS purchases,
  SUM(CASE WHEN l.event_name = 'purchase' THEN 1 ELSE 0 END) AS buyers,
  COUNT(DISTINCT l.session_key) AS sessions,
  SUM(CASE l.event_name WHEN 'add_to_cart' THEN 3e0 WHEN 'purchase' THEN 5e0 * l.quantity ELSE 1e0 END
      * POWER(2e0, (l.ts_ms - a.as_of_ms) / ({{half_life_s}} * 1000e0))) AS trend
FROM {{ns}}aisle_lines AS l
CROSS JOIN (SELECT MAX(ts_ms) AS as_of_ms FROM {{ns}}aisle_known_events) AS a
GROUP BY l.item_id

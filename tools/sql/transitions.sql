-- transitions.csv: item b clicked within {{transition_window}} clicks after item a in a
-- session (views, selects and carts in time order), each time weighted 1 / the clicks
-- between. Kept: what can be among a's best {{list_length}} once the build turns weights
-- into 32-bit floats (within a millionth of the last kept), so the build cuts the list.
WITH clicks AS (
  SELECT session_key, item_id,
         ROW_NUMBER() OVER (PARTITION BY session_key
                            ORDER BY ts_ms, pos, event_name, item_id) AS k
  FROM {{ns}}aisle_lines
  WHERE is_click = 1
), pairs AS (
  SELECT a.item_id, b.item_id AS next_item_id, SUM(1e0 / (b.k - a.k)) AS weight
  FROM clicks AS a
  JOIN clicks AS b
    ON b.session_key = a.session_key AND b.k > a.k AND b.k <= a.k + {{transition_window}}
  WHERE a.item_id <> b.item_id
  GROUP BY a.item_id, b.item_id
), ranked AS (
  SELECT item_id, next_item_id, weight,
         ROW_NUMBER() OVER (PARTITION BY item_id ORDER BY weight DESC) AS r
  FROM pairs
), cut AS (
  SELECT item_id, MIN(weight) AS least FROM ranked WHERE r <= {{list_length}} GROUP BY item_id
)
SELECT p.item_id, p.next_item_id, p.weight
FROM ranked AS p
JOIN cut AS c ON c.item_id = p.item_id
WHERE p.weight >= c.least * (1 - 1e-6)

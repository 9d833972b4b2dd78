-- co_purchases.csv: sessions that bought both a and b (each session's first
-- {{max_basket}} distinct items bought, in the order first bought). Kept: what can be among
-- a's best {{list_length}} by sessions / sqrt(b's purchase lines), as the build scores them.
WITH bought AS (
  SELECT session_key, item_id,
         ROW_NUMBER() OVER (PARTITION BY session_key
                            ORDER BY ts_ms, pos, event_name, item_id) AS k
  FROM {{ns}}aisle_lines
  WHERE is_click = 0
), firsts AS (
  SELECT session_key, item_id, MIN(k) AS k FROM bought GROUP BY session_key, item_id
), basket AS (
  SELECT session_key, item_id
  FROM (SELECT session_key, item_id,
               ROW_NUMBER() OVER (PARTITION BY session_key ORDER BY k) AS n
        FROM firsts) AS f
  WHERE n <= {{max_basket}}
), pairs AS (
  SELECT a.item_id, b.item_id AS other_item_id, COUNT(*) AS sessions
  FROM basket AS a
  JOIN basket AS b ON b.session_key = a.session_key AND b.item_id <> a.item_id
  GROUP BY a.item_id, b.item_id
), buyers AS (
  SELECT item_id, COUNT(*) AS buyers FROM {{ns}}aisle_lines WHERE is_click = 0 GROUP BY item_id
), ranked AS (
  SELECT p.item_id, p.other_item_id, p.sessions,
         p.sessions / SQRT(GREATEST(1, b.buyers)) AS score
  FROM pairs AS p
  JOIN buyers AS b ON b.item_id = p.other_item_id
), numbered AS (
  SELECT item_id, other_item_id, sessions, score,
         ROW_NUMBER() OVER (PARTITION BY item_id ORDER BY score DESC) AS r
  FROM ranked
), cut AS (
  SELECT item_id, MIN(score) AS least FROM numbered WHERE r <= {{list_length}} GROUP BY item_id
)
SELECT n.item_id, n.other_item_id, n.sessions
FROM numbered AS n
JOIN cut AS c ON c.item_id = n.item_id
WHERE n.score >= c.least * (1 - 1e-6)

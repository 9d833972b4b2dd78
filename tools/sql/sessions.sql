-- sessions.csv: the session index. The {{max_sessions}} sessions with a click that ended
-- last (ranked by their last interaction, then by session key; 0 the most recent), each
-- its latest {{max_session_length}} distinct clicked items, position 0 the earliest.
WITH ends AS (
  SELECT session_key, MAX(ts_ms) AS last_ts, MAX(is_click) AS clicked
  FROM {{ns}}aisle_lines
  GROUP BY session_key
), recent AS (
  SELECT session_key, session
  FROM (SELECT session_key,
               ROW_NUMBER() OVER (ORDER BY last_ts DESC, session_key DESC) - 1 AS session
        FROM ends
        WHERE clicked = 1) AS e
  WHERE session < {{max_sessions}}
), clicks AS (
  SELECT l.session_key, l.item_id,
         ROW_NUMBER() OVER (PARTITION BY l.session_key
                            ORDER BY l.ts_ms, l.pos, l.event_name, l.item_id) AS k
  FROM {{ns}}aisle_lines AS l
  JOIN recent AS r ON r.session_key = l.session_key
  WHERE l.is_click = 1
), latest AS (
  SELECT session_key, item_id, MAX(k) AS k FROM clicks GROUP BY session_key, item_id
), kept AS (
  SELECT session_key, item_id, k
  FROM (SELECT session_key, item_id, k,
               ROW_NUMBER() OVER (PARTITION BY session_key ORDER BY k DESC) AS back
        FROM latest) AS t
  WHERE back <= {{max_session_length}}
)
SELECT r.session,
       ROW_NUMBER() OVER (PARTITION BY r.session ORDER BY kept.k) - 1 AS position,
       kept.item_id
FROM kept
JOIN recent AS r ON r.session_key = kept.session_key

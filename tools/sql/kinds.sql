-- kinds.csv: repeat buying in the leaf categories whose items the export gives no kind
-- (aisle_items.kind_group), from which the build decides durable or consumable as it does
-- from events (docs/algorithms.md, "What is inferred when the export lacks a field").
-- Per category and gap: buyers, the visitors who bought in it; returning_buyers, those who
-- bought anything on a later day; gap_days, the days from their first purchase in it to
-- the next on a later day (empty: never bought in it again). Days are UTC days.
WITH bought AS (
  SELECT l.visitor, i.kind_group, CAST(FLOOR(l.ts_ms / 86400000) AS BIGINT) AS day
  FROM {{ns}}aisle_lines AS l
  JOIN {{ns}}aisle_items AS i ON i.item_id = l.item_id
  WHERE l.is_click = 0 AND l.visitor <> '' AND l.ts_ms >= 0
), last_days AS (
  SELECT visitor, MAX(day) AS last_day FROM bought GROUP BY visitor
), firsts AS (
  SELECT visitor, kind_group, MIN(day) AS first_day
  FROM bought
  WHERE kind_group IS NOT NULL AND kind_group <> ''
  GROUP BY visitor, kind_group
), agains AS (
  SELECT f.visitor, f.kind_group, MIN(b.day) - f.first_day AS gap_days
  FROM firsts AS f
  JOIN bought AS b
    ON b.visitor = f.visitor AND b.kind_group = f.kind_group AND b.day > f.first_day
  GROUP BY f.visitor, f.kind_group, f.first_day
)
SELECT f.kind_group AS category, a.gap_days,
       COUNT(*) AS buyers,
       SUM(CASE WHEN d.last_day > f.first_day THEN 1 ELSE 0 END) AS returning_buyers
FROM firsts AS f
JOIN last_days AS d ON d.visitor = f.visitor
LEFT JOIN agains AS a ON a.visitor = f.visitor AND a.kind_group = f.kind_group
GROUP BY f.kind_group, a.gap_days

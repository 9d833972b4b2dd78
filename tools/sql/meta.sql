-- meta.csv: what the counts are of, and the parameters they were made with, which
-- `aisle build --aggregates` checks against its own.
SELECT
  (SELECT MAX(ts_ms) FROM {{ns}}aisle_known_events) AS as_of_ms,
  (SELECT COUNT(*) FROM {{ns}}aisle_known_events) AS events_read,
  (SELECT COUNT(*) FROM {{ns}}aisle_lines) AS interactions,
  {{half_life_s}} AS half_life_s,
  {{transition_window}} AS transition_window,
  {{max_sessions}} AS max_sessions,
  {{max_session_length}} AS max_session_length,
  {{max_basket}} AS max_basket

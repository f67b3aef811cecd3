-- materialise: stored as a table when the warehouse is published, so queries read a result
-- instead of recomputing it; computed a few authorities at a time (materialise_scope: see
-- warehouse/views.py).
-- theme_trajectory: per authority x theme across its inspections in time order.
--   persistent_weakness: a weakness at the latest inspection and at the one before
--   declined: a strength at the one before, a weakness at the latest
--   new_weakness: a weakness at the latest, never before
--   resolved: a weakness earlier, a strength at the latest
--   consistent_strength: a strength at every inspection that mentions it (two or more)
--   single_inspection: mentioned at one inspection only (status_history says which way)
-- columns:
--   local_authority: ONS name of the authority inspected.
--   la_urn: Ofsted URN of the authority's children's services.
--   region: The authority's region.
--   theme: Theme code of the findings taxonomy (themes.code).
--   inspections: Dated inspections of the authority that mention the theme.
--   first_seen: End date of the first of those inspections.
--   last_seen: End date of the latest of those inspections.
--   status_history: 'YYYY-MM:status' of each of those inspections, in time order (status as in
--       theme_inspection).
--   latest_status: The theme's status at the latest inspection mentioning it.
--   previous_status: Its status at the inspection before that (null if there is none).
--   trajectory: persistent_weakness (a weakness at the latest inspection and the one before),
--       declined (a strength before, a weakness at the latest), new_weakness (a weakness at the
--       latest, never before), resolved (a weakness earlier, a strength at the latest),
--       consistent_strength (a strength at every inspection, two or more), single_inspection
--       (mentioned at one inspection only) or mixed (none of these).
CREATE VIEW theme_trajectory AS
WITH ordered AS (
    SELECT *, row_number() OVER (PARTITION BY la_urn, theme ORDER BY end_date DESC, inspection_id DESC) AS recency
    FROM theme_inspection
    WHERE coalesce(la_urn, 0) IN (SELECT la_urn FROM materialise_scope)  -- a few authorities at a time
),
agg AS (
    SELECT
        local_authority, la_urn, region, theme,
        count(*) AS inspections,
        list(strftime(end_date, '%Y-%m') || ':' || status ORDER BY end_date, inspection_id) AS status_history,
        min(end_date) AS first_seen, max(end_date) AS last_seen,
        any_value(status) FILTER (WHERE recency = 1) AS latest_status,
        any_value(status) FILTER (WHERE recency = 2) AS previous_status,
        count(*) FILTER (WHERE recency > 1 AND status = 'weakness') AS earlier_weaknesses,
        count(*) FILTER (WHERE recency > 1 AND status = 'strength') AS earlier_strengths,
        count(*) FILTER (WHERE status = 'strength') AS strength_inspections
    FROM ordered GROUP BY ALL
)
SELECT
    local_authority, la_urn, region, theme, inspections, first_seen, last_seen, status_history,
    latest_status, previous_status,
    CASE
        WHEN inspections = 1 THEN 'single_inspection'
        WHEN latest_status = 'weakness' AND previous_status = 'weakness' THEN 'persistent_weakness'
        WHEN latest_status = 'weakness' AND previous_status = 'strength' THEN 'declined'
        WHEN latest_status = 'weakness' AND earlier_weaknesses = 0 THEN 'new_weakness'
        WHEN latest_status = 'strength' AND earlier_weaknesses > 0 THEN 'resolved'
        WHEN strength_inspections = inspections THEN 'consistent_strength'
        ELSE 'mixed'
    END AS trajectory
FROM agg;

-- materialise: stored as a table when the warehouse is published (it reads every finding).
-- theme_inspection: per authority x inspection x theme, the strengths and weaknesses Ofsted's own
-- documents state (findings), and the recommendations on that theme.
-- status: 'weakness' when the inspection criticised the theme — a recommendation on it, or
-- weaknesses making up at least a quarter of its strength/weakness findings (reports praise and
-- criticise the same broad theme, so a plain majority would hide criticism); 'strength' when it
-- was praised and not criticised; 'mixed' when only mixed findings mention it.
-- columns:
--   local_authority: ONS name of the authority inspected.
--   la_urn: Ofsted URN of the authority's children's services.
--   region: The authority's region.
--   inspection_id: The inspection (inspections.inspection_id).
--   inspection_type: full_inspection, short_inspection, focused_visit, monitoring_visit, ...
--   start_date: First day of the inspection.
--   end_date: Last day of the inspection.
--   theme: Theme code of the findings taxonomy (themes.code).
--   strengths: Findings on the theme with polarity strength, in Ofsted's documents of the
--       inspection.
--   weaknesses: Findings on the theme with polarity weakness.
--   mixed: Findings on the theme with polarity mixed.
--   recommendations: Ofsted's recommendations on the theme at this inspection.
--   weakness_share: weaknesses / (strengths + weaknesses), 0 when there are neither (3 decimals).
--   status: weakness (a recommendation on the theme, or weaknesses at least a quarter of its
--       strength and weakness findings), strength (praised and not criticised) or mixed (only
--       mixed findings).
CREATE VIEW theme_inspection AS
WITH f AS (
    SELECT d.inspection_id, unnest(f.themes) AS theme, f.polarity
    FROM findings f JOIN documents d USING (document_id)
    WHERE d.publisher = 'Ofsted' AND d.inspection_id IS NOT NULL
),
r AS (
    SELECT d.inspection_id, unnest(r.themes) AS theme
    FROM recommendations r JOIN documents d USING (document_id)
    WHERE d.publisher = 'Ofsted' AND d.inspection_id IS NOT NULL
),
counts AS (
    SELECT inspection_id, theme,
           count(*) FILTER (WHERE polarity = 'strength') AS strengths,
           count(*) FILTER (WHERE polarity = 'weakness') AS weaknesses,
           count(*) FILTER (WHERE polarity = 'mixed') AS mixed,
           0 AS recommendations
    FROM f GROUP BY ALL
    UNION ALL
    SELECT inspection_id, theme, 0, 0, 0, count(*) FROM r GROUP BY ALL
),
totals AS (
    SELECT inspection_id, theme, sum(strengths)::BIGINT AS strengths, sum(weaknesses)::BIGINT AS weaknesses,
           sum(mixed)::BIGINT AS mixed, sum(recommendations)::BIGINT AS recommendations
    FROM counts GROUP BY ALL
)
SELECT
    i.local_authority, i.la_urn, i.region, t.inspection_id, i.inspection_type, i.start_date, i.end_date,
    t.theme, t.strengths, t.weaknesses, t.mixed, t.recommendations,
    round(t.weaknesses / greatest(t.strengths + t.weaknesses, 1)::DOUBLE, 3) AS weakness_share,
    CASE
        WHEN t.recommendations > 0 OR (t.weaknesses > 0 AND t.weaknesses >= 0.25 * (t.strengths + t.weaknesses))
            THEN 'weakness'
        WHEN t.strengths > 0 THEN 'strength'
        ELSE 'mixed'
    END AS status
FROM totals t
JOIN inspections i USING (inspection_id)
WHERE i.dates_known = 'stated';

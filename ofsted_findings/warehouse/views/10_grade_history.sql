-- materialise: stored as a table when the warehouse is published, so queries read a result
-- instead of recomputing it.
-- grade_history: every judgement an inspection made, by authority and date, with the change from
-- the same area's grade at the authority's previous inspection (earlier framework areas compare
-- within their own area code). One row per inspection x area: the report's own statement is
-- preferred over a restatement in a letter or the press.
-- columns:
--   local_authority: ONS name of the authority inspected.
--   la_urn: Ofsted URN of the authority's children's services.
--   region: The authority's region.
--   inspection_id: The inspection (inspections.inspection_id).
--   inspection_type: full_inspection, short_inspection, focused_visit, monitoring_visit, ...
--   framework: Inspection framework: SIF, ILACS, ILACS_2026, ...
--   start_date: First day of the inspection.
--   end_date: Last day of the inspection; the date the grade is dated by.
--   area: Judgement area (one code list across frameworks, e.g. overall_effectiveness).
--   grade: outstanding, good, requires_improvement or inadequate.
--   grade_rank: The grade as a number: 1 outstanding, 2 good, 3 requires improvement, 4 inadequate.
--   previous_grade: The same area's grade at the authority's previous inspection that graded it
--       (null at the first).
--   previous_end_date: Last day of that previous inspection.
--   change: first, improved, declined or same, against previous_grade.
--   document_id: The document whose statement of the grade is used (the report's own is preferred).
--   evidence: The sentence or grade-table row that states the grade.
CREATE VIEW grade_history AS
WITH ranked AS (
    SELECT
        i.local_authority, i.la_urn, i.region, i.inspection_id, i.inspection_type, i.framework,
        i.start_date, i.end_date, j.area, j.grade, j.document_id, j.evidence,
        row_number() OVER (
            PARTITION BY j.inspection_id, j.area
            ORDER BY (d.document_type = 'inspection_report') DESC, (j.judgement_of = 'this_inspection') DESC, j.document_id
        ) AS preference
    FROM judgements j
    JOIN inspections i USING (inspection_id)
    JOIN documents d USING (document_id)
    WHERE i.dates_known = 'stated'
),
one AS (
    SELECT *, CASE grade WHEN 'outstanding' THEN 1 WHEN 'good' THEN 2
                         WHEN 'requires_improvement' THEN 3 WHEN 'inadequate' THEN 4 END AS grade_rank
    FROM ranked WHERE preference = 1
)
SELECT
    local_authority, la_urn, region, inspection_id, inspection_type, framework, start_date, end_date,
    area, grade, grade_rank,
    lag(grade) OVER w AS previous_grade,
    lag(end_date) OVER w AS previous_end_date,
    CASE
        WHEN lag(grade) OVER w IS NULL THEN 'first'
        WHEN grade_rank < lag(grade_rank) OVER w THEN 'improved'
        WHEN grade_rank > lag(grade_rank) OVER w THEN 'declined'
        ELSE 'same'
    END AS change,
    document_id, evidence
FROM one
WINDOW w AS (PARTITION BY la_urn, area ORDER BY end_date, inspection_id);

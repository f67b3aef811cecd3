-- materialise: stored as a table when the warehouse is published, so queries read a result
-- instead of recomputing it.
-- latest_grades: each authority's most recent grade in each judgement area.
CREATE VIEW latest_grades AS
SELECT * EXCLUDE (recency)
FROM (
    SELECT la_urn, local_authority, area, grade, grade_rank, end_date, inspection_id, inspection_type,
           row_number() OVER (PARTITION BY la_urn, area ORDER BY end_date DESC, inspection_id DESC) AS recency
    FROM grade_history
)
WHERE recency = 1;

-- statistical_neighbours_grades: an authority's latest grades beside each of its ten statistical
-- neighbours' latest grade in the same area (neighbour_rank 1 = closest). A neighbour with no
-- inspection in the warehouse appears with a null grade.
CREATE VIEW statistical_neighbours_grades AS
WITH pairs AS (
    SELECT a.la_urn, a.local_authority, a.region, n.neighbour_code, n.neighbour_rank
    FROM authorities a,
         unnest(a.statistical_neighbours) WITH ORDINALITY AS n(neighbour_code, neighbour_rank)
)
SELECT
    p.local_authority, p.region, own.area, own.grade, own.end_date AS inspected,
    p.neighbour_rank, nb.local_authority AS neighbour, nbg.grade AS neighbour_grade,
    nbg.end_date AS neighbour_inspected,
    CASE WHEN nbg.grade_rank IS NULL THEN NULL
         WHEN nbg.grade_rank < own.grade_rank THEN 'neighbour_better'
         WHEN nbg.grade_rank > own.grade_rank THEN 'neighbour_worse'
         ELSE 'same' END AS comparison
FROM pairs p
JOIN latest_grades own ON own.la_urn = p.la_urn
JOIN authorities nb ON nb.la_ons_code = p.neighbour_code
LEFT JOIN latest_grades nbg ON nbg.la_urn = nb.la_urn AND nbg.area = own.area
ORDER BY p.local_authority, own.area, p.neighbour_rank;

-- materialise: stored as a table when the warehouse is published, so queries read a result
-- instead of recomputing it.
-- latest_grades: each authority's most recent grade in each judgement area.
-- columns:
--   la_urn: Ofsted URN of the authority's children's services.
--   local_authority: ONS name of the authority.
--   area: Judgement area.
--   grade: The latest grade in that area.
--   grade_rank: The grade as a number: 1 outstanding ... 4 inadequate.
--   end_date: Last day of the inspection that gave it.
--   inspection_id: That inspection.
--   inspection_type: Its type.
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
-- columns:
--   local_authority: ONS name of the authority.
--   region: The authority's region.
--   area: Judgement area.
--   grade: The authority's latest grade in the area.
--   inspected: End date of the inspection that gave it.
--   neighbour_rank: 1 for the closest statistical neighbour ... 10 for the furthest.
--   neighbour: ONS name of the neighbour (codes retired since the neighbour list was made are
--       mapped to their successors).
--   neighbour_grade: The neighbour's latest grade in the same area (null if it has none in the
--       warehouse).
--   neighbour_inspected: End date of the neighbour's inspection that gave it.
--   comparison: neighbour_better, neighbour_worse or same (null when the neighbour has no grade).
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

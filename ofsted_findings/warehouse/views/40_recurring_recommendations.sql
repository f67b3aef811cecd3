-- materialise: stored as tables when the warehouse is published (pairs grow with the square of an
-- authority's recommendations; a view would recompute them on every query), a few authorities at a
-- time (materialise_scope: see warehouse/views.py).
-- recurring_recommendations: a recommendation made to an authority again at a later inspection.
-- score = Jaccard similarity of the two recommendations' meaning-bearing words
-- (recommendations.keywords: lower-case, stop words removed, plural -s folded); pairs scoring at
-- least 0.25 with two or more shared words are listed, best match per later recommendation first.
-- columns:
--   local_authority: ONS name of the authority.
--   la_urn: Ofsted URN of the authority's children's services.
--   earlier_inspection_id: The inspection that made the earlier recommendation.
--   earlier_inspection_type: Its type (full_inspection, focused_visit, ...).
--   earlier_date: End date of the earlier inspection.
--   earlier_recommendation_id: The earlier recommendation (recommendations.recommendation_id).
--   earlier_text: The earlier recommendation's text.
--   later_inspection_id: The later inspection that made a similar recommendation.
--   later_inspection_type: Its type.
--   later_date: End date of the later inspection.
--   later_recommendation_id: The later recommendation (recommendations.recommendation_id).
--   later_text: The later recommendation's text.
--   shared_words: Meaning-bearing words (recommendations.keywords) both recommendations use,
--       sorted.
--   score: Jaccard similarity of the two recommendations' keywords (3 decimals; at least 0.25).
--   shared_themes: Themes both recommendations are tagged with.
--   match_rank: 1 for the later recommendation's best-matching earlier one, 2 for the next, ...
CREATE VIEW recurring_recommendations AS
WITH r AS (  -- n: a number per recommendation, so that pairs are counted on integers
    SELECT row_number() OVER (ORDER BY r.recommendation_id) AS n,
           r.recommendation_id, r.text, r.keywords, r.themes, i.inspection_id, i.la_urn,
           i.local_authority, i.inspection_type, i.end_date
    FROM recommendations r
    JOIN documents d USING (document_id)
    JOIN inspections i ON i.inspection_id = r.inspection_id
    WHERE d.publisher = 'Ofsted' AND i.dates_known = 'stated' AND len(r.keywords) > 0
      AND i.la_urn IN (SELECT la_urn FROM materialise_scope)  -- a few authorities at a time
),
words AS (
    SELECT n, la_urn, end_date, unnest(keywords) AS word FROM r
),
shared AS (  -- pairs that share a word: a join on words, not a comparison of every pair
    SELECT a.n AS earlier, b.n AS later, count(*) AS shared
    FROM words a
    JOIN words b ON a.la_urn = b.la_urn AND a.word = b.word AND a.end_date < b.end_date
    GROUP BY ALL
    HAVING count(*) >= 2
),
ranked AS (  -- ranked on narrow rows; the texts are joined to the pairs kept
    SELECT *, row_number() OVER (PARTITION BY later ORDER BY score DESC, earlier_date DESC) AS match_rank
    FROM (
        SELECT s.earlier, s.later, a.end_date AS earlier_date,
               round(s.shared / (len(a.keywords) + len(b.keywords) - s.shared)::DOUBLE, 3) AS score
        FROM shared s
        JOIN r a ON a.n = s.earlier
        JOIN r b ON b.n = s.later
    )
    WHERE score >= 0.25
)
SELECT
    b.local_authority, b.la_urn,
    a.inspection_id AS earlier_inspection_id, a.inspection_type AS earlier_inspection_type,
    a.end_date AS earlier_date, a.recommendation_id AS earlier_recommendation_id, a.text AS earlier_text,
    b.inspection_id AS later_inspection_id, b.inspection_type AS later_inspection_type,
    b.end_date AS later_date, b.recommendation_id AS later_recommendation_id, b.text AS later_text,
    list_sort(list_intersect(a.keywords, b.keywords)) AS shared_words,  -- keywords are distinct
    k.score,
    list_intersect(a.themes, b.themes) AS shared_themes,
    k.match_rank
FROM ranked k
JOIN r a ON a.n = k.earlier
JOIN r b ON b.n = k.later;

-- recommendation_themes: the most common themes of recommendations across all authorities.
-- columns:
--   theme: Theme code (themes.code).
--   recommendations: Ofsted recommendations tagged with the theme, across all authorities.
--   authorities: Authorities that received at least one of them.
--   inspections: Inspections that made at least one of them.
--   share_of_recommendations: recommendations / all of Ofsted's recommendations (3 decimals).
CREATE VIEW recommendation_themes AS
SELECT
    theme,
    count(*) AS recommendations,
    count(DISTINCT d.la_urn) AS authorities,
    count(DISTINCT r.inspection_id) AS inspections,
    round(count(*) / (SELECT count(*) FROM recommendations r2 JOIN documents d2 USING (document_id)
                      WHERE d2.publisher = 'Ofsted')::DOUBLE, 3) AS share_of_recommendations
FROM (SELECT *, unnest(themes) AS theme FROM recommendations) r
JOIN documents d USING (document_id)
WHERE d.publisher = 'Ofsted'
GROUP BY theme
ORDER BY recommendations DESC, theme;

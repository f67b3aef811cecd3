-- materialise: stored as tables when the warehouse is published (pairs grow with the square of an
-- authority's recommendations; a view would recompute them on every query).
-- recurring_recommendations: a recommendation made to an authority again at a later inspection.
-- score = Jaccard similarity of the two recommendations' meaning-bearing words
-- (recommendations.keywords: lower-case, stop words removed, plural -s folded); pairs scoring at
-- least 0.25 with two or more shared words are listed, best match per later recommendation first.
CREATE VIEW recurring_recommendations AS
WITH r AS (
    SELECT r.recommendation_id, r.text, r.keywords, r.themes, i.inspection_id, i.la_urn,
           i.local_authority, i.inspection_type, i.end_date
    FROM recommendations r
    JOIN documents d USING (document_id)
    JOIN inspections i ON i.inspection_id = r.inspection_id
    WHERE d.publisher = 'Ofsted' AND i.dates_known = 'stated' AND len(r.keywords) > 0
),
words AS (
    SELECT recommendation_id, la_urn, end_date, unnest(keywords) AS word FROM r
),
shared AS (  -- pairs that share a word: a join on words, not a comparison of every pair
    SELECT a.recommendation_id AS earlier_id, b.recommendation_id AS later_id,
           count(*) AS shared, list(a.word ORDER BY a.word) AS shared_words
    FROM words a
    JOIN words b ON a.la_urn = b.la_urn AND a.word = b.word AND a.end_date < b.end_date
    GROUP BY ALL
    HAVING count(*) >= 2
),
pairs AS (
    SELECT
        b.local_authority, b.la_urn,
        a.inspection_id AS earlier_inspection_id, a.inspection_type AS earlier_inspection_type,
        a.end_date AS earlier_date, a.recommendation_id AS earlier_recommendation_id, a.text AS earlier_text,
        b.inspection_id AS later_inspection_id, b.inspection_type AS later_inspection_type,
        b.end_date AS later_date, b.recommendation_id AS later_recommendation_id, b.text AS later_text,
        s.shared_words,
        round(s.shared / (len(a.keywords) + len(b.keywords) - s.shared)::DOUBLE, 3) AS score,
        list_intersect(a.themes, b.themes) AS shared_themes
    FROM shared s
    JOIN r a ON a.recommendation_id = s.earlier_id
    JOIN r b ON b.recommendation_id = s.later_id
)
SELECT *, row_number() OVER (PARTITION BY later_recommendation_id ORDER BY score DESC, earlier_date DESC) AS match_rank
FROM pairs
WHERE score >= 0.25;

-- recommendation_themes: the most common themes of recommendations across all authorities.
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

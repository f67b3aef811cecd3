-- press_vs_report: each press article's restated grades and recommendations against the report
-- of the inspection it is linked to.
--   agrees: the report states the same grade / a recommendation with score >= 0.5
--   differs: the report grades the area differently / its closest recommendation scores 0.2-0.5
--   not_in_report: the report has no such judgement / no recommendation scoring 0.2
--   no_report: the warehouse holds no Ofsted document for that inspection
-- columns:
--   document_id: The press article (documents.document_id).
--   publisher: The article's publisher.
--   title: The article's title.
--   inspection_id: The inspection the article is linked to.
--   kind: judgement or recommendation: what the article restates.
--   item: The judgement area, or the recommendation's number in the article.
--   press_says: The grade the article gives, or its recommendation's text.
--   report_says: The report's grade for that area, or its closest recommendation's text (null if
--       none).
--   score: For a recommendation: Jaccard similarity of its keywords with the closest report
--       recommendation; null for a judgement.
--   verdict: agrees (same grade; a recommendation scoring at least 0.5), differs (another grade;
--       0.2 to 0.5), not_in_report (no such judgement; no recommendation scoring 0.2) or
--       no_report (no Ofsted document for the inspection in the warehouse).
--   evidence: The article's sentence that states it.
CREATE VIEW press_vs_report AS
WITH press AS (
    SELECT document_id, inspection_id, publisher, title, published_date
    FROM documents WHERE document_type = 'news_article'
),
official AS (
    SELECT DISTINCT inspection_id FROM documents WHERE publisher = 'Ofsted' AND inspection_id IS NOT NULL
),
report_grades AS (
    SELECT j.inspection_id, j.area, any_value(j.grade) AS grade
    FROM judgements j JOIN documents d USING (document_id)
    WHERE d.publisher = 'Ofsted' AND j.judgement_of = 'this_inspection'
    GROUP BY ALL
),
grades AS (
    SELECT p.document_id, p.publisher, p.title, j.inspection_id, 'judgement' AS kind, j.area AS item,
           j.grade AS press_says, rg.grade AS report_says, NULL::DOUBLE AS score,
           CASE WHEN o.inspection_id IS NULL THEN 'no_report'
                WHEN rg.grade IS NULL THEN 'not_in_report'
                WHEN rg.grade = j.grade THEN 'agrees' ELSE 'differs' END AS verdict,
           j.evidence
    FROM press p
    JOIN judgements j USING (document_id)
    LEFT JOIN official o ON o.inspection_id = j.inspection_id
    LEFT JOIN report_grades rg ON rg.inspection_id = j.inspection_id AND rg.area = j.area
),
report_recs AS (
    SELECT r.inspection_id, r.text, r.keywords
    FROM recommendations r JOIN documents d USING (document_id)
    WHERE d.publisher = 'Ofsted'
),
press_recs AS (
    SELECT p.document_id, p.publisher, p.title, p.inspection_id, r.seq, r.text, r.keywords, r.evidence
    FROM press p JOIN recommendations r USING (document_id)
),
scored AS (
    SELECT pr.*, rr.text AS report_text,
           CASE WHEN rr.keywords IS NULL THEN 0
                ELSE len(list_intersect(pr.keywords, rr.keywords))
                     / greatest(len(list_distinct(list_concat(pr.keywords, rr.keywords))), 1)::DOUBLE END AS score
    FROM press_recs pr LEFT JOIN report_recs rr ON rr.inspection_id = pr.inspection_id
),
best AS (
    SELECT *, row_number() OVER (PARTITION BY document_id, seq ORDER BY score DESC, report_text) AS rank
    FROM scored
),
recs AS (
    SELECT b.document_id, b.publisher, b.title, b.inspection_id, 'recommendation' AS kind,
           CAST(b.seq AS VARCHAR) AS item, b.text AS press_says, b.report_text AS report_says,
           round(b.score, 3) AS score,
           CASE WHEN o.inspection_id IS NULL THEN 'no_report'
                WHEN b.score >= 0.5 THEN 'agrees' WHEN b.score >= 0.2 THEN 'differs'
                ELSE 'not_in_report' END AS verdict,
           b.evidence
    FROM best b LEFT JOIN official o ON o.inspection_id = b.inspection_id
    WHERE b.rank = 1
)
SELECT * FROM grades
UNION ALL
SELECT * FROM recs;

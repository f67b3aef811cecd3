-- materialise: stored as a table when the warehouse is published, so queries read a result
-- instead of recomputing it.
-- metrics_by_subject: every metric with its authority, region and year, and a subject_key
-- (lower-case subject without numbers or punctuation) to compare like with like across
-- authorities and years.
-- columns:
--   local_authority: ONS name of the authority (of the inspection, else of the document).
--   region: The authority's region (null when the metric is linked to no inspection).
--   year: Year of the inspection's end date, else of the document's publication.
--   document_type: Type of the document stating the metric (inspection_report, news_article, ...).
--   unit: Unit of the value (percent, count, ...), as in metrics.unit.
--   subject_key: The subject in lower case without numbers or punctuation, to compare like with
--       like ('' when nothing is left).
--   subject: What is counted or measured, as the document words it.
--   value: The stated number.
--   qualifier: approx, at_least, at_most, under, over, range_low, range_high, all_but; null when
--       exact.
--   period: The period the value refers to, when stated.
--   evidence: The sentence stating the metric.
--   document_id: The document (documents.document_id).
--   inspection_id: The inspection the document is linked to.
CREATE VIEW metrics_by_subject AS
SELECT
    coalesce(i.local_authority, d.local_authority) AS local_authority,
    i.region,
    year(coalesce(i.end_date, d.published_date)) AS year,
    d.document_type,
    m.unit,
    trim(regexp_replace(regexp_replace(lower(coalesce(m.subject, '')), '[^a-z ]+', ' ', 'g'), '\s+', ' ', 'g')) AS subject_key,
    m.subject, m.value, m.qualifier, m.period, m.evidence, m.document_id, m.inspection_id
FROM metrics m
JOIN documents d USING (document_id)
LEFT JOIN inspections i ON i.inspection_id = m.inspection_id;

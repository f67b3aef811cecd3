-- materialise: stored as a table when the warehouse is published, so queries read a result
-- instead of recomputing it.
-- metrics_by_subject: every metric with its authority, region and year, and a subject_key
-- (lower-case subject without numbers or punctuation) to compare like with like across
-- authorities and years.
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

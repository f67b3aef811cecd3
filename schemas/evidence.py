"""What every table of extracted rows shares: its evidence span and the checks on it."""

import pandera.pandas as pa

from ofsted_findings.schemas.checks import evidence_length_matches_span, span_is_ordered

# The columns themselves (start, end, page, evidence) are in fields.py.


class EvidenceSpan(pa.DataFrameModel):
    """Checks for tables whose rows quote their evidence: cleaned_text[start:end] == evidence."""

    @pa.dataframe_check
    def span_in_order(cls, df):
        return span_is_ordered(df)

    @pa.dataframe_check
    def evidence_matches_span(cls, df):
        return evidence_length_matches_span(df)

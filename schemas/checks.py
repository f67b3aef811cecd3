"""Checks shared by several tables, named for what they check."""

import pandas as pd


def span_is_ordered(df: pd.DataFrame) -> pd.Series:
    """0 <= start < end: an evidence span that points at some text."""
    return (df["start"] >= 0) & (df["start"] < df["end"])


def evidence_length_matches_span(df: pd.DataFrame) -> pd.Series:
    """The evidence is exactly end - start characters long (cleaned_text[start:end])."""
    return df["evidence"].str.len() == (df["end"] - df["start"])


def start_not_after_end(df: pd.DataFrame, start: str, end: str) -> pd.Series:
    return df[start].isna() | df[end].isna() | (df[start] <= df[end])



def codes_resolve(df: pd.DataFrame, codes: str, known: set[str]) -> pd.Series:
    """Every code in the list column `codes` is one of `known` (the reference list's, not the
    rows left in the frame: quarantining one authority must not fail its neighbours in turn)."""
    return pd.Series(
        [not isinstance(v, list | tuple) or all(c in known for c in v) for v in df[codes].tolist()],
        index=df.index,
        dtype=bool,
    )

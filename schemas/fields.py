"""Columns that several tables share, defined once: a column of the same name has the same type
checks and the same description in every table that has it (the data dictionary, the Parquet
field metadata and the DuckDB comments all read them from here)."""

from typing import Any

import pandera.pandas as pa

from ofsted_findings.reference import one_of
from ofsted_findings.schemas.types import ID16, INSPECTION_FRAMEWORKS, INSPECTION_TYPES, ONS_CODE

DOCUMENT = "The document (documents.document_id)."
INSPECTION = "The inspection the document is linked to."
START = "Start offset of the evidence in the cleaned text (document_texts.cleaned_text)."
END = "End offset (exclusive) of the evidence."
PAGE = "PDF page of the evidence (null for text sources)."
EVIDENCE = "cleaned_text[start:end]"
LA_URN = "Ofsted URN of the authority's children's services."
LA_ONS_CODE = "ONS code of the authority (E06/E08/E09/E10...)."
FRAMEWORK = (
    "Inspection framework (reference/frameworks.csv): SIF (2013-2018), ILACS (2018-March 2026), ILACS_2026"
    " (from April 2026; no overall effectiveness judgement) or LAC_2013 (2013 looked-after children"
    " inspections)."
)
INSPECTION_TYPE = f"Kind of inspection or visit (reference/inspection_types.csv): {one_of(INSPECTION_TYPES)}."


def document_id(*, unique: bool = False) -> Any:
    """A row's document: a key into documents."""
    return pa.Field(unique=unique, str_matches=ID16, description=DOCUMENT)


def inspection_id() -> Any:
    """The inspection of an extracted row's document (null while the document is linked to none)."""
    return pa.Field(nullable=True, str_matches=ID16, description=INSPECTION)


def start() -> Any:
    return pa.Field(ge=0, description=START)


def end() -> Any:
    return pa.Field(ge=0, description=END)


def page() -> Any:
    return pa.Field(nullable=True, ge=1, description=PAGE)


def evidence(what: str | None = None) -> Any:
    """The quoted evidence; `what` says what the span is in this table."""
    return pa.Field(description=f"{EVIDENCE}: {what}" if what else f"{EVIDENCE}.")


def la_urn(*, nullable: bool = True, unique: bool = False) -> Any:
    return pa.Field(nullable=nullable, unique=unique, description=LA_URN)


def la_ons_code(*, nullable: bool = True) -> Any:
    return pa.Field(nullable=nullable, str_matches=ONS_CODE, description=LA_ONS_CODE)


def framework() -> Any:
    return pa.Field(nullable=True, isin=INSPECTION_FRAMEWORKS, description=FRAMEWORK)


def inspection_type() -> Any:
    return pa.Field(nullable=True, isin=INSPECTION_TYPES, description=INSPECTION_TYPE)

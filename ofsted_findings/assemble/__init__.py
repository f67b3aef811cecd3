"""The on-disk table assembler: documents in, validated tables staged on disk out.

The run sequence uses one small interface (assembler.py): `Assembler.add` a processed document,
`Assembler.carry` documents carried unchanged from the published version, `Assembler.finish`.
The modules hold: spool.py, the batches of rows written as documents arrive; records.py, what
linking needs of each document, on disk per authority; rows.py, each table's rows built from its
schema; link.py, documents to inspections; duplicates.py, the one rule for copies; validate.py,
the checks and the quarantine; parts.py and buckets.py, the Parquet parts and the buckets of
document_id that DuckDB sorts one at a time; staging.py, the validated tables publishing reads;
incremental.py, what a run carries from the published version.

Importing it loads no extractor, no PDF library and no Prefect (tested).
"""

from ofsted_findings.assemble.assembler import Assembler, assemble_in_memory
from ofsted_findings.assemble.staging import StagedTables, Tables

__all__ = ["Assembler", "StagedTables", "Tables", "assemble_in_memory"]

"""The spool: each document's large rows validated and written to Parquet parts as documents
arrive, and its record (what linking needs) appended to the record store, so that memory holds
a batch of documents, not the corpus. Documents carried from the published version are copied
into the same parts straight from its Parquet files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ofsted_findings.assemble.parts import connect
from ofsted_findings.assemble.records import RecordStore, record_of
from ofsted_findings.assemble.rows import SPOOLED_TABLES, spooled_rows
from ofsted_findings.assemble.validate import validate_rows
from ofsted_findings.models import DocumentRecord, DocumentResult, Row
from ofsted_findings.schemas import arrow_schema
from ofsted_findings.settings import BATCH_DOCUMENTS, READ_BATCH_ROWS


@dataclass
class Spool:
    folder: Path
    batch_documents: int = BATCH_DOCUMENTS
    quarantine: list[Row] = field(default_factory=list)
    records: RecordStore = field(init=False)
    _buffer: list[DocumentResult] = field(default_factory=list)
    _parts: int = 0

    def __post_init__(self) -> None:
        for table in SPOOLED_TABLES:
            (self.folder / table).mkdir(parents=True, exist_ok=True)
        self.records = RecordStore(self.folder / "records")

    def add(self, result: DocumentResult) -> None:
        self._buffer.append(result)
        if len(self._buffer) >= self.batch_documents:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        rows: dict[str, list[Row]] = {t: [] for t in SPOOLED_TABLES}
        records = []
        for r in self._buffer:
            mine = spooled_rows(r)
            for table, table_rows in mine.items():
                rows[table].extend(table_rows)
            records.append(record_of(r, mine["judgements"]))
        self.records.add(records)
        self._buffer = []
        for table, table_rows in rows.items():
            if table_rows:
                frame = validate_rows(table, table_rows, self.quarantine)
                self._write(table, pa.Table.from_pandas(frame, preserve_index=False))

    def _write(self, table: str, data: pa.Table) -> None:
        if data.num_rows:
            pq.write_table(
                data.cast(arrow_schema(table).remove_metadata()),
                self.folder / table / f"part-{self._parts:06d}.parquet",
            )
            self._parts += 1

    def carry(self, version: Path, records: list[DocumentRecord], quarantine: list[Row]) -> None:
        """Documents carried forward unchanged: their rows are copied from the previous version's
        Parquet files straight into the spool (never through Python objects)."""
        if not records:
            return
        ids = pa.table({"document_id": [r.document_id for r in records]})
        con = connect(self.folder)
        try:
            con.register("carried_ids", ids)
            for table in SPOOLED_TABLES:
                source = version / f"{table}.parquet"
                columns = arrow_schema(table).names
                select = ", ".join(
                    "NULL::VARCHAR AS inspection_id" if c == "inspection_id" else f'"{c}"' for c in columns
                )
                query = (
                    f"SELECT {select} FROM read_parquet(?) "
                    "WHERE document_id IN (SELECT document_id FROM carried_ids)"
                )
                reader = con.sql(query, params=[str(source)]).to_arrow_reader(READ_BATCH_ROWS)
                for batch in reader:
                    self._write(table, pa.Table.from_batches([batch]))
        finally:
            con.close()
        self.records.add(records)
        self.quarantine.extend(quarantine)

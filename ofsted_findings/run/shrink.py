"""An empty or wrong raw folder must not wipe the warehouse: a run that would drop more than
SHRINK_LIMIT of the published documents (their files are not in the raw folder) is refused before
any work, unless allowed. Light to import: `run` checks before Prefect starts."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from ofsted_findings.errors import PipelineError
from ofsted_findings.ingest.discover import relative_source_path
from ofsted_findings.settings import SHRINK_LIMIT
from ofsted_findings.warehouse.layout import current_version


def published_sources(warehouse_dir: Path) -> list[str]:
    """The source paths of the current version's documents (none when nothing is published)."""
    version = current_version(warehouse_dir)
    if version is None:
        return []
    try:
        table = pq.ParquetFile(version / "documents.parquet").read(columns=["source_path"])
    except (OSError, ValueError, KeyError):
        return []  # an older layout or a damaged file: there is nothing to compare with
    return table.column("source_path").to_pylist()


def shrink_refusal(*, raw_dir: Path, paths: list[Path], warehouse_dir: Path) -> str | None:
    """Why publishing a run over these files would be refused: it would drop more than
    SHRINK_LIMIT of the published documents (an empty or wrong raw folder), else None."""
    before = set(published_sources(warehouse_dir))
    now = {relative_source_path(raw_dir, path) for path in paths}
    dropped = len(before - now)
    if not before or dropped <= SHRINK_LIMIT * len(before):
        return None
    files = f"{len(paths)} file" + ("" if len(paths) == 1 else "s")
    return (
        f"{raw_dir}: this run would drop {dropped} of the {len(before)} published documents "
        f"(the folder holds {files}, {len(now & before)} of them published); "
        f"nothing published. Check --raw, or pass --allow-shrink to publish it anyway"
    )


def check_shrink(*, raw_dir: Path, paths: list[Path], warehouse_dir: Path, allow_shrink: bool) -> None:
    """Refuse (before any work) a run that would drop most of the warehouse, unless allowed."""
    if allow_shrink:
        return
    reason = shrink_refusal(raw_dir=raw_dir, paths=paths, warehouse_dir=warehouse_dir)
    if reason:
        raise PipelineError(reason, stage="plan")

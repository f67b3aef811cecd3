"""The assembler is the on-disk table assembler and nothing more: importing it loads no
extractor, no PDF library, no cleaner, no per-document worker and no Prefect (the result and
record types it reads live in models.py)."""

from __future__ import annotations

import json
import subprocess
import sys

# Modules the assembler must not load: the per-document worker and what it reads with.
WORKER_MODULES = (
    "ofsted_findings.run.worker",
    "ofsted_findings.clean",
    "ofsted_findings.clean.structure",
    "ofsted_findings.ingest.pdf",
    "ofsted_findings.ingest.decode",
    "ofsted_findings.extract.document",
    "ofsted_findings.extract.findings",
    "ofsted_findings.extract.finding_model",
    "ofsted_findings.extract.judgements",
    "ofsted_findings.extract.metrics",
    "ofsted_findings.extract.recommendations",
    "pypdfium2",
    "prefect",
)
CHECK = "import json, sys\nimport {module}\nprint(json.dumps(sorted(sys.modules)))"


def _loaded(module: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", CHECK.format(module=module)],
        capture_output=True, text=True, timeout=120, check=True,
    )
    return set(json.loads(done.stdout))


def test_importing_the_assembler_loads_no_extractor_pdf_library_or_prefect():
    loaded = _loaded("ofsted_findings.assemble")
    assert "ofsted_findings.assemble.assembler" in loaded
    assert sorted(m for m in WORKER_MODULES if m in loaded) == []


def test_the_run_records_come_from_models_without_the_worker():
    loaded = _loaded("ofsted_findings.assemble.incremental")
    assert sorted(m for m in WORKER_MODULES if m in loaded) == []

"""Every extracted row of every file in some folders, as JSON lines: run it before and after a
change to an extractor that must not change its output, and diff the two files.

    .venv/bin/python bench/extraction_snapshot.py OUT.jsonl FOLDER [FOLDER ...]

One line per file and table (sorted by file name): the file, the table, the document's status,
stage and error, and every row with all its columns. Runs in this process, one file at a time
(no time limit: a change that makes an extractor slower shows as time, not as a difference).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from ofsted_findings.ingest.discover import discover
from ofsted_findings.run.worker import process_path


def snapshot(folders: list[Path], out: Path) -> int:
    """Write the rows of every file of `folders` to `out`; returns the number of files."""
    count = 0
    with out.open("w", encoding="utf-8") as fh:
        for folder in folders:
            for path in sorted(discover(folder)):
                started = time.process_time()
                result = process_path(folder, path)
                seconds = time.process_time() - started
                head = {"file": f"{folder.name}/{result.source_path}", "status": result.status,
                        "stage": result.stage, "error": result.error}
                for table in sorted(result.rows):
                    line = {**head, "table": table, "rows": result.rows[table]}
                    fh.write(json.dumps(line, default=str, sort_keys=True) + "\n")
                if not result.rows:
                    fh.write(json.dumps({**head, "table": None, "rows": []}, sort_keys=True) + "\n")
                print(f"{seconds:7.2f} s  {folder.name}/{result.source_path}", file=sys.stderr)
                count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("folders", type=Path, nargs="+")
    args = parser.parse_args(argv)
    print(f"files={snapshot(args.folders, args.out)} out={args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

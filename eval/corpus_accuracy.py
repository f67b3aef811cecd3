"""Accuracy of the pipeline on a folder of Ofsted reports against a hand-checked truth CSV.

    .venv/bin/python eval/corpus_accuracy.py CORPUS_DIR [--truth truth.csv] [--workers N]

Runs the pipeline's own functions (no Prefect): `list_raw`, `process_files`, `build_and_validate`,
on every file the truth CSV names, then prints per-field accuracy (dates, lead inspector, report
type, framework, each grade column, whole grade set per report, recommendations found) and EVERY
disagreement, one line each: file, field, truth, ours.

The truth CSV has the layout of the corpus's truth.csv: file, report_type
(sif | ilacs_standard | ilacs_short | other), framework, start_date, end_date, lead_inspector (joint
leads joined by "and", ";", "&" or ",": all of them must be found, in order), then one column per
judgement holding a grade code or `not_judged`.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from ofsted_findings.run.sequence import (  # noqa: E402
    build_and_validate,
    default_workers,
    list_raw,
    process_files,
)

NOT_JUDGED = "not_judged"
# Truth grade column -> (judgement area, family). ILACS columns apply to ILACS reports, sif_
# columns to SIF reports; overall effectiveness to both.
GRADE_COLUMNS: dict[str, tuple[str, str]] = {
    "overall_effectiveness": ("overall_effectiveness", "any"),
    "impact_of_leaders": ("impact_of_leaders", "ilacs"),
    "help_and_protection": ("help_and_protection", "ilacs"),
    "in_care_and_care_leavers": ("children_in_care_and_care_leavers", "ilacs"),
    "in_care": ("children_in_care", "ilacs"),
    "care_leavers": ("care_leavers", "ilacs"),
    "sif_help_and_protection": ("help_and_protection", "sif"),
    "sif_looked_after": ("looked_after_and_permanence", "sif"),
    "sif_adoption": ("adoption_performance", "sif"),
    "sif_care_leavers": ("care_leavers", "sif"),
    "sif_leadership": ("leadership_management_governance", "sif"),
    "sif_lscb": ("safeguarding_board", "sif"),
}
FACT_FIELDS = ("start_date", "end_date", "lead_inspector", "report_type", "framework")


def report_type(doc: dict) -> str:
    """Our fields as truth.csv's report_type."""
    if doc.get("status") not in ("ok", "quarantined") or doc.get("document_type") != "inspection_report":
        return "other"
    framework = doc.get("framework") or ""
    if doc.get("inspection_type") == "short_inspection" and framework.startswith("ILACS"):
        return "ilacs_short"
    if doc.get("inspection_type") == "full_inspection":
        if framework == "SIF":
            return "sif"
        if framework.startswith("ILACS"):
            return "ilacs_standard"
    return "other"


def _family(truth_row: dict) -> str:
    return "sif" if truth_row["report_type"] == "sif" else "ilacs"


def expected_grades(truth_row: dict) -> dict[str, str]:
    """Area -> grade the truth row states for this report (areas not judged left out)."""
    family = _family(truth_row)
    out = {}
    for column, (area, fam) in GRADE_COLUMNS.items():
        value = (truth_row.get(column) or NOT_JUDGED).strip()
        if fam in ("any", family) and value != NOT_JUDGED:
            out[area] = value
    return out


@dataclass
class Score:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.right += int(ok)

    def __str__(self) -> str:
        pct = 100.0 * self.right / self.total if self.total else 100.0
        return f"{pct:6.1f}%  ({self.right}/{self.total})"


@dataclass
class Evaluation:
    scores: dict[str, Score] = field(default_factory=dict)
    disagreements: list[tuple[str, str, str, str]] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)

    def score(self, name: str) -> Score:
        return self.scores.setdefault(name, Score())

    def check(self, file: str, name: str, want: object, got: object) -> None:
        ok = want == got
        self.score(name).add(ok)
        if not ok:
            self.disagreements.append((file, name, _show(want), _show(got)))

    def accuracy(self, name: str) -> float:
        s = self.scores.get(name)
        return 1.0 if not s or not s.total else s.right / s.total


def _show(value: object) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in sorted(value.items())) or "{}"
    return str(value)


def read_truth(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _norm_name(name: object) -> str | None:
    if not isinstance(name, str) or not name.strip():
        return None
    return " ".join(name.split())


def _lead_names(value: object) -> str | None:
    """Lead inspector(s) as one comparable text: joint leads, written in the truth as "A and B",
    "A; B", "A & B" or "A, B" (or stored by us as a list), become "A; B"."""
    if value is None or isinstance(value, float):
        return None
    names = value if not isinstance(value, str) else re.split(r"\s*(?:;|,|&|\band\b)\s*", value)
    names = [n for n in (_norm_name(n) for n in names) if n]
    return "; ".join(names) or None


def _date(value: object) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value)
    return text[:10] if text and text not in ("NaT", "None") else None


def run_pipeline(corpus: Path, files: list[str], workers: int):
    wanted = set(files)
    paths = [p for p in list_raw(corpus) if p.relative_to(corpus.resolve()).as_posix() in wanted]
    results = process_files(corpus, paths, workers=workers)
    return build_and_validate(results)


def evaluate(corpus: Path, truth: list[dict], workers: int = 1) -> Evaluation:
    corpus = corpus.resolve()
    validated = run_pipeline(corpus, [r["file"] for r in truth], workers)
    frames = validated.frames
    docs = {r["source_path"]: r for r in frames["documents"].to_dict("records")}
    inspections = {r["inspection_id"]: r for r in frames["inspections"].to_dict("records")}
    judgements: dict[str, dict[str, str]] = {}
    for r in frames["judgements"].to_dict("records"):
        if r["judgement_of"] == "this_inspection":
            judgements.setdefault(r["document_id"], {})[r["area"]] = r["grade"]
    recommendations: dict[str, int] = {}
    for r in frames["recommendations"].to_dict("records"):
        recommendations[r["document_id"]] = recommendations.get(r["document_id"], 0) + 1

    ev = Evaluation()
    for t in truth:
        file = t["file"]
        doc = docs.get(file)
        if doc is None:
            ev.missing_files.append(file)
            continue
        insp = inspections.get(doc.get("inspection_id")) or {}
        inspectors = doc.get("inspectors")
        first_named = inspectors[0] if inspectors is not None and len(inspectors) else None
        leads = insp.get("lead_inspectors")
        joint = list(leads) if leads is not None and len(leads) else None
        lead = joint or insp.get("lead_inspector") or first_named
        framework = (t.get("framework") or "").strip()
        ev.check(file, "start_date", t["start_date"] or None, _date(doc.get("inspection_start_date")))
        ev.check(file, "end_date", t["end_date"] or None, _date(doc.get("inspection_end_date")))
        ev.check(file, "lead_inspector", _lead_names(t["lead_inspector"]), _lead_names(lead))
        ev.check(file, "report_type", t["report_type"], report_type(doc))
        ev.check(file, "framework", None if framework in ("", "none") else framework, doc.get("framework"))

        got = judgements.get(doc["document_id"], {})
        family = _family(t)
        for column, (area, fam) in GRADE_COLUMNS.items():
            want = (t.get(column) or NOT_JUDGED).strip()
            if fam not in ("any", family):
                continue  # the other era's column: covered by the whole-set check below
            ev.check(file, f"grade:{column}", want, got.get(area, NOT_JUDGED))
        ev.check(file, "grades (whole set)", expected_grades(t), got)
        if t["report_type"] != "other":
            n = recommendations.get(doc["document_id"], 0)
            ev.score("recommendations found").add(n > 0)
            if n == 0:
                ev.disagreements.append((file, "recommendations found", ">0", "0"))
    return ev


def print_report(ev: Evaluation, out=None) -> None:
    out = out or sys.stdout
    print("field                                accuracy", file=out)
    order = [*FACT_FIELDS, *(f"grade:{c}" for c in GRADE_COLUMNS), "grades (whole set)",
             "recommendations found"]
    for name in order:
        if name in ev.scores:
            print(f"{name:<36} {ev.scores[name]}", file=out)
    for f in ev.missing_files:
        print(f"MISSING {f}: not found in the corpus folder", file=out)
    print(f"\n{len(ev.disagreements)} disagreement(s)", file=out)
    for file, name, want, got in ev.disagreements:
        print(f"  {file}  {name}: truth {want!r}  ours {got!r}", file=out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path, help="folder of reports (the files truth.csv names)")
    ap.add_argument("--truth", type=Path, default=None, help="truth CSV (default CORPUS/truth.csv)")
    ap.add_argument("--workers", type=int, default=default_workers())
    args = ap.parse_args(argv)
    truth_path = args.truth or args.corpus / "truth.csv"
    ev = evaluate(args.corpus, read_truth(truth_path), workers=args.workers)
    print_report(ev)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

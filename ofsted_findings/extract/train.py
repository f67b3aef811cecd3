"""Train the findings models (polarity, themes) from gold made by reading; one command:

    .venv/bin/python -m ofsted_findings.extract.train [--gold tests/fixtures/gold/dev]
        [--seeds tests/fixtures/gold/seeds] [--out ofsted_findings/extract/models/findings.json.gz]

Trains only on the development authorities (the gold's split.json holds the others apart), picks
the regularisation and the theme threshold by cross-validation grouped by authority (a report's
sentences never sit on both sides), prints those figures beside the rules', and writes the weights
as JSON. Deterministic: the same gold gives the same file, byte for byte. Needs scikit-learn
(the `train` extra); the pipeline itself does not.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from ofsted_findings.evaluation.gold import authority_of, read_jsonl
from ofsted_findings.extract import models_bytes
from ofsted_findings.extract import polarity as rules
from ofsted_findings.extract.finding_model import (
    MODEL_FILE,
    ParagraphContexts,
    candidate_features,
    judgement_grade,
    polarity_features,
    theme_candidates,
    words_of,
)
from ofsted_findings.extract.themes import MAX_THEMES, assign_themes

REPO = Path(__file__).resolve().parents[2]
POLARITY_C = (0.1, 0.3, 1.0, 3.0)
THEME_C = (0.3, 1.0, 3.0)
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5)
FOLDS = 5
DIGITS = 5  # weights rounded: a smaller file, the same predictions


def report_grades(*folders: Path | None) -> dict[str, dict[str, str]]:
    """file -> judgement area -> grade of the inspection the file reports, from the gold folders'
    judgements.jsonl (the dev gold's from the corpus's hand-checked truth.csv, the seeds' gold).
    Where a folder says what each file is (documents.jsonl), only inspection reports' grades are
    their own: an article or letter restates an earlier inspection's, which the pipeline leaves
    out at run time (judgements.own_grades)."""
    grades: dict[str, dict[str, str]] = {}
    for folder in (f for f in folders if f is not None):
        kinds = {d["file"]: d["document_type"] for d in read_jsonl(folder / "documents.jsonl")}
        for r in read_jsonl(folder / "judgements.jsonl"):
            if kinds.get(r["file"], "inspection_report") == "inspection_report":
                grades.setdefault(r["file"], {}).setdefault(r["judgement_area"], r["grade"])
    return grades


def training_sentences(gold: Path, seeds: Path | None) -> list[dict]:
    """Dev-authority sentences of the reading gold (and the seeds' sample), each with its group
    (authority), section, the rules' paragraph-aware themes and its paragraph's contexts (themes;
    the rules' polarity of its neighbours and the grade of its section's judgement)."""
    held = set(json.loads((gold / "split.json").read_text(encoding="utf-8"))["held_apart"])
    rows = [dict(r, group=authority_of(r["file"])) for r in read_jsonl(gold / "findings.jsonl")]
    rows = [r for r in rows if r["group"] not in held]
    if seeds is not None:
        rows += [dict(r, group="seeds") for r in read_jsonl(seeds / "findings_sample.jsonl")]
    grades = report_grades(gold, seeds)
    paragraphs: dict[tuple, list[dict]] = {}
    for r in rows:
        paragraphs.setdefault((r["file"], r.get("section"), r.get("paragraph")), []).append(r)
    for (file, section, _), members in paragraphs.items():
        sentences = [m["sentence"] for m in members]
        themes = assign_themes(sentences, section or "")
        contexts = ParagraphContexts.of(sentences, section, judgement_grade(grades.get(file, {}), section))
        for m, codes, context, polarity_context in zip(
            members, themes, contexts.themes, contexts.polarity, strict=True
        ):
            m["rule_themes"] = codes
            m["theme_context"] = context
            m["polarity_context"] = polarity_context
    return rows


# The values the rules' reading and the context may enter the polarity model at (its words at
# 1), chosen by the grouped cross-validation with the regularisation: at 2, the same
# regularisation lets the model lean on the rules more. The weights written are per unit, so at
# run time every feature counts 1.
RULE_FEATURE_VALUES = (1.0, 2.0)


def _vectorise(feature_lists: Sequence[list[str]], value=lambda feature: 1):
    from sklearn.feature_extraction import DictVectorizer

    vec = DictVectorizer(sort=True)
    x = vec.fit_transform([{f: value(f) for f in features} for features in feature_lists])
    return vec, x


def _rule_value(rules_at: float):
    """A polarity feature's value: a word's 1; every other feature's (the rules' reading and the
    sentence's PolarityContext: neighbours, grade) `rules_at`."""
    return lambda feature: 1 if feature.startswith("w:") else rules_at


def _groups_folds(groups: Sequence[str]):
    from sklearn.model_selection import GroupKFold

    return GroupKFold(n_splits=min(FOLDS, len(set(groups))))


def train_polarity(rows: list[dict]) -> tuple[dict, dict]:
    from sklearn.linear_model import LogisticRegression

    feats = [polarity_features(r["sentence"], r["polarity_context"]) for r in rows]
    labels = [r["polarity"] for r in rows]
    groups = [r["group"] for r in rows]
    right = sum(rules.classify_polarity(r["sentence"]) == r["polarity"] for r in rows)
    report: dict = {"rules_cv": right / len(rows)}
    best, best_at = (-1.0, 0.0, 0.0), None
    for rules_at in RULE_FEATURE_VALUES:
        vec, x = _vectorise(feats, _rule_value(rules_at))
        folds = list(_groups_folds(groups).split(x, labels, groups))
        for c in POLARITY_C:
            right = 0
            for train, test in folds:
                model = LogisticRegression(C=c, max_iter=5000).fit(x[train], [labels[i] for i in train])
                right += sum(p == labels[i] for p, i in zip(model.predict(x[test]), test, strict=True))
            report[f"model_cv_rules_at={rules_at}_C={c}"] = right / len(rows)
            if right / len(rows) > best[0]:
                best, best_at = (right / len(rows), rules_at, c), (vec, x)
    _, rules_at, c = best
    vec, x = best_at
    model = LogisticRegression(C=c, max_iter=5000).fit(x, labels)
    report.update(C=c, rules_at=rules_at)
    return _weights(model, vec, value=_rule_value(rules_at)), report


def _theme_f1(pred: list[set[str]], gold: list[set[str]]) -> float:
    tp = sum(len(p & g) for p, g in zip(pred, gold, strict=True))
    fp = sum(len(p - g) for p, g in zip(pred, gold, strict=True))
    fn = sum(len(g - p) for p, g in zip(pred, gold, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def train_themes(rows: list[dict]) -> tuple[dict, float, dict]:
    """One classifier over (sentence, candidate theme) pairs: keep the theme or not. A sentence's
    candidates include the themes the rest of its paragraph names, and every candidate is seen
    through its paragraph's context (ThemeContext)."""
    from sklearn.linear_model import LogisticRegression

    pairs, labels, owners = [], [], []
    for i, r in enumerate(rows):
        words = words_of(r["sentence"])
        context = r["theme_context"]
        for candidate in theme_candidates(r["sentence"], r["rule_themes"], context):
            pairs.append(candidate_features(candidate, words, context))
            labels.append(candidate.code in r["themes"])
            owners.append((i, candidate.code))
    groups = [rows[i]["group"] for i, _ in owners]
    gold = [set(r["themes"]) for r in rows]
    vec, x = _vectorise(pairs)
    folds = list(_groups_folds(groups).split(x, labels, groups))
    report = {"rules_cv_f1": _theme_f1([set(r["rule_themes"]) for r in rows], gold)}
    best = (-1.0, 0.0, 0.0)
    for c in THEME_C:
        probs = [0.0] * len(pairs)
        for train, test in folds:
            model = LogisticRegression(C=c, max_iter=5000).fit(x[train], [labels[i] for i in train])
            for i, p in zip(test, model.predict_proba(x[test])[:, 1], strict=True):
                probs[i] = float(p)
        for threshold in THRESHOLDS:
            pred = _kept(owners, probs, threshold, len(rows))
            f1 = _theme_f1(pred, gold)
            report[f"model_cv_f1_C={c}_t={threshold}"] = round(f1, 4)
            if f1 > best[0]:
                best = (f1, c, threshold)
    _, c, threshold = best
    model = LogisticRegression(C=c, max_iter=5000).fit(x, labels)
    report.update(C=c, threshold=threshold, pairs=len(pairs))
    return _weights(model, vec, binary=True), threshold, report


def _kept(owners: list[tuple[int, str]], probs: list[float], threshold: float, n: int) -> list[set[str]]:
    ranked: list[list[tuple[float, str]]] = [[] for _ in range(n)]
    for (i, code), p in zip(owners, probs, strict=True):
        if p >= threshold:
            ranked[i].append((-p, code))
    return [{code for _, code in sorted(r)[:MAX_THEMES]} for r in ranked]


def _weights(model, vec, binary: bool = False, value=lambda feature: 1) -> dict:
    """The model's weights as JSON, per unit of each feature (a feature trained at `value` v
    weighs v times its coefficient), features whose weights all round to 0 left out."""
    coef = model.coef_
    weights = {}
    for j, name in enumerate(vec.get_feature_names_out()):
        column = [round(float(w) * value(str(name)), DIGITS) for w in coef[:, j]]
        if any(abs(w) >= 10**-DIGITS for w in column):
            weights[str(name)] = column
    classes = ["yes"] if binary else [str(c) for c in model.classes_]
    return {
        "classes": classes,
        "intercepts": [round(float(b), DIGITS) for b in model.intercept_],
        "weights": dict(sorted(weights.items())),
    }


def train(gold: Path, seeds: Path | None) -> tuple[dict, dict]:
    rows = training_sentences(gold, seeds)
    polarity, polarity_report = train_polarity(rows)
    themes, threshold, theme_report = train_themes(rows)
    data = {
        "trained_on": {"sentences": len(rows), "authorities": len({r["group"] for r in rows})},
        "chosen": {  # by the grouped cross-validation (eval/learning_curve.py re-fits polarity with them)
            "polarity_C": polarity_report["C"],
            "polarity_rules_at": polarity_report["rules_at"],
        },
        "polarity": polarity,
        "themes": themes,
        "theme_threshold": threshold,
        "max_themes": MAX_THEMES,
    }
    return data, {"polarity": polarity_report, "themes": theme_report}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=REPO / "tests" / "fixtures" / "gold" / "dev")
    parser.add_argument("--seeds", type=Path, default=REPO / "tests" / "fixtures" / "gold" / "seeds")
    parser.add_argument("--no-seeds", action="store_true", help="train on the reading gold alone")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "models" / MODEL_FILE)
    args = parser.parse_args(argv)
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("error: training needs scikit-learn: pip install -e '.[train]'", file=sys.stderr)
        return 1
    data, report = train(args.gold, None if args.no_seeds else args.seeds)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(models_bytes(data))
    print(json.dumps({"trained_on": data["trained_on"], **report}, indent=1))
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

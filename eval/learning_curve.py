"""How much more gold would buy: the polarity model's grouped cross-validation accuracy when each
fold trains on a share of its development authorities.

    .venv/bin/python eval/learning_curve.py [--gold tests/fixtures/gold/dev] [--shares 0.25,0.5,0.75,1]

The folds are the trainer's (train.py: 5 folds grouped by authority over the development
authorities and the seeds' sample, which counts as one more group); each share keeps that
fraction of a fold's training groups, drawn three times (seeds 0-2) and averaged, with the
regularisation and the rules' feature value the trainer chose for the shipped model (the
"chosen" entry of its file). A curve still rising says more gold of the same kind
would help; its slope says by how much. Needs scikit-learn (the `train` extra).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from ofsted_findings.extract import read_models, shipped_model_file  # noqa: E402
from ofsted_findings.extract.finding_model import polarity_features  # noqa: E402
from ofsted_findings.extract.train import (  # noqa: E402
    _groups_folds,
    _rule_value,
    _vectorise,
    training_sentences,
)

DRAWS = 3


def curve(gold: Path, seeds: Path, shares: list[float]) -> list[tuple[float, float, list[float]]]:
    from sklearn.linear_model import LogisticRegression

    chosen = read_models(shipped_model_file())["chosen"]
    c, rules_at = chosen["polarity_C"], chosen["polarity_rules_at"]
    rows = training_sentences(gold, seeds)
    labels = [r["polarity"] for r in rows]
    groups = [r["group"] for r in rows]
    features = [polarity_features(r["sentence"], r["polarity_context"]) for r in rows]
    _, x = _vectorise(features, _rule_value(rules_at))
    folds = list(_groups_folds(groups).split(x, labels, groups))
    out = []
    for share in shares:
        accuracies = []
        for draw in range(DRAWS if share < 1 else 1):
            rng, right = random.Random(draw), 0
            for train, test in folds:
                authorities = sorted({groups[i] for i in train})
                rng.shuffle(authorities)
                kept = set(authorities[: max(1, round(len(authorities) * share))])
                fit = [i for i in train if groups[i] in kept]
                model = LogisticRegression(C=c, max_iter=5000).fit(x[fit], [labels[i] for i in fit])
                right += sum(p == labels[i] for p, i in zip(model.predict(x[test]), test, strict=True))
            accuracies.append(right / len(rows))
        out.append((share, sum(accuracies) / len(accuracies), accuracies))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=REPO / "tests" / "fixtures" / "gold" / "dev")
    parser.add_argument("--seeds", type=Path, default=REPO / "tests" / "fixtures" / "gold" / "seeds")
    parser.add_argument("--shares", default="0.25,0.5,0.75,1")
    args = parser.parse_args(argv)
    shares = [float(s) for s in args.shares.split(",")]
    print("share_of_training_authorities  polarity_grouped_cv  draws")
    for share, mean, draws in curve(args.gold, args.seeds, shares):
        print(f"{share:>29.2f}  {mean:>19.4f}  {' '.join(f'{a:.4f}' for a in draws)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

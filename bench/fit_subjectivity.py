"""What a fit on the CheckThat! subjectivity *train* split would score -- a bench-only research tool.

    python bench/fit_subjectivity.py [--set DIR] [--dev] [--drop a,b,...] [--tune no|yes|either]

The shipped weights in data/subjectivity.toml are NOT made here: they are set by hand from an a-priori
principle written in that file, because CheckThat is CC BY-NC-SA 4.0 and the project's rule is to
measure on it and never ship a model trained on it (a logistic regression's weights are the model).
Nothing this script prints may be pasted into the data file.

It extracts ``storyprism.analyze.claims.sentence_features`` for every train item, fits an L2 logistic
regression (scikit-learn, a bench-only dependency), and picks the regularisation, the class weighting and
the rows to fit on by repeated stratified 5-fold cross-validation on train, scoring the whole classifier
(the quote / fragment / call-to-action rules, then the score) by macro-F1 as bench/subjectivity.py does.
It then refits on all of train and prints the fitted weights, with the decision threshold folded into the
bias, so that one can see how far the hand-set weights are from what these features could reach when
fitted on in-domain data: an upper reference for the features, not a candidate for shipping.

Train is 36% SUBJ and dev 52%: a threshold tuned to train's best macro-F1 (``--tune yes``) wins train CV
but loses on dev, so the default keeps the class-balanced fit's own threshold. Earlier experiments:
adding log length, quotation marks, wh-opening, could/would, past participles and they/them to the
features did not raise dev; TextBlob and VADER sentence scores added nothing in CV (the data file already
holds both lexicons word by word).

``--dev`` also scores the fitted weights, and the shipped ones, on dev (report only: dev chooses nothing).
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RepeatedStratifiedKFold

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from subjectivity import DEFAULT_SET, SUBJECTIVE_KINDS, load_scorer, unquote  # noqa: E402

# Kinds a rule decides whatever the score says (bench/subjectivity.py maps them to SUBJ / OBJ).
RULE_KINDS = frozenset({"quote", "call_to_action"})
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
# Fitted weights are printed rounded: enough digits to keep the fit, few enough to read.
DIGITS = 2


@dataclass
class Split:
    names: list[str]
    x: np.ndarray
    y: np.ndarray
    """1 = SUBJ"""
    fixed: np.ndarray
    """-1 where the score decides, else the label a rule forces (1 = SUBJ, 0 = OBJ)."""


def featurize(split: str, set_dir: Path, names: list[str] | None = None) -> Split:
    from storyprism.analyze.claims import classify_sentence, sentence_features
    from storyprism.nlp import load_nlp

    gold = load_scorer(set_dir).load_gold(split)
    nlp = load_nlp()
    rows: list[dict[str, float]] = []
    fixed: list[int] = []
    for doc in nlp.pipe((unquote(g["sentence"]) for g in gold), batch_size=64):
        sent = doc[:]
        rows.append(sentence_features(sent).values)
        result = classify_sentence(sent)
        if result.kind in RULE_KINDS or "fragment" in result.signals:
            fixed.append(int(result.kind in SUBJECTIVE_KINDS))
        else:
            fixed.append(-1)
    if names is None:
        names = sorted({name for row in rows for name in row})
    x = np.array([[row.get(name, 0.0) for name in names] for row in rows])
    y = np.array([int(g["label"] == "SUBJ") for g in gold])
    return Split(names, x, y, np.array(fixed))


def macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    f1s = []
    for positive in (0, 1):
        tp = int(np.sum((pred == positive) & (y == positive)))
        fp = int(np.sum((pred == positive) & (y != positive)))
        fn = int(np.sum((pred != positive) & (y == positive)))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / 2


def predict(data: Split, rows: np.ndarray, weights: np.ndarray, bias: float) -> np.ndarray:
    scored = (data.x[rows] @ weights + bias >= 0).astype(int)
    fixed = data.fixed[rows]
    return np.where(fixed >= 0, fixed, scored)


@dataclass(frozen=True)
class Variant:
    c: float
    balanced: bool
    free_only: bool
    """fit only on the rows the score decides (the rules take the rest)"""
    tune_threshold: bool
    """move the bias to the best macro-F1 on the fitting rows"""
    scale: bool = False
    """fit on features divided by their spread, so the L2 penalty treats shares and counts alike"""


def fit(data: Split, rows: np.ndarray, v: Variant) -> tuple[np.ndarray, float]:
    if v.free_only:
        rows = rows[data.fixed[rows] < 0]
    model = LogisticRegression(C=v.c, class_weight="balanced" if v.balanced else None, max_iter=5000)
    spread = data.x[rows].std(axis=0) if v.scale else np.ones(data.x.shape[1])
    spread[spread == 0] = 1.0
    model.fit(data.x[rows] / spread, data.y[rows])
    weights, bias = np.round(model.coef_[0] / spread, DIGITS), float(model.intercept_[0])
    if v.tune_threshold:
        margins = data.x[rows] @ weights
        candidates = np.unique(np.round(-margins, 2))
        bias = max(candidates, key=lambda b: macro_f1(data.y[rows], predict(data, rows, weights, b)))
    return weights, round(bias, DIGITS)


def cross_validate(data: Split, v: Variant, repeats: int = 3) -> float:
    folds = RepeatedStratifiedKFold(n_splits=5, n_repeats=repeats, random_state=0)
    scores = []
    for train_rows, test_rows in folds.split(data.x, data.y):
        weights, bias = fit(data, train_rows, v)
        scores.append(macro_f1(data.y[test_rows], predict(data, test_rows, weights, bias)))
    return float(np.mean(scores))


def shipped_weights(names: list[str]) -> tuple[np.ndarray, float]:
    from storyprism.analyze.claims import subjectivity_table

    w = subjectivity_table().weights
    return np.array([w.get(n, 0.0) for n in names]), w.get("bias", 0.0) - _logit(subjectivity_table().threshold)


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", type=Path, default=DEFAULT_SET)
    ap.add_argument("--dev", action="store_true", help="also score the train-fitted weights on dev (report only)")
    ap.add_argument("--drop", default="", help="comma-separated features to leave out")
    ap.add_argument(
        "--tune",
        choices=["no", "yes", "either"],
        default="no",
        help="move the threshold to train's best macro-F1 (no: keep the balanced fit's own 0.5, prior-neutral)",
    )
    args = ap.parse_args()
    train = featurize("train", args.set)
    drop = {d for d in args.drop.split(",") if d}
    keep = [i for i, n in enumerate(train.names) if n not in drop]
    train = Split([train.names[i] for i in keep], train.x[:, keep], train.y, train.fixed)
    print(f"train: {len(train.y)} items, {int(train.y.sum())} SUBJ, {int((train.fixed >= 0).sum())} decided by rules")
    print(f"features ({len(train.names)}): {', '.join(train.names)}")

    weights, bias = shipped_weights(train.names)
    every = np.arange(len(train.y))
    shipped = macro_f1(train.y, predict(train, every, weights, bias))
    print(f"shipped (hand-set, not fitted) weights on train: {shipped:.4f}")

    variants = [
        Variant(c, balanced, free_only, tune, scale)
        for c in C_GRID
        for balanced in (False, True)
        for free_only in (False, True)
        for tune in {"no": (False,), "yes": (True,), "either": (False, True)}[args.tune]
        for scale in (False, True)
    ]
    results = []
    for v in variants:
        cv = cross_validate(train, v)
        results.append((cv, v))
    results.sort(key=lambda r: -r[0])
    for cv, v in results[:8]:
        print(f"  CV {cv:.4f}  {v}")
    best_cv, best = results[0]
    weights, bias = fit(train, every, best)
    print(f"\nbest by train CV: {best} -> CV macro-F1 {best_cv:.4f}")
    print("\nweights of the train fit (research only: never written into data/subjectivity.toml)")
    print(f"  {'bias':<22} {bias:+.2f}")
    for name, w in sorted(zip(train.names, weights, strict=True), key=lambda p: -p[1]):
        print(f"  {name:<22} {float(w):+.2f}")
    if args.dev:
        dev = featurize("dev", args.set, train.names)
        shipped_w, shipped_b = shipped_weights(train.names)
        rows = np.arange(len(dev.y))
        print(
            f"\ndev macro-F1: train fit {macro_f1(dev.y, predict(dev, rows, weights, bias)):.4f}"
            f", shipped (hand-set) {macro_f1(dev.y, predict(dev, rows, shipped_w, shipped_b)):.4f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

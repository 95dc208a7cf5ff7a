"""The analyze stage's figures in one run: PolNeAR attributions, CheckThat sentence kinds, speed and memory.

    python bench/analysis.py [--cache DIR] [--limit N]

Runs the three scripts that also work alone -- bench/analyze.py (articles/second for the whole stage on
the fundus bodies, peak memory), bench/attribution.py (PolNeAR dev: P/R/F1 per role, exact and overlap)
and bench/subjectivity.py (CheckThat dev macro-F1) -- and prints one summary. The speed run comes first
so that the peak memory it reports is the stage's own, before the benchmark sets are loaded.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import analyze as speed_bench  # noqa: E402
import attribution as attribution_bench  # noqa: E402
import subjectivity as subjectivity_bench  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, help="folder for PolNeAR's parsed docs (see bench/attribution.py)")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N fundus pages and PolNeAR docs")
    args = ap.parse_args()
    missing = [
        str(path)
        for path in (speed_bench.DEFAULT_SET, attribution_bench.DEFAULT_SET, subjectivity_bench.DEFAULT_SET)
        if not path.is_dir()
    ]
    if missing:
        print(f"bench/analysis.py: benchmark sets not found: {', '.join(missing)}", file=sys.stderr)
        return 1

    speed = speed_bench.run(limit=args.limit)
    attribution = attribution_bench.run("dev", cache=args.cache, limit=args.limit)
    subjectivity = subjectivity_bench.run("dev")

    print(f"Analyze stage: {speed['articles']} fundus articles, {speed['words']} words")
    shares = ", ".join(f"{name} {s / speed['seconds']:.0%}" for name, s in speed["parts"].items())
    print(f"  speed   {speed['docs_s']:.1f} articles/s, one process ({shares})")
    print(f"  memory  peak RSS {speed['peak_mb']:.0f} MB")
    print()
    print(
        f"Attributions, PolNeAR {attribution['split']}: {attribution['docs']} docs, {attribution['gold']} gold, "
        f"{attribution['predicted']} predicted"
    )
    attribution_bench.print_table(attribution["scores"])
    print()
    scores = subjectivity["scores"]
    print(f"Sentence kinds, CheckThat subjectivity {subjectivity['split']}: {len(subjectivity['gold'])} sentences")
    print(
        f"  macro-F1 {scores['macro_f1']:.4f} (SUBJ F1 {scores['SUBJ']['f1']:.3f}, OBJ F1 {scores['OBJ']['f1']:.3f}; "
        "best published 0.7442 on the CLEF-2024 test set)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

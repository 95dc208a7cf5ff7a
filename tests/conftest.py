from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
EXAMPLES = REPO / "examples"
GOLDEN = REPO / "tests" / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=os.environ.get("STORYPRISM_UPDATE_GOLDEN") == "1",
        help="rewrite tests/golden/*.json from the current output instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def seed(name_prefix: str) -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    matches = sorted(SEEDS.glob(f"{name_prefix}*"))
    if not matches:
        pytest.skip(f"no seed {name_prefix}* in {SEEDS}")
    return matches[0]

"""Real files from outside the project (published samples, other projects' test files): used by tests, never committed.

Data fetched from public repositories stays out of this repository's commits. A developer keeps such files in
``tests/data/external/`` (git-ignored); the team's shared folder can hold them in ``shared/corpus/external/`` beside the
checkout. ``tests/data/EXTERNAL.md`` lists each file with its source and licence. A test that needs one is skipped,
naming the file, on a machine that has neither.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLACES = (ROOT / "tests" / "data" / "external", ROOT.parent / "shared" / "corpus" / "external")


def external_file(relative: str) -> Path:
    """The path of a published sample (``exports/lexisnexistools-sample.TXT``), or skip the test saying it is absent."""
    for place in PLACES:
        candidate = place / relative
        if candidate.exists():
            return candidate
    pytest.skip(f"{relative}: a published sample kept out of git, not on this machine (tests/data/EXTERNAL.md says where it comes from)")

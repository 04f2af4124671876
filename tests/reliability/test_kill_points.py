"""Crash at any moment: SIGKILL a process doing import, tag, note, annotate, edit, undo, trash, export, reindex.

The harness is ``harness_driver.py`` (its docstring says how a kill point is made and checked). The
quick run is part of ``make test``; the long one (``make stress``) survives over a thousand kill points
and writes its figures to ``kill-points.json`` in its temporary folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability import harness_driver
from tests.reliability.harness_driver import Step, drive, make_plan, verify, write_batches

DRIVER = Path(harness_driver.__file__)
REPO = DRIVER.parents[2]


def run_campaigns(work: Path, seeds: list[int], kills: int, batches: int) -> list[dict[str, object]]:
    """Run one campaign per seed, side by side, each a child process of its own; return their summaries."""
    processes = []
    for seed in seeds:
        folder = work / f"seed-{seed}"
        folder.mkdir()
        command = [sys.executable, str(DRIVER), "campaign", "--work", str(folder), "--seed", str(seed), "--kills", str(kills)]
        command += ["--batches", str(batches)]
        processes.append(subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    summaries = []
    for process in processes:
        out, err = process.communicate(timeout=1800)
        assert out.strip(), f"the campaign printed nothing; stderr: {err[-3000:]}"
        summary = json.loads(out.strip().splitlines()[-1])
        summary["stderr"] = err[-2000:]
        summaries.append(summary)
    return summaries


def record(work: Path, summaries: list[dict[str, object]]) -> int:
    survived = sum(int(str(summary["kill_points_survived"])) for summary in summaries)
    figures = {"kill_points_survived": survived, "campaigns": summaries}
    (work / "kill-points.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    print(f"\nkill points survived: {survived} ({work / 'kill-points.json'})")
    for summary in summaries:
        print({key: value for key, value in summary.items() if key != "stderr"})
    return survived


def test_the_plan_covers_every_kind_of_action() -> None:
    kinds = {step.kind for step in make_plan(6)}
    assert kinds == {"import", "tag", "note", "annotate", "edit_text", "tag_undo", "trash", "export_csv", "export_json", "reindex"}


def test_the_verifier_catches_a_step_reported_done_that_is_not_there(tmp_path: Path) -> None:
    """The harness can fail: a journal that claims one step more than was done is caught."""
    stories, archive, journal, exports = tmp_path / "stories", tmp_path / "archive", tmp_path / "journal.txt", tmp_path / "exports"
    exports.mkdir()
    write_batches(stories, 2)
    plan = make_plan(2)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # run the first five steps in a child, as the harness does
        try:
            drive(archive, stories, journal, exports, 2, write_end, until=5)
        finally:
            os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    os.close(read_end)
    assert journal.read_text(encoding="utf-8").split() == [w for n in range(5) for w in ("done", str(n))]
    assert verify(archive, stories, journal, exports, 2) == []
    nxt: Step = plan[5]
    assert nxt.kind == "tag_undo"
    with journal.open("a", encoding="utf-8") as handle:  # claim the next two steps (tag_undo, trash) were done
        handle.write("done 5\ndone 6\n")
    problems = verify(archive, stories, journal, exports, 2)
    assert problems == ["step 6 (trash, done): its change is missing"]


def test_a_few_dozen_kill_points_leave_every_committed_action_and_nothing_half_done(tmp_path: Path) -> None:
    summaries = run_campaigns(tmp_path, [1], kills=30, batches=5)
    survived = record(tmp_path, summaries)
    assert summaries[0]["problems"] == [], summaries[0]
    assert survived == 30
    assert int(str(summaries[0]["archives_finished"])) >= 1, "no archive got through the whole plan"


@pytest.mark.stress
def test_over_a_thousand_kill_points_leave_every_committed_action_and_nothing_half_done(tmp_path: Path) -> None:
    kills = int(os.environ.get("STRESS_KILLS", "520"))
    summaries = run_campaigns(tmp_path, [100, 101], kills=kills, batches=6)
    survived = record(tmp_path, summaries)
    assert [summary["problems"] for summary in summaries] == [[], []], summaries
    assert survived == 2 * kills
    landed: set[str] = set()
    for summary in summaries:
        landed |= set(dict(summary["landed_in"]))  # type: ignore[call-overload]
    assert {"open", "import", "tag", "note", "annotate", "edit_text", "tag_undo", "trash", "export_csv", "reindex"} <= landed

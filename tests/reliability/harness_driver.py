"""The kill-point harness: a plan of user actions run in forked children that are SIGKILLed at random moments.

A *campaign* (``python tests/reliability/harness_driver.py campaign ...``, run by the tests as a child
process with ``sys.executable``) never opens an archive itself: it forks a *driver* that opens the
archive with :class:`Library` and works through the plan from the step after the last one its journal
says is done, appending ``done N`` (fsync'd) after each step commits. The campaign SIGKILLs the driver
after a random number of finished steps plus a random delay (so mostly in the middle of an action),
then forks a *verifier* that reopens the archive and checks that every step reported done is there,
the step that was running is either wholly there or wholly absent (an import: some of its files, each
one whole), nothing later is there, exports are absent or complete, the index holds exactly the
store's ids, and ``check`` passes. Then the driver resumes, until the plan is finished; then a new
archive. It prints one JSON summary line: kill points survived, where they landed, and any problems.

Forking (instead of starting a new interpreter each time) keeps a kill point, with its check, under half a
second, so a thousand of them fit in minutes. Every child reseeds ``random``: Whoosh names its
segments with it, and two children forked from the same state would otherwise pick the same names.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import select
import shutil
import signal
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.library import Library
from tests.stories import write_stories

BATCH = 8  # stories imported per import step
QUOTE = "met representatives"
EXIT_PROBLEMS = 3


@dataclass(frozen=True, slots=True)
class Step:
    """One user action of the plan: ``kind`` and the batch of stories it works on."""

    number: int
    kind: str
    batch: int


def make_plan(batches: int) -> list[Step]:
    """Import a batch, then tag, note, annotate, correct the text, tag-and-undo, trash; export and reindex now and then."""
    kinds: list[tuple[str, int]] = []
    for batch in range(batches):
        kinds += [("import", batch), ("tag", batch), ("note", batch), ("annotate", batch), ("edit_text", batch), ("tag_undo", batch)]
        kinds.append(("trash", batch))
        if batch % 3 == 2:
            kinds += [("export_csv", batch), ("export_json", batch)]
        if batch % 4 == 3:
            kinds.append(("reindex", batch))
    return [Step(number, kind, batch) for number, (kind, batch) in enumerate(kinds)]


def write_batches(stories: Path, batches: int) -> None:
    """``batch_00/ … batch_NN/``, each with ``BATCH`` distinct stories."""
    pool = stories / "pool"
    paths = write_stories(pool, batches * BATCH, seed=batches)
    for batch in range(batches):
        folder = stories / f"batch_{batch:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        for path in paths[batch * BATCH : (batch + 1) * BATCH]:
            path.rename(folder / path.name)
    pool.rmdir()


def batch_sources(stories: Path, batch: int) -> list[str]:
    return [str(path) for path in sorted((stories / f"batch_{batch:02d}").iterdir())]


def read_journal(journal: Path) -> int:
    """The number of the last step reported done (-1 when none)."""
    if not journal.exists():
        return -1
    lines = [line.split() for line in journal.read_text(encoding="utf-8").splitlines()]
    done = [int(parts[1]) for parts in lines if len(parts) == 2 and parts[0] == "done"]
    assert done == list(range(len(done))), f"the journal skips or repeats steps: {done}"
    return len(done) - 1


def ids_by_source(library: Library) -> dict[str, int]:
    """Every stored article (trashed ones too) by the file it came from."""
    ids = [summary.id for summary in library.articles.summaries()] + [summary.id for summary in library.articles.trashed()]
    return {library.articles.get(article_id).source: article_id for article_id in ids}


def marker(step: Step) -> str:
    return f"step {step.number} of the kill harness"


# the driver ---------------------------------------------------------------------------------------------
def drive(archive: Path, stories: Path, journal: Path, exports: Path, batches: int, report_fd: int, until: int | None = None) -> None:
    """Open the archive and run the plan (up to step ``until``) from the step after the journal's last one."""
    plan = make_plan(batches)[:until]
    start = read_journal(journal) + 1
    with Library.open(archive) as library, journal.open("a", encoding="utf-8") as log:
        os.write(report_fd, b"opened\n")
        for step in plan[start:]:
            run_step(library, step, stories, exports)
            log.write(f"done {step.number}\n")
            log.flush()
            os.fsync(log.fileno())
            os.write(report_fd, f"done {step.number}\n".encode())


def run_step(library: Library, step: Step, stories: Path, exports: Path) -> None:
    """Do one step; a step that may have committed before an unjournaled kill is done again harmlessly."""
    if step.kind == "import":
        library.imports.paths([stories / f"batch_{step.batch:02d}"])
        return
    if step.kind == "reindex":
        library.index.reindex()
        return
    if step.kind == "export_csv":
        library.exports.csv(exports / f"step-{step.number}.csv")
        return
    if step.kind == "export_json":
        library.exports.json(exports / f"step-{step.number}.json")
        return
    ids = ids_by_source(library)
    batch = [ids[source] for source in batch_sources(stories, step.batch)]
    if step.kind == "tag":
        library.tags.change(batch[:3], add=[f"Batch/{step.batch}", "Harness"])
    elif step.kind == "note":
        if not any(note.body == marker(step) for note in library.notes.of(batch[0])):
            library.notes.add(batch[0], marker(step))
    elif step.kind == "annotate":
        if not any(record.note == marker(step) for record in library.annotations.of(batch[1])):
            library.annotations.add_quote(batch[1], QUOTE, note=marker(step), tags=["Quoted"])
    elif step.kind == "edit_text":
        text = library.articles.get(batch[2]).text
        if marker(step) not in text:
            library.articles.edit_text(batch[2], text + f"\nCorrected in {marker(step)}.\n")
    elif step.kind == "tag_undo":
        name = f"Undone/{step.number}"
        if any(name in library.articles.get(article_id).tags for article_id in batch[3:6]):
            library.tags.change(batch[3:6], remove=[name])  # killed between the edit and its undo: take it off again
        else:
            library.edits.undo(library.tags.change(batch[3:6], add=[name]))
    elif step.kind == "trash":
        library.articles.trash([batch[7]])
    else:
        raise AssertionError(f"unknown step {step.kind}")


# the verifier -------------------------------------------------------------------------------------------
def verify(archive: Path, stories: Path, journal: Path, exports: Path, batches: int) -> list[str]:
    """Reopen the archive; return what is wrong with it given what the journal says was done."""
    plan = make_plan(batches)
    last = read_journal(journal)
    problems: list[str] = []
    with Library.open(archive) as library:
        report = library.check.run()
        problems += [f"check: {problem}" for problem in report.problems]
        if report.articles != report.indexed:
            problems.append(f"the index holds {report.indexed} articles, the store {report.articles}")
        ids = ids_by_source(library)
        texts = [library.articles.get(article_id).text for article_id in ids.values()]
        if len(set(texts)) != len(texts):
            problems.append("an article is stored twice")
        known = {source for batch in range(batches) for source in batch_sources(stories, batch)}
        if set(ids) - known:
            problems.append(f"articles from nowhere: {sorted(set(ids) - known)[:3]}")
        seen = Seen(library, ids)
        for step in plan:
            state = "done" if step.number <= last else "maybe" if step.number == last + 1 else "not yet"
            problems += [f"step {step.number} ({step.kind}, {state}): {p}" for p in verify_step(seen, step, state, stories, exports)]
    return problems


class Seen:
    """What the verifier reads of a reopened archive, each part read once."""

    def __init__(self, library: Library, ids: dict[str, int]) -> None:
        self.library = library
        self.ids = ids
        self.trashed = {summary.id for summary in library.articles.trashed()}
        self._tags: dict[int, set[str]] = {}

    def tags(self, article_id: int) -> set[str]:
        if article_id not in self._tags:
            self._tags[article_id] = set(self.library.articles.get(article_id).tags)
        return self._tags[article_id]


def verify_step(seen: Seen, step: Step, state: str, stories: Path, exports: Path) -> list[str]:
    """What is wrong with one step's effect, given whether it is done, may be under way, or has not run."""
    library = seen.library
    sources = batch_sources(stories, step.batch)
    present = [source in seen.ids for source in sources]
    if step.kind == "import":
        if state == "done" and not all(present):
            return [f"{present.count(False)} of its files are missing"]
        if state == "not yet" and any(present):
            return ["some of its files are already there"]
        return []
    if step.kind in ("export_csv", "export_json"):
        path = exports / f"step-{step.number}.{step.kind.removeprefix('export_')}"
        if not path.exists():
            return ["the export is missing"] if state == "done" else []
        if state == "not yet":
            return ["an export exists before its step ran"]
        return export_problems(path, step)
    if step.kind == "reindex":
        return []
    if not all(present):
        return ["its batch is not all there"] if state == "done" else []
    batch = [seen.ids[source] for source in sources]
    found: list[bool]
    if step.kind == "tag":
        found = [{f"Batch/{step.batch}", "Harness"} <= seen.tags(article_id) for article_id in batch[:3]]
        found += [bool({f"Batch/{step.batch}", "Harness"} & seen.tags(article_id)) for article_id in batch[:3]]
    elif step.kind == "note":
        count = sum(note.body == marker(step) for note in library.notes.of(batch[0]))
        if count > 1:
            return [f"the note is there {count} times"]
        found = [count == 1]
    elif step.kind == "annotate":
        records = [record for record in library.annotations.of(batch[1]) if record.note == marker(step)]
        if len(records) > 1:
            return [f"the annotation is there {len(records)} times"]
        if records and (records[0].exact != QUOTE or records[0].tags != ("Quoted",)):
            return [f"the annotation is half there: {records[0]}"]
        found = [len(records) == 1]
    elif step.kind == "edit_text":
        found = [marker(step) in library.articles.get(batch[2]).text]
    elif step.kind == "tag_undo":
        on = [f"Undone/{step.number}" in seen.tags(article_id) for article_id in batch[3:6]]
        if state == "done" and any(on):
            return ["the undone tag is still on an article"]
        found = on if any(on) else [False]
    elif step.kind == "trash":
        found = [batch[7] in seen.trashed]
    else:
        return [f"unknown step kind {step.kind}"]
    if state == "done" and not all(found) and step.kind != "tag_undo":
        return ["its change is missing"]
    if state == "maybe" and any(found) and not all(found):
        return ["its change is half there"]
    if state == "not yet" and any(found):
        return ["its change is there before the step ran"]
    return []


def export_problems(path: Path, step: Step) -> list[str]:
    """An export that exists must be complete: every article the plan had by then, and well formed."""
    expected_live = (step.batch + 1) * (BATCH - 1)
    expected_all = (step.batch + 1) * BATCH
    try:
        if step.kind == "export_csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.reader(handle))
            if len(rows) - 1 != expected_live or not path.read_bytes().endswith(b"\r\n"):
                return [f"the CSV export has {len(rows) - 1} rows, not {expected_live}"]
        else:
            data = json.loads(path.read_text(encoding="utf-8"))
            if len(data["tables"]["articles"]) != expected_all:
                return [f"the JSON export has {len(data['articles'])} articles, not {expected_all}"]
    except (ValueError, KeyError, UnicodeDecodeError, csv.Error) as exc:
        return [f"the export is not complete: {exc}"]
    return []


# the campaign -------------------------------------------------------------------------------------------
def fork_child(out: Path, work: object, *args: object) -> int:
    """Run ``work(*args)`` in a forked child; return its pid.

    The child exits 0 when ``work`` returns nothing, else non-zero with what it returned (or its
    traceback) written to ``out``.
    """
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            random.seed(os.urandom(16))
            assert callable(work)
            result = work(*args)
            if result:
                out.write_text("\n".join(result), encoding="utf-8")
                code = EXIT_PROBLEMS
            else:
                code = 0
        except BaseException:
            out.write_text(traceback.format_exc(), encoding="utf-8")
        finally:
            os._exit(code)
    return pid


def campaign(work: Path, seed: int, kills: int, batches: int, max_lines: int, max_delay: float) -> dict[str, object]:
    """Kill drivers until ``kills`` kill points have been survived (or a problem is found)."""
    rng = random.Random(seed)
    stories = work / "stories"
    write_batches(stories, batches)
    plan = make_plan(batches)
    out = work / "child-output.txt"
    survived = 0
    archives = 0
    finished_runs = 0
    landed: Counter[str] = Counter()
    problems: list[str] = []
    started = time.monotonic()
    while survived < kills and not problems:
        archives += 1
        root = work / f"archive-{archives}"
        archive, journal, exports = root / "archive", root / "journal.txt", root / "exports"
        exports.mkdir(parents=True)
        while survived < kills and not problems:
            read_end, write_end = os.pipe()
            pid = fork_child(out, drive, archive, stories, journal, exports, batches, write_end)
            os.close(write_end)
            killed, opened = wait_and_kill(pid, read_end, rng.randrange(max_lines + 1), rng.uniform(0.0, max_delay))
            os.close(read_end)
            _, status = os.waitpid(pid, 0)
            last = read_journal(journal)
            if killed:
                survived += 1
                landed[plan[last + 1].kind if opened and last + 1 < len(plan) else "open" if not opened else "close"] += 1
            elif os.waitstatus_to_exitcode(status) != 0:
                problems.append(f"archive {archives}: the driver failed: {out.read_text(encoding='utf-8')}")
                break
            verifier = fork_child(out, verify, archive, stories, journal, exports, batches)
            _, vstatus = os.waitpid(verifier, 0)
            if os.waitstatus_to_exitcode(vstatus) != 0:
                when = f"a kill at step {last + 1}" if killed else "a finished run"
                problems.append(f"archive {archives} (seed {seed}), after {when}: {out.read_text(encoding='utf-8')}")
            if not killed and last == len(plan) - 1:
                finished_runs += 1
                break
        if not problems:
            shutil.rmtree(root, ignore_errors=True)
    return {
        "seed": seed,
        "kill_points_survived": survived,
        "archives": archives,
        "archives_finished": finished_runs,
        "steps_per_archive": len(plan),
        "landed_in": dict(sorted(landed.items())),
        "seconds": round(time.monotonic() - started, 1),
        "problems": problems,
    }


def wait_and_kill(pid: int, read_end: int, lines: int, delay: float) -> tuple[bool, bool]:
    """Wait for ``lines`` reports, then ``delay`` seconds, then SIGKILL the driver.

    Return whether it was still running when killed, and whether it had opened the archive.
    """
    received = b""
    while received.count(b"\n") < lines:
        ready, _, _ = select.select([read_end], [], [], 60.0)
        chunk = os.read(read_end, 4096) if ready else b""
        if not chunk:  # the driver finished (or died) before that many reports
            return False, b"opened" in received
        received += chunk
    deadline = time.monotonic() + delay
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([read_end], [], [], left)
        if ready:
            chunk = os.read(read_end, 4096)
            if not chunk:
                return False, b"opened" in received  # the pipe closed: the driver has ended
            received += chunk
    # The pipe is still open, so the driver has not ended; it is not reaped, so the pid is still its.
    os.kill(pid, signal.SIGKILL)
    while chunk := os.read(read_end, 4096):  # whatever it reported before it died
        received += chunk
    return True, b"opened" in received


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=["campaign"])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--batches", type=int, default=6)
    parser.add_argument("--max-lines", type=int, default=3)
    parser.add_argument("--max-delay", type=float, default=0.3)
    args = parser.parse_args(argv)
    summary = campaign(args.work, args.seed, args.kills, args.batches, args.max_lines, args.max_delay)
    print(json.dumps(summary), flush=True)
    return 0 if not summary["problems"] else 1


if __name__ == "__main__":
    sys.exit(main())

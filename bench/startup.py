"""Time from process start to the window shown, frozen and from source: medians over several runs.

``python -m bench.startup [--runs 5]`` (``make bench-startup`` builds the app first). Each run is the
app's ``--self-test``, which reports the time at which the window showed the sample archive.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FROZEN = ROOT / "dist" / "archive-browser" / "archive-browser"
SHOWN = re.compile(r"window shown ([0-9.]+) s")


def measure(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            env = {**os.environ, "HOME": home, "QT_QPA_PLATFORM": "offscreen"}
            env.update(XDG_DATA_HOME=f"{home}/data", XDG_CONFIG_HOME=f"{home}/config")
            result = subprocess.run([*command, "--self-test"], capture_output=True, text=True, env=env, timeout=120, check=True)
        match = SHOWN.search(result.stdout)
        if match is None:
            raise RuntimeError(f"no time in the self-test's output:\n{result.stdout}\n{result.stderr}")
        times.append(float(match.group(1)))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    figures = {"source": measure([sys.executable, "-m", "desktop"], args.runs)}
    if FROZEN.exists():
        figures["frozen"] = measure([str(FROZEN)], args.runs)
    for name, times in figures.items():
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"{name:<7} start to window: median {statistics.median(times):.2f} s (runs: {runs}; goal ≤ 1.0 s)")
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "startup.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

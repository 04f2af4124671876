"""The app as a real window under Xvfb: typed into with xdotool, looked at in screenshots.

``make screenshots`` runs this with ``SCREENSHOT_DIR=docs/screenshots`` to refresh the README's pictures.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from desktop.library import Library
from tests.conftest import SAMPLE_DIR

TOOLS = ("Xvfb", "xdotool", "import")
pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in TOOLS),
    reason="needs Xvfb, xdotool and ImageMagick's import (installed by .ci/system-deps.sh as root)",
)
HIT = QColor("#ffe066")
CURRENT_HIT = QColor("#ff9f43")
ANNOTATED = QColor("#b8e0d2")


@pytest.fixture
def display(tmp_path: Path) -> Iterator[str]:
    """A fresh virtual screen on a free display number."""
    for number in range(140, 200):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            break
    name = f":{number}"
    server = subprocess.Popen(["Xvfb", name, "-screen", "0", "1280x800x24", "-nolisten", "tcp"], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        assert time.monotonic() < deadline, "Xvfb did not start"
        time.sleep(0.05)
    yield name
    server.terminate()
    server.wait(timeout=10)


def shot_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class App:
    """One running Archive Browser on ``display``, driven with xdotool."""

    def __init__(self, display: str, archive: Path, home: Path) -> None:
        self.env = {
            **os.environ,
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_STATE_HOME": str(home / "state"),
        }
        self.process = subprocess.Popen([sys.executable, "-m", "desktop", "--archive", str(archive)], env=self.env)
        found = self.xdotool("search", "--sync", "--onlyvisible", "--name", "Archive Browser", timeout=60)
        self.window = found.split()[0]

    def xdotool(self, *args: str, timeout: float = 20) -> str:
        return subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, check=True, timeout=timeout).stdout

    def screenshot(self, path: Path) -> QImage:
        subprocess.run(["import", "-window", "root", str(path)], env=self.env, check=True, timeout=30)
        image = QImage(str(path))
        assert not image.isNull()
        return image

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def count_color(image: QImage, color: QColor, step: int = 2) -> int:
    found = 0
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            pixel = image.pixelColor(x, y)
            if abs(pixel.red() - color.red()) < 8 and abs(pixel.green() - color.green()) < 8 and abs(pixel.blue() - color.blue()) < 8:
                found += 1
    return found


def distinct_colors(image: QImage) -> int:
    return len({image.pixel(x, y) for y in range(0, image.height(), 8) for x in range(0, image.width(), 8)})


def test_empty_archive_then_search_then_read(display: str, tmp_path: Path) -> None:
    shots = shot_dir(tmp_path)
    empty = App(display, tmp_path / "empty-archive", tmp_path / "home-empty")
    time.sleep(3)
    picture = empty.screenshot(shots / "empty-archive.png")
    empty.close()
    assert distinct_colors(picture) > 5

    with Library.open(tmp_path / "sample-archive") as library:
        ids = {Path(o.path).name[:3]: o.id or 0 for o in library.imports.paths([SAMPLE_DIR]).outcomes}
        library.tags.change([ids["000"], ids["003"]], add=["Party/Diplomacy/US"])
        library.tags.change([ids["001"]], add=["Party/Congress"])
        library.annotations.add_quote(ids["003"], "Antony Blinken", note="first meeting in Washington", tags=["People/US"])
        library.annotations.add_quote(ids["003"], "Joe Biden", occurrence=2, note="the phone talks again")
    app = App(display, tmp_path / "sample-archive", tmp_path / "home")
    try:
        time.sleep(3)
        app.xdotool("mousemove", "--window", app.window, "500", "58", "click", "1")  # into the search box
        app.xdotool("type", "--delay", "40", "Nguyễn Phú Trọng")
        app.xdotool("key", "Return")
        time.sleep(3)
        results = app.screenshot(shots / "search-results.png")
        assert count_color(results, HIT) > 20, "no highlighted hit in the results or the reader"
        assert count_color(results, CURRENT_HIT) > 5, "the reader does not mark the current hit"
        app.xdotool("key", "F3")
        time.sleep(1)
        reader = app.screenshot(shots / "reader.png")
        assert count_color(reader, CURRENT_HIT) > 5
        assert count_color(reader, ANNOTATED) > 5, "the annotated passages are not highlighted"
    finally:
        app.close()

"""Helpers for the fault tests: a small real filesystem (tmpfs) to fill, and the CLI run as a child process."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def can_mount() -> str | None:
    """Why a tmpfs cannot be mounted here (not root, or mounting refused), or None when it can."""
    if not sys.platform.startswith("linux"):
        return "tmpfs mounts are Linux-only"
    if os.geteuid() != 0:
        return "mounting a small filesystem needs root (CI runs as root)"
    return None


@contextlib.contextmanager
def small_disk(mount_point: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` (``4m``) mounted on ``mount_point``: writes past it fail with ENOSPC, as on a full disk."""
    reason = can_mount()
    if reason:
        pytest.skip(reason)
    mount_point.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True)


def remount(mount_point: Path, option: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{option}", str(mount_point)], check=True)


def fill(folder: Path, leave: int) -> Path:
    """Write a file that leaves about ``leave`` bytes free on ``folder``'s filesystem."""
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    filler = folder / "filler.bin"
    size = max(0, free - leave)
    with filler.open("wb") as handle:
        chunk = b"\0" * 65536
        while size > 0:
            handle.write(chunk[: min(size, len(chunk))])
            size -= min(size, len(chunk))
    return filler


def used_bytes(folder: Path) -> int:
    stat = os.statvfs(folder)
    return (stat.f_blocks - stat.f_bfree) * stat.f_frsize


def cli(archive: Path, *args: str, file_size_limit: int | None = None) -> tuple[int, str, str]:
    """Run ``python -m desktop.cli --archive ARCHIVE ARGS`` as a child process; with ``file_size_limit``, under RLIMIT_FSIZE.

    SIGXFSZ is ignored in the child, so a write past the limit fails with EFBIG instead of killing it.
    """

    def limit() -> None:
        if file_size_limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--archive", str(archive), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        preexec_fn=limit if file_size_limit is not None else None,
        timeout=600,
    )
    return done.returncode, done.stdout, done.stderr


def records(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]

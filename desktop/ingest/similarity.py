"""Near-duplicate detection: MinHash signatures over word shingles, banded for quick candidate lookup."""

from __future__ import annotations

import hashlib
import random
import re
import struct
from functools import cache

from desktop.core.text import fold

NUM_PERM = 60
BANDS = 20
ROWS = NUM_PERM // BANDS
SHINGLE_WORDS = 4
NEAR_DUPLICATE_THRESHOLD = 0.5
#: past this many distinct shingles a text is signed on a sample of them, chosen by the shingles' own hashes, so two
#: copies of a long text keep the same sample (and their similarity) while a book-length text costs no more than this
MAX_SHINGLES = 20_000
_MERSENNE = (1 << 61) - 1
_WORD = re.compile(r"\w+")
_PACK = struct.Struct(f">{NUM_PERM}Q")


@cache
def _permutations() -> tuple[tuple[int, int], ...]:
    rng = random.Random(20240703)  # noqa: S311 - not for security: fixed: signatures must be comparable across runs and machines
    return tuple((rng.randrange(1, _MERSENNE), rng.randrange(0, _MERSENNE)) for _ in range(NUM_PERM))


def _hash64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def signature(text: str) -> bytes | None:
    """The MinHash signature of ``text`` (folded words, 4-word shingles), or None if it has too few words."""
    words = [fold(word) for word in _WORD.findall(text)]
    if len(words) < SHINGLE_WORDS * 2:
        return None
    hashes = {_hash64(" ".join(words[i : i + SHINGLE_WORDS])) for i in range(len(words) - SHINGLE_WORDS + 1)}
    if len(hashes) > MAX_SHINGLES:
        step = -(-len(hashes) // MAX_SHINGLES)
        hashes = {h for h in hashes if h % step == 0} or hashes
    values = [min((a * h + b) % _MERSENNE for h in hashes) for a, b in _permutations()]
    return _PACK.pack(*values)


def band_keys(sig: bytes) -> list[tuple[int, int]]:
    """``(band, bucket)`` pairs: two texts sharing any pair are candidates for a closer look."""
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS * 8 : (band + 1) * ROWS * 8]
        bucket = int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "big", signed=True)
        keys.append((band, bucket))
    return keys


def similarity(sig_a: bytes, sig_b: bytes) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    a = _PACK.unpack(sig_a)
    b = _PACK.unpack(sig_b)
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / NUM_PERM

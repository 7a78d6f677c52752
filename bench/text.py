"""Seeded policy-like prose: a word-bigram walk over the sample draft's own text."""
from __future__ import annotations

import random
import re
import sys
from functools import lru_cache
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")


@lru_cache(maxsize=1)
def corpus_words() -> tuple[str, ...]:
    """The words of the sample SEN policy (samples/build_sample.py), in order."""
    if str(SAMPLES) not in sys.path:
        sys.path.insert(0, str(SAMPLES))
    import build_sample                                  # noqa: E402  (samples/)
    texts: list[str] = []
    for _level, title, blocks in build_sample.SECTIONS:
        texts.append(title)
        for block in blocks:
            if isinstance(block, str):
                texts.append(block)
            elif hasattr(block, "items"):
                texts.extend(block.items)
            elif hasattr(block, "rows"):
                texts.extend(cell for row in block.rows for cell in row)
    return tuple(w for text in texts for w in WORD.findall(text))


@lru_cache(maxsize=1)
def successors() -> dict[str, tuple[str, ...]]:
    words = corpus_words()
    out: dict[str, list[str]] = {}
    for a, b in zip(words, words[1:]):
        out.setdefault(a.lower(), []).append(b)
    return {k: tuple(v) for k, v in out.items()}


class Prose:
    """Sentences, paragraphs and titles drawn from one seeded random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.words = corpus_words()
        self.next = successors()

    def phrase(self, n: int) -> list[str]:
        word = self.rng.choice(self.words)
        out = [word]
        while len(out) < n:
            options = self.next.get(word.lower())
            word = self.rng.choice(options) if options and self.rng.random() < 0.9 \
                else self.rng.choice(self.words)
            out.append(word)
        return out

    def sentence(self, n: int | None = None) -> str:
        words = self.phrase(n or self.rng.randint(10, 28))
        words[0] = words[0][:1].upper() + words[0][1:]
        if len(words) > 8 and self.rng.random() < 0.4:
            k = self.rng.randint(3, len(words) - 4)
            words[k] += ","
        return " ".join(words) + "."

    def paragraph(self, words: int) -> str:
        out: list[str] = []
        count = 0
        while count < words:
            n = min(max(6, words - count), self.rng.randint(10, 28))
            out.append(self.sentence(n))
            count += n
        return " ".join(out)

    def title(self, lo: int = 2, hi: int = 6) -> str:
        words = [w for w in self.phrase(self.rng.randint(lo, hi))]
        return " ".join(words)[:1].upper() + " ".join(words)[1:]

    def words_of(self, n: int) -> str:
        return " ".join(self.phrase(n))

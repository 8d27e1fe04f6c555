"""Shared fixtures: the sample corpus as the repository ships it (never ../shared)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from framing.document import Document

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEEDS = CORPUS / "seeds"
SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))


def seed_text(seed_id: str) -> str:
    """The seed file's text exactly as a user's file would be read (no newline translation)."""
    return (SEEDS / f"{seed_id}.txt").read_bytes().decode("utf-8")


def seed_id(prefix: str) -> str:
    """The full seed id for a short prefix like '001'."""
    (match,) = [s for s in SEED_IDS if s.startswith(prefix)]
    return match


@pytest.fixture(scope="session")
def seed_docs() -> dict[str, Document]:
    """Segmented seed documents keyed by their 3-digit prefix ('000' ... '004')."""
    return {s[:3]: Document.from_text(seed_text(s), id=s) for s in SEED_IDS}


@pytest.fixture(scope="session")
def manifest_rows() -> list[dict[str, str]]:
    with open(CORPUS / "manifest.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))

"""Reading the hand-annotation CSVs of corpus/annotations for the tests that check them."""

import csv
from pathlib import Path


def read_rows(path: Path, columns: list[str]) -> list[dict[str, str]]:
    """The rows of an annotation CSV, after checking its header is exactly ``columns``."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == columns
        return list(reader)

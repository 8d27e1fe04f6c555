"""Build framing/data/first_names.tsv from the US Census 1990 first-name lists.

The lists (dist.male.first, dist.female.first: name, frequency in percent of the sex's
population, cumulative frequency, rank) are US government work, in the public domain; they are
bundled in the PyPI package ``names`` 0.3.0 (MIT licence), which is where this script reads them:

    pip download --no-deps names==0.3.0 && tar xzf names-0.3.0.tar.gz
    python scripts/build_first_names.py names-0.3.0/names > framing/data/first_names.tsv

A name on both lists gets the sex whose frequency is at least 4 times the other's; names below
that ratio ("Jordan", "Taylor") are left out: the attribution rules then treat them as of unknown
gender rather than guess. Deterministic: rows sorted by name.
"""

from __future__ import annotations

import sys
from pathlib import Path

RATIO = 4.0

HEADER = """# name: first-names
# version: 1.0
# source: US Census Bureau, 1990 census, frequently occurring first names (dist.male.first, dist.female.first), as bundled in the PyPI package names 0.3.0 (MIT licence); built by scripts/build_first_names.py. A name on both lists takes the sex whose frequency is at least 4 times the other's; names below that ratio are left out (unknown gender)
# license: public domain (US government work); the names package is MIT-licensed
# columns: name, gender, frequency
name\tgender\tfrequency"""


def read(path: Path) -> dict[str, float]:
    out = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out[parts[0].lower()] = float(parts[1])
    return out


def main(folder: str) -> None:
    male = read(Path(folder) / "dist.male.first")
    female = read(Path(folder) / "dist.female.first")
    print(HEADER)
    for name in sorted(set(male) | set(female)):
        m, f = male.get(name, 0.0), female.get(name, 0.0)
        if m >= RATIO * f:
            print(f"{name}\tmale\t{m:.3f}")
        elif f >= RATIO * m:
            print(f"{name}\tfemale\t{f:.3f}")


if __name__ == "__main__":
    main(sys.argv[1])

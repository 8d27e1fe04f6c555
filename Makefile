# Set-up on a fresh machine needs only Python 3.10+ and make: each target creates .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report test install lint model punkt benchmark notebooks clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,notebooks]'
	touch $(STAMP)

install: $(STAMP)

## The main job: score the sample corpus and write the outlet report into reports/sample/.
report: $(STAMP)
	$(BIN)/framing score corpus/ -o reports/sample/scores.jsonl --rejects reports/sample/rejects.jsonl --quiet

## The whole test suite.
test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check framing tests benchmarks

## Rebuild the Punkt sentence parameters shipped in framing/data/punkt_en.json.
punkt: $(STAMP)
	$(BIN)/python -m framing.models.punkt corpus/open/*.jsonl -o framing/data/punkt_en.json

## Open the teaching notebooks (notebooks/) in Jupyter, with the kernel of .venv.
notebooks: $(STAMP)
	JUPYTER_PREFER_ENV_PATH=1 $(BIN)/jupyter notebook notebooks/

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

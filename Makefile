# Set-up on a fresh machine needs only Python 3.10+ and make: each target creates .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report report-open test install lint eval model frames-model attribution-model punkt benchmark notebooks clean chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,notebooks]'
	touch $(STAMP)

install: $(STAMP)

## The main job: score the sample corpus and write the outlet report into reports/sample/.
## Writes scores.jsonl, rejects.jsonl, report.html, report.md, outlets.csv, articles.csv, charts/.
report: $(STAMP)
	$(BIN)/framing report corpus/ -o reports/sample --title "Sample corpus: outlet comparison" --quiet

## A larger example: the seeds with the open Wikinews and Kremlin corpora (943 articles, 6 outlets).
report-open: $(STAMP)
	$(BIN)/framing report corpus/ corpus/open/wikinews-gum.jsonl corpus/open/wikinews-2004-2005.jsonl \
		corpus/open/kremlin-2021-2022.jsonl -o reports/open-corpora --title "Seeds and open corpora: outlet comparison" --quiet

## Headless Chromium for the report's browser test (idempotent; apt-get on Debian/Ubuntu).
chromium:
	scripts/install-chromium.sh

## The whole test suite.
test: $(STAMP) chromium
	$(BIN)/python -m pytest -q

## Quality on human annotations nobody on this project made (../shared/eval-data, not distributed):
## every analyzer with a matching set, beside plain baselines on the same data and folds. Sets that
## are absent are skipped with one line each. docs/quality.md carries the table.
eval: $(STAMP)
	$(BIN)/python -m framing.evaluation --eval-data ../shared/eval-data

lint: $(STAMP)
	$(BIN)/ruff check framing tests benchmarks

## Rebuild the Punkt sentence parameters shipped in framing/data/punkt_en.json.
punkt: $(STAMP)
	$(BIN)/python -m framing.models.punkt corpus/open/*.jsonl -o framing/data/punkt_en.json

## Open the teaching notebooks (notebooks/) in Jupyter, with the kernel of .venv.
## Extra options: make notebooks JUPYTER_ARGS="--no-browser --port 8899"
notebooks: $(STAMP)
	JUPYTER_PREFER_ENV_PATH=1 $(BIN)/jupyter notebook notebooks/ $(JUPYTER_ARGS)

## Rebuild the learned loaded-language words (framing/lexicons/loaded_learned.tsv) and the shipped
## loaded-sentence classifier (framing/models/loaded_default.joblib) from the hand labels and the
## eval-data sets (../shared/eval-data, not distributed); without eval-data the learned words are
## kept and the classifier is trained on the hand labels alone (both say so). Then print the
## classifier's 5-fold CV scores on the hand labels beside the baseline.
model: $(STAMP)
	$(BIN)/python -m framing.models.learned_lexicon --eval-data ../shared/eval-data -o framing/lexicons/loaded_learned.tsv
	$(BIN)/python -m framing.models.build_loaded --eval-data ../shared/eval-data -o framing/models/loaded_default.joblib
	$(BIN)/framing evaluate --data corpus/annotations/loaded_sentences.csv --positive loaded --cv 5 --baseline

## Retrain the shipped frames classifier (PFC dimensions, sentence level) from the hand labels; print its
## 5-fold CV scores beside the plain baseline, and the lexicon-only detector's scores on the same gold.
## Then the 5-fold CV of the article-level model on the hand-labelled articles, beside the baseline (no
## article model is shipped; docs/frames.md says how to train one). docs/frames.md carries all the figures.
frames-model: $(STAMP)
	$(BIN)/framing train --task frames --level sentence --data corpus/annotations/frames_sentences.csv --text-column text \
		--label-column pfc -o framing/models/frames_default.joblib
	$(BIN)/framing evaluate --task frames --level sentence --data corpus/annotations/frames_sentences.csv --label-column pfc \
		--cv 5 --baseline
	$(BIN)/framing evaluate --task frames --data corpus/annotations/frames_sentences.csv --label-column pfc --lexicon-only
	$(BIN)/framing evaluate --task frames --level article --data corpus/annotations/frames_articles.csv --title-column title \
		--label-column pfc --cv 5 --baseline

## Retrain the shipped attribution tagger (framing/models/attribution_crf.joblib, a CRF) on PolNeAR
## train from ../shared/eval-data (not distributed); without it, says so and keeps the shipped model.
attribution-model: $(STAMP)
	$(BIN)/python -m framing.attribution.train --eval-data ../shared/eval-data -o framing/models/attribution_crf.joblib

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

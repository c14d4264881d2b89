# Vigil — the two commands are `make run` and `make test`; both set up everything they need.
SHELL := /bin/bash
ENV := source .vigil/env
SWIFT_FLAGS ?=

.PHONY: up down build test run bench clean-state format

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

run: up  ## build, migrate, start the four services, replay, summarize (ONCE=1 exits after)
	@bash infra/dev/run.sh

bench: up  ## Kafka wrapper vs Python client; writes bench-results/
	@$(ENV) && swift build -c release --product vigil-bench && \
		.build/release/vigil-bench --python "$$VIGIL_VENV/bin/python" --out bench-results

format:
	@swift format --in-place --recursive Package.swift Shared Services Tests Benchmarks

# OrderStream: `make run` starts the whole platform, `make test` runs every test.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
SANITIZE ?= OFF
JOBS ?= $(shell nproc)

.PHONY: all deps build test unit-test run clean clean-data

all: build

deps:
	scripts/deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DORDERSTREAM_SANITIZE=$(SANITIZE)
	ninja -C $(BUILD_DIR) -j $(JOBS)

# Unit and integration tests; integration tests get their own PostgreSQL and Kafka.
test: build
	scripts/with-infra.sh ctest --test-dir $(BUILD_DIR) --output-on-failure

unit-test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -L unit

run: build
	scripts/run.sh $(BUILD_DIR)/cmd/orderstream/orderstream

clean:
	rm -rf $(BUILD_DIR)

# Wipes the local platform's data (PostgreSQL, Kafka, generated secrets). Stop `make run` first.
clean-data:
	scripts/kafka.sh stop >/dev/null 2>&1 || true
	scripts/pg.sh stop >/dev/null 2>&1 || true
	rm -rf .data

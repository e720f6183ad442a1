# The two commands of the README. Both install what is missing first (Debian 12, root or sudo).
PRESET ?= release
BUILD  := build/$(PRESET)
ARGS   ?=

.PHONY: deps build run test clean

deps:
	./scripts/install-deps

build: deps
	cmake --preset $(PRESET) >/dev/null
	cmake --build --preset $(PRESET)

# Main job: serve the user's Zotero library (~/Zotero, $$SIEVE_ZOTERO_DIR or ARGS="--db PATH").
run: build
	$(BUILD)/connector/sieve serve $(ARGS)

# Every test, C++ and JavaScript, through ctest, with warnings as errors.
test: deps
	cmake --preset ci >/dev/null
	cmake --build --preset ci
	ctest --preset ci

clean:
	rm -rf build

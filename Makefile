# Thin wrapper over meson: `make demo` and `make check` set up a fresh
# Debian machine themselves (apt-get for what is missing).
BUILD ?= build

.PHONY: all build demo check clean

all: build

build:
	scripts/deps.sh build
	@test -f $(BUILD)/build.ninja || meson setup $(BUILD)
	ninja -C $(BUILD)

demo: build
	examples/heroes/run.sh $(BUILD)

check:
	scripts/deps.sh check
	scripts/check.sh

clean:
	rm -rf $(BUILD) build-asan

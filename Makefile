# make install PREFIX=/usr/local   build a release binary and install it with the rule packs
#                                  and the samples their examples use (scripts/install.sh)
# make install PREFIX=... BINARY=path/to/modeldoctor   install an already built binary
PREFIX ?= /usr/local
SWIFT ?= swift
BINARY ?=

.PHONY: build install uninstall

build:
	$(SWIFT) build -c release

install:
ifeq ($(BINARY),)
	$(SWIFT) build -c release
	scripts/install.sh "$(PREFIX)" "$$($(SWIFT) build -c release --show-bin-path)/modeldoctor"
else
	scripts/install.sh "$(PREFIX)" "$(BINARY)"
endif

uninstall:
	rm -f "$(PREFIX)/bin/modeldoctor"
	rm -rf "$(PREFIX)/share/modeldoctor"

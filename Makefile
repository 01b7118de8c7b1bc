# StationGuard: build and install for a station.
#
#   make                      release build of the stationguard binary
#   make install PREFIX=/usr DESTDIR=/tmp/pkg
#
# Installs: the binary (PREFIX/bin), the vendor rule sets (PREFIX/share/stationguard/rules,
# where the binary looks for them, so PREFIX=/usr is what a station wants), the systemd units,
# tmpfiles.d, sysusers.d and the journal message catalog from systemd/ (when present), the
# commented default config (/etc/stationguard/stationguard.yaml, never overwriting an
# administrator's file) and the empty admin rule directory /etc/stationguard/rules.d.
# Nothing is started: after installing on a live system run
#   systemd-sysusers; systemd-tmpfiles --create; journalctl --update-catalog;
#   systemctl daemon-reload; systemctl enable --now stationguard
#
# BINARY=path installs an already built binary (the tests install a debug build this way).

PREFIX      ?= /usr
DESTDIR     ?=
SYSCONFDIR  ?= /etc
BINDIR      ?= $(PREFIX)/bin
DATADIR     ?= $(PREFIX)/share/stationguard
UNITDIR     ?= $(PREFIX)/lib/systemd/system
CATALOGDIR  ?= $(PREFIX)/lib/systemd/catalog
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
BINARY      ?= .build/release/stationguard

INSTALL ?= install

.PHONY: all build install uninstall

all: build

build:
	swift build -c release --product stationguard

# The binary is built only when BINARY is the default release path and missing or stale.
.build/release/stationguard:
	swift build -c release --product stationguard

install: $(BINARY)
	$(INSTALL) -D -m 0755 $(BINARY) $(DESTDIR)$(BINDIR)/stationguard
	$(INSTALL) -d -m 0755 $(DESTDIR)$(DATADIR)/rules
	for f in rules/*.yaml; do [ -e "$$f" ] || continue; $(INSTALL) -m 0644 "$$f" $(DESTDIR)$(DATADIR)/rules/; done
	if [ -d rules/tests ]; then \
		$(INSTALL) -d -m 0755 $(DESTDIR)$(DATADIR)/tests; \
		cp -R rules/tests/. $(DESTDIR)$(DATADIR)/tests/; \
	fi
	$(INSTALL) -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/stationguard/rules.d
	if [ ! -e $(DESTDIR)$(SYSCONFDIR)/stationguard/stationguard.yaml ]; then \
		$(INSTALL) -m 0644 config/stationguard.yaml $(DESTDIR)$(SYSCONFDIR)/stationguard/stationguard.yaml; \
	else \
		$(INSTALL) -m 0644 config/stationguard.yaml $(DESTDIR)$(SYSCONFDIR)/stationguard/stationguard.yaml.dist; \
		echo "kept $(DESTDIR)$(SYSCONFDIR)/stationguard/stationguard.yaml; the shipped default is beside it as .dist"; \
	fi
	for f in systemd/*.service systemd/*.socket systemd/*.timer systemd/*.path; do \
		[ -e "$$f" ] || continue; $(INSTALL) -D -m 0644 "$$f" $(DESTDIR)$(UNITDIR)/$$(basename "$$f"); done
	for f in systemd/*.catalog; do \
		[ -e "$$f" ] || continue; $(INSTALL) -D -m 0644 "$$f" $(DESTDIR)$(CATALOGDIR)/$$(basename "$$f"); done
	$(INSTALL) -D -m 0644 systemd/stationguard.tmpfiles $(DESTDIR)$(TMPFILESDIR)/stationguard.conf
	$(INSTALL) -D -m 0644 systemd/stationguard.sysusers $(DESTDIR)$(SYSUSERSDIR)/stationguard.conf

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/stationguard
	rm -rf $(DESTDIR)$(DATADIR)
	for f in systemd/*.service systemd/*.socket systemd/*.timer systemd/*.path; do \
		[ -e "$$f" ] || continue; rm -f $(DESTDIR)$(UNITDIR)/$$(basename "$$f"); done
	for f in systemd/*.catalog; do [ -e "$$f" ] || continue; rm -f $(DESTDIR)$(CATALOGDIR)/$$(basename "$$f"); done
	rm -f $(DESTDIR)$(TMPFILESDIR)/stationguard.conf $(DESTDIR)$(SYSUSERSDIR)/stationguard.conf
	@echo "left $(DESTDIR)$(SYSCONFDIR)/stationguard (the station's own settings and rules)"

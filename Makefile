# Two commands do everything on a fresh machine (Python 3.11+ and PyPI):
#   make demo   - install, start the bundled emulator (unless TWILIO_* credentials say otherwise), run the demo
#   make test   - every test session of noxfile.py, on every supported ansible-core, two at a time, longest first;
#                 a summary with each session's time and result at the end
# The sessions are nox's (noxfile.py; `$(NOX) -l` lists them): make lint | emulator | build | docs | galaxy |
# examples | eda | system | molecule | extra-sanity run one; make sanity | units | integration | awx run it on
# ansible-core CORE (default: DEFAULT_CORE of noxfile.py), and make sanity-2.16 (or CORE=2.16 make sanity) on
# another; make matrix runs sanity, units and integration on every supported core; make bench prints the benchmark
# table; make docs-generate rewrites docs/modules/ after a module's documentation changed.
# The only bookkeeping here: nox and antsibull-nox in a small venv of their own (.venv-nox), made once from
# requirements-nox.txt by Python 3.11+ (PYTHON=...), remade when that file changes.
PYTHON ?= python3
VENV_NOX := .venv-nox
NOX := $(VENV_NOX)/bin/nox
CORE ?= $(shell sed -n 's/^DEFAULT_CORE = "\([0-9.]*\)".*/\1/p' noxfile.py)
JOBS ?= 2
ONCE := lint emulator build docs galaxy examples eda system molecule extra-sanity
PER_CORE := sanity units integration awx
# The summary after a run of several sessions: each one's result and seconds (nox's own report, --report).
define SUMMARY
import json, os, sys
sessions = json.load(open(sys.argv[1]))['sessions'] if os.path.exists(sys.argv[1]) else []
for s in sessions:
    result = 'passed' if s['result'] == 'success' else 'FAILED'
    print('%-20s %-6s %5d s' % (s['name'], result, s['duration'] or 0))
failed = sum(s['result'] != 'success' for s in sessions)
print('sessions: %d passed, %d failed, %s s wall clock' % (len(sessions) - failed, failed, sys.argv[2]))
endef
export SUMMARY
.PHONY: demo test matrix bench docs-generate $(ONCE) $(PER_CORE)

# Several sessions, JOBS at a time (nox's --parallel), then the summary; the exit status is nox's.
RUN_SESSIONS = rm -f $(VENV_NOX)/report.json; start=$$(date +%s) rc=0; \
  $(NOX) --parallel $(JOBS) --allow-parallel --report $(VENV_NOX)/report.json $(1) || rc=$$?; \
  $(VENV_NOX)/bin/python -c "$$SUMMARY" $(VENV_NOX)/report.json $$(( $$(date +%s) - start )); exit $$rc

test: $(NOX)
	@$(call RUN_SESSIONS)
matrix: $(NOX)
	@$(call RUN_SESSIONS,-t matrix)
demo: $(NOX)
	$(NOX) -s demo
$(ONCE): $(NOX)
	$(NOX) -s $@
$(PER_CORE): $(NOX)
	$(NOX) -s $@-$(CORE)
sanity-% units-% integration-% awx-%: $(NOX)
	$(NOX) -s $@
bench: $(NOX)
	$(NOX) -s bench
docs-generate: $(NOX)
	$(NOX) -s docs -- generate

$(NOX): requirements-nox.txt
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is needed (PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV_NOX)
	$(VENV_NOX)/bin/python -m pip install -q --disable-pip-version-check -r requirements-nox.txt
	touch $@

# Two commands do everything on a fresh machine (Python 3.11+ and PyPI):
#   make demo   - install, start the bundled emulator (unless TWILIO_* credentials say otherwise), run the demo
#   make test   - install and run every test stage, on every supported ansible-core (two workers side by side)
# One stage at a time: make lint | emulator | build | docs | galaxy | examples | eda | sanity | units | integration | system | awx |
# molecule (on ansible-core 2.19, or CORE=2.16 make sanity; make sanity-2.16 is the same) | matrix (sanity,
# units and integration on every supported ansible-core); make bench prints the benchmark table;
# make docs-generate rewrites docs/modules/ after a module's documentation changed.
STAGES := lint emulator build docs galaxy examples eda sanity units integration system awx molecule matrix
CORE_STAGES := $(foreach s,sanity units integration awx molecule,$(s)-%)
.PHONY: demo test bench docs-generate $(STAGES)
demo:
	scripts/demo.sh
test:
	scripts/test.sh
$(STAGES):
	scripts/test.sh $@
$(CORE_STAGES):
	scripts/test.sh $@
bench:
	scripts/bench.sh
docs-generate:
	scripts/docs.sh generate

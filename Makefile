# Two commands do everything on a fresh machine (Python 3.11+ and PyPI):
#   make demo   - install, start the bundled emulator (unless TWILIO_* credentials say otherwise), run the demo
#   make test   - install and run every test stage
# One stage at a time: make lint | emulator | build | docs | sanity | units | integration | system | awx |
# molecule | matrix (every other supported ansible-core); make bench prints the benchmark table;
# make docs-generate rewrites docs/modules/ after a module's documentation changed.
STAGES := lint emulator build docs sanity units integration system awx molecule matrix
.PHONY: demo test bench docs-generate $(STAGES)
demo:
	scripts/demo.sh
test:
	scripts/test.sh
$(STAGES):
	scripts/test.sh $@
bench:
	scripts/bench.sh
docs-generate:
	scripts/docs.sh generate

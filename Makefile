# Two commands do everything on a fresh machine (Python 3.11+ and PyPI):
#   make demo   - install, start the bundled emulator (unless TWILIO_* credentials say otherwise), run the demo
#   make test   - install and run every test stage
# One stage at a time: make lint | emulator | build | sanity | units | integration | molecule
STAGES := lint emulator build sanity units integration molecule
.PHONY: demo test $(STAGES)
demo:
	scripts/demo.sh
test:
	scripts/test.sh
$(STAGES):
	scripts/test.sh $@

#!/usr/bin/env bash
# The demo, in one command: make demo   (or scripts/demo.sh)
# Installs everything into .venv, starts the bundled Twilio Proxy emulator on a free port (unless TWILIO_*
# credentials for a real account are set and TWILIO_PROXY_API_URL is not), runs examples/demo.yml with --diff,
# runs it again to show changed=0, and stops the emulator.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_venv
install_collection
if use_real_twilio; then
  log "using the Twilio account in TWILIO_* (no emulator)"
else
  start_emulator
  export TWILIO_PROXY_API_URL=$EMULATOR_URL TWILIO_ACCOUNT_SID=$EMULATOR_ACCOUNT_SID \
         TWILIO_AUTH_TOKEN=$EMULATOR_AUTH_TOKEN
  unset TWILIO_API_KEY TWILIO_API_SECRET
  log "the emulator listens on $EMULATOR_URL"
fi
cd "$ROOT/examples" || exit 1
log "first run: creates what is missing (--diff shows it)"
ansible-playbook -i inventory.yml --diff demo.yml "$@"
log "second run: nothing to change"
ansible-playbook -i inventory.yml --diff demo.yml "$@" | tee "$BUILD/demo-second-run.txt"
grep -Eq 'changed=0 ' "$BUILD/demo-second-run.txt" || { echo "the second run changed something"; exit 1; }
log "demo done: the second run reported changed=0"

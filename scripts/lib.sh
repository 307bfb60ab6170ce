#!/usr/bin/env bash
# Shared steps of the scripts the nox sessions run (noxfile.py): demo.sh, docs.sh, bench.sh, integration.sh.
# The tools come from the session's venv, which nox made and put first on PATH; `make demo`, `make docs`, ... call
# nox. A step can also be run by name: `bash scripts/lib.sh install_collection` (noxfile.py does).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Outside the work tree: ansible-test lists a collection's files through git when it sits inside a checkout.
BUILD=${BUILD:-${XDG_CACHE_HOME:-$HOME/.cache}/community.twilio/build-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)}
COLLECTIONS=${COLLECTIONS:-$BUILD/collections}
COLLECTION_DIR=$COLLECTIONS/ansible_collections/community/twilio
export ANSIBLE_COLLECTIONS_PATH=$COLLECTIONS
export ANSIBLE_NOCOLOR=${ANSIBLE_NOCOLOR:-1} ANSIBLE_FORCE_COLOR=0 ANSIBLE_DEPRECATION_WARNINGS=0

log() { printf '\n==> %s\n' "$*"; }

ensure_venv() {
  # The scripts run inside a nox session (noxfile.py installs what each needs): say so when called outside one.
  if [ -z "${VIRTUAL_ENV:-}" ] || ! command -v ansible-galaxy >/dev/null 2>&1; then
    echo "run this through make (make demo, make docs, make docs-generate, make bench): nox installs its tools" >&2
    return 1
  fi
}

install_collection() {
  # Build the tarball the way a release is built, and install it where Ansible (and ansible-test) find it.
  log "building and installing community.twilio into $COLLECTIONS"
  rm -rf "$BUILD/dist" "$COLLECTION_DIR"
  mkdir -p "$BUILD/dist" "$COLLECTIONS"
  (cd "$ROOT" && ansible-galaxy collection build --force --output-path "$BUILD/dist" >/dev/null)
  ansible-galaxy collection install --force -p "$COLLECTIONS" "$BUILD"/dist/community-twilio-*.tar.gz >/dev/null
}

# The emulator's default credentials (documented in docs/emulator.md); never real secrets, and not exported: a
# test that looks for a secret in a job's environment must find it only where the job put it.
EMULATOR_ACCOUNT_SID=AC00000000000000000000000000000000
EMULATOR_AUTH_TOKEN=emulatorauthtoken000000000000000
EMULATOR_API_KEY=SK00000000000000000000000000000000
EMULATOR_API_SECRET=emulatorapisecret000000000000000

EMULATOR_PID=
start_emulator() {
  # Starts the bundled emulator on a free port, from the source tree on a Python 3.11+ (EMULATOR_PYTHON: nox's own,
  # whatever Python the session's ansible-core runs on); sets EMULATOR_URL.
  local out=$BUILD/emulator.out
  mkdir -p "$BUILD"
  PYTHONPATH=$ROOT/emulator/src "${EMULATOR_PYTHON:-python3}" -m twilio_proxy_emulator \
    --host 127.0.0.1 --port 0 --quiet --account-sid "$EMULATOR_ACCOUNT_SID" --auth-token "$EMULATOR_AUTH_TOKEN" \
    --api-key "$EMULATOR_API_KEY" --api-secret "$EMULATOR_API_SECRET" "$@" >"$out" 2>"$BUILD/emulator.err" &
  EMULATOR_PID=$!
  local _
  for _ in $(seq 1 100); do
    if [ -s "$out" ]; then break; fi
    sleep 0.1
  done
  EMULATOR_URL=$(head -n 1 "$out")
  case "$EMULATOR_URL" in
    http://*) ;;
    *) echo "the emulator did not start:" >&2; cat "$BUILD/emulator.err" >&2; return 1 ;;
  esac
  export EMULATOR_URL
  trap stop_emulator EXIT
}

stop_emulator() {
  if [ -n "$EMULATOR_PID" ]; then
    kill "$EMULATOR_PID" 2>/dev/null || true
    wait "$EMULATOR_PID" 2>/dev/null || true
    EMULATOR_PID=
  fi
}

use_real_twilio() {
  # True when the caller gave real credentials and no emulator address.
  [ -z "${TWILIO_PROXY_API_URL:-}" ] &&
    { [ -n "${TWILIO_ACCOUNT_SID:-}" ] && [ -n "${TWILIO_AUTH_TOKEN:-}" ] ||
      [ -n "${TWILIO_API_KEY:-}" ] && [ -n "${TWILIO_API_SECRET:-}" ]; }
}

# Run as a command (not sourced): the step named by the arguments.
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then
  "$@"
fi

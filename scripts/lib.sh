#!/usr/bin/env bash
# Shared steps of scripts/demo.sh and scripts/test.sh: the project's own files install everything it needs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
# Outside the work tree: ansible-test lists a collection's files through git when it sits inside a checkout.
BUILD=${BUILD:-${XDG_CACHE_HOME:-$HOME/.cache}/community.twilio/build-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)}
COLLECTIONS=$BUILD/collections
COLLECTION_DIR=$COLLECTIONS/ansible_collections/community/twilio
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_QUIET=${PIP_QUIET:-1}
export ANSIBLE_COLLECTIONS_PATH=$COLLECTIONS
export ANSIBLE_NOCOLOR=${ANSIBLE_NOCOLOR:-1} ANSIBLE_FORCE_COLOR=0 ANSIBLE_DEPRECATION_WARNINGS=0

log() { printf '\n==> %s\n' "$*"; }

find_python() {
  # Python 3.11+ (ansible-core 2.19 runs on 3.11-3.13)
  local candidate
  for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 14))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  echo "Python 3.11, 3.12 or 3.13 is required (set PYTHON=/path/to/python3.x)" >&2
  return 1
}

ensure_venv() {
  # (Re)install when the requirement files or the emulator's pyproject changed.
  local stamp want
  want=$(cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" "$ROOT/emulator/pyproject.toml" | sha256sum | cut -c1-16)
  stamp=$VENV/.community-twilio-stamp
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating $VENV"
    "$(find_python)" -m venv "$VENV"
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log "installing the tools into $VENV (first run takes a minute or two)"
    "$VENV/bin/python" -m pip install -U pip
    "$VENV/bin/python" -m pip install -r "$ROOT/requirements-dev.txt" -e "$ROOT/emulator[test]"
    echo "$want" > "$stamp"
  fi
  export PATH=$VENV/bin:$PATH
}

install_collection() {
  # Build the tarball the way a release is built, and install it where Ansible (and ansible-test) find it.
  log "building and installing community.twilio into $COLLECTIONS"
  rm -rf "$BUILD/dist" "$COLLECTION_DIR"
  mkdir -p "$BUILD/dist" "$COLLECTIONS"
  (cd "$ROOT" && ansible-galaxy collection build --force --output-path "$BUILD/dist" >/dev/null)
  ansible-galaxy collection install --force -p "$COLLECTIONS" "$BUILD"/dist/community-twilio-*.tar.gz >/dev/null
}

EMULATOR_PID=
start_emulator() {
  # Starts the bundled emulator on a free port; exports EMULATOR_URL and default credentials.
  local out=$BUILD/emulator.out
  mkdir -p "$BUILD"
  twilio-proxy-emulator --host 127.0.0.1 --port 0 --quiet "$@" >"$out" 2>"$BUILD/emulator.err" &
  EMULATOR_PID=$!
  local i
  for i in $(seq 1 100); do
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

# The emulator's default credentials (documented in docs/emulator.md); never real secrets.
EMULATOR_ACCOUNT_SID=AC00000000000000000000000000000000
EMULATOR_AUTH_TOKEN=emulatorauthtoken000000000000000
EMULATOR_API_KEY=SK00000000000000000000000000000000
EMULATOR_API_SECRET=emulatorapisecret000000000000000

use_real_twilio() {
  # True when the caller gave real credentials and no emulator address.
  [ -z "${TWILIO_PROXY_API_URL:-}" ] &&
    { [ -n "${TWILIO_ACCOUNT_SID:-}" ] && [ -n "${TWILIO_AUTH_TOKEN:-}" ] ||
      [ -n "${TWILIO_API_KEY:-}" ] && [ -n "${TWILIO_API_SECRET:-}" ]; }
}

prepare_ansible_test_offline() {
  # ansible-test bootstraps pip in each venv from a download that is not reachable everywhere; a cached
  # bootstrap script that uses ensurepip and PyPI does the same job (see docs/testing.md). The pip version is the
  # one the ansible-test of $VENV pins (each ansible-core of scripts/matrix.sh has its own venv and its own pin).
  local version cache
  version=$("$VENV/bin/python" - <<'PY'
import re, ansible_test, os
src = open(os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')).read()
print(re.search(r"pip='([0-9.]+)'", src).group(1))
PY
)
  cache=$HOME/.ansible/test/cache/get_pip_${version//./_}.py
  mkdir -p "$(dirname "$cache")"
  cat > "$cache" <<'PY'
# Written by community.twilio scripts/lib.sh: an offline stand-in for get-pip.py (ensurepip, then PyPI).
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'])
subprocess.check_call([sys.executable, '-m', 'pip', 'install', '--disable-pip-version-check'] + args)
PY
}

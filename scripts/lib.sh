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
# pip's cache stays the user's when a stage gives ansible-test a HOME of its own (ansible_test_home).
export PIP_CACHE_DIR=${PIP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pip}
export ANSIBLE_COLLECTIONS_PATH=$COLLECTIONS
export ANSIBLE_NOCOLOR=${ANSIBLE_NOCOLOR:-1} ANSIBLE_FORCE_COLOR=0 ANSIBLE_DEPRECATION_WARNINGS=0

log() { printf '\n==> %s\n' "$*"; }

# The ansible-core versions the collection supports (meta/runtime.yml: requires_ansible ">=2.16.0") and the
# controller Python each one is tested on: one that core supports, spread so that every Python 3.10-3.13 drives
# at least one core. .venv holds DEFAULT_CORE (requirements-dev.txt pins it); every other core gets its own venv.
SUPPORTED_CORES=(2.16 2.17 2.18 2.19 2.20 2.21)
DEFAULT_CORE=2.19

core_python_version() {
  case $1 in
    2.16) echo 3.11 ;;  # controller 3.10-3.12; 3.11 as in AAP 2.5's execution environments
    2.17) echo 3.10 ;;  # controller 3.10-3.12
    2.18) echo 3.12 ;;  # controller 3.11-3.13
    2.19) echo 3.11 ;;  # controller 3.11-3.13 (DEFAULT_CORE: .venv, any of them)
    2.20) echo 3.12 ;;  # controller 3.12-3.14
    2.21) echo 3.13 ;;  # controller 3.12-3.14
    *) echo "ansible-core $1 is not one of the supported ${SUPPORTED_CORES[*]}" >&2; return 1 ;;
  esac
}

python_of_version() {
  # The newest installed patch release of Python $1: pyenv's real bin folders first (ansible-test does not work
  # through pyenv shims), else python$1 on PATH.
  local candidate
  candidate=$(find "$HOME/.pyenv/versions" -maxdepth 3 -path "*/versions/$1.*/bin/python$1" 2>/dev/null |
              sort -V | tail -n 1)
  [ -n "$candidate" ] || candidate=$(command -v "python$1" 2>/dev/null) || true
  [ -n "$candidate" ] || { echo "Python $1 not found (pyenv or python$1 on PATH)" >&2; return 1; }
  echo "$candidate"
}

sdk_floor() {
  # The oldest Twilio SDK requirements.txt admits (twilio>=X).
  sed -n 's/^twilio>=\([0-9][0-9.]*\).*/\1/p' "$ROOT/requirements.txt"
}
# The core whose venv holds the oldest Twilio SDK (every other venv gets the newest).
SDK_FLOOR_CORE=${SDK_FLOOR_CORE:-2.16}

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
  want=$(cat "$ROOT"/requirements*.txt "$ROOT/emulator/pyproject.toml" | sha256sum | cut -c1-16)
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

core_venv() {
  # The venv of ansible-core $1: .venv for DEFAULT_CORE, else .venv-matrix/<core>.
  if [ "$1" = "$DEFAULT_CORE" ]; then echo "$ROOT/.venv"; else echo "$ROOT/.venv-matrix/$1"; fi
}

ensure_core_venv() {
  # Sets VENV to ansible-core $1's venv and puts it first on PATH, creating or updating it when needed:
  # ansible-core $1.* on its Python (core_python_version) with requirements.txt, the oldest Twilio SDK it admits
  # on SDK_FLOOR_CORE (the newest elsewhere), and on the oldest and newest core (which also run the awx and
  # molecule stages) requirements-runner.txt and the emulator.
  local core=$1 python stamp want extra=()
  if [ "$core" = "$DEFAULT_CORE" ]; then ensure_venv; return; fi
  VENV=$(core_venv "$core")
  [ "$core" != "$SDK_FLOOR_CORE" ] || extra+=("twilio==$(sdk_floor)")
  case " ${SUPPORTED_CORES[0]} ${SUPPORTED_CORES[${#SUPPORTED_CORES[@]} - 1]} " in
    *" $core "*) extra+=(-r "$ROOT/requirements-runner.txt" -e "$ROOT/emulator") ;;
  esac
  want=$( { cat "$ROOT/requirements.txt" "$ROOT/requirements-runner.txt" "$ROOT/emulator/pyproject.toml"
            echo "$core ${extra[*]}"; } | sha256sum | cut -c1-16)
  stamp=$VENV/.community-twilio-stamp
  mkdir -p "$(dirname "$VENV")"
  (
    # One installer per venv at a time (two stages of one core may start together).
    flock 8
    if [ ! -x "$VENV/bin/python" ]; then
      python=$(core_python_version "$core") && python=$(python_of_version "$python") || exit 1
      log "creating $VENV (ansible-core $core on $python)"
      "$python" -m venv "$VENV" || exit 1
    fi
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
      log "installing ansible-core $core.* into $VENV ${extra[*]}"
      "$VENV/bin/python" -m pip install -U pip &&
      "$VENV/bin/python" -m pip install "ansible-core==$core.*" -r "$ROOT/requirements.txt" "${extra[@]}" &&
      echo "$want" > "$stamp"
    fi
  ) 8>"$VENV.lock" || return 1
  export VENV PATH=$VENV/bin:$PATH
}

checkout_copy() {
  # A copy of the work tree at $1/ansible_collections/community/twilio, laid out as contributors and CI clone it,
  # with the files git would commit (tracked, and untracked but not ignored; as they are on disk), made a git
  # repository of its own so that ansible-test lists its files through git as it does in a clone. Prints its path.
  local dest=$1/ansible_collections/community/twilio
  rm -rf "$dest"
  mkdir -p "$dest"
  (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
     while IFS= read -r -d '' f; do if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi; done |
     tar --null --no-recursion -T - -cf -) | tar -xf - -C "$dest" || return 1
  git -C "$dest" init -q || return 1
  echo "$dest"
}

installed_copy() {
  # The built tarball installed afresh at $1/collections/ansible_collections/community/twilio by the ansible-galaxy
  # on PATH (the core's own: a clean install on every supported ansible-core), one per stage so that stages may
  # write into it side by side. Prints its path.
  rm -rf "$1/collections"
  mkdir -p "$1/collections"
  ansible-galaxy collection install --force -p "$1/collections" "$BUILD"/dist/community-twilio-*.tar.gz >/dev/null ||
    return 1
  echo "$1/collections/ansible_collections/community/twilio"
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
  # Starts the bundled emulator on a free port; exports EMULATOR_URL and default credentials.
  local out=$BUILD/emulator.out
  mkdir -p "$BUILD"
  # From PATH, else .venv's (a server: any venv's will do, and not every core's venv has one).
  "$(command -v twilio-proxy-emulator || echo "$ROOT/.venv/bin/twilio-proxy-emulator")" \
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

ansible_test_home() {
  # The HOME that ansible-test runs with for ansible-core $1: its cache of venvs (~/.ansible/test/venv) is one per
  # core, kept between runs, so that two cores' ansible-test processes never make the same venv at once.
  local dir=${ANSIBLE_TEST_HOMES:-${XDG_CACHE_HOME:-$HOME/.cache}/community.twilio/ansible-test}/$1
  mkdir -p "$dir" && echo "$dir"
}

prepare_ansible_test_offline() {
  # ansible-test bootstraps pip in every venv it makes with get-pip-<version>.py, downloaded from an Ansible CI host
  # that is not reachable everywhere, unless ~/.ansible/test/cache/get_pip_<version>.py is there already. This
  # writes that file (under $HOME), a stand-in that uses ensurepip and then PyPI (docs/testing.md), for each pip
  # version the ansible-test on PATH pins. The versions come from ansible-test itself: get_venv_packages(), the
  # function its bootstrap calls, asked for every Python it supports.
  local version
  for version in $(python - <<'PY'
import types

from ansible_test._internal.python_requirements import get_venv_packages
from ansible_test._util.target.common.constants import CONTROLLER_PYTHON_VERSIONS, REMOTE_ONLY_PYTHON_VERSIONS

for python_version in CONTROLLER_PYTHON_VERSIONS + REMOTE_ONLY_PYTHON_VERSIONS:
    print(get_venv_packages(types.SimpleNamespace(version=python_version))['pip'])
PY
  ); do
    write_get_pip_stand_in "$HOME/.ansible/test/cache/get_pip_${version//./_}.py"
  done
}

write_get_pip_stand_in() {
  mkdir -p "$(dirname "$1")"
  cat > "$1.tmp" <<'PY'
# Written by community.twilio scripts/lib.sh: an offline stand-in for get-pip.py (ensurepip, then PyPI).
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'])
subprocess.check_call([sys.executable, '-m', 'pip', 'install', '--disable-pip-version-check'] + args)
PY
  mv "$1.tmp" "$1"  # atomic: parallel stages may read it while another writes it
}

#!/usr/bin/env bash
# Sanity, unit and integration tests on every ansible-core the collection supports (meta/runtime.yml
# requires_ansible ">=2.19.0") that runs on this machine:  make matrix   (or scripts/matrix.sh [CORE ...])
#
#   ansible-core 2.19 on Python 3.11, 2.20 on Python 3.12, 2.21 on Python 3.13
#
# Each core gets its own virtualenv, .venv-matrix/<core>/ (requirements-dev.txt with the ansible-core pin
# overridden), and its own build directory, then runs `scripts/test.sh sanity units integration` in it, so the
# stages are exactly the ones `make test` runs. MATRIX_STAGES changes the stages; a core whose Python is missing
# fails the matrix (set MATRIX_CORES to run fewer on purpose). Prints how long each core took.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CORES=("$@")
[ ${#CORES[@]} -gt 0 ] || read -r -a CORES <<< "${MATRIX_CORES:-2.19 2.20 2.21}"
read -r -a MATRIX_STAGES <<< "${MATRIX_STAGES:-sanity units integration}"

python_for_core() {
  # The Python each core is tested on; the newest installed patch release of it (pyenv's real bin folders:
  # ansible-test does not work through pyenv shims), else pythonX.Y on PATH.
  local want candidate
  case $1 in
    2.19) want=3.11 ;;
    2.20) want=3.12 ;;
    2.21) want=3.13 ;;
    *) echo "no Python known for ansible-core $1" >&2; return 1 ;;
  esac
  candidate=$(ls -d "$HOME"/.pyenv/versions/"$want".*/bin/python 2>/dev/null | sort -V | tail -n 1)
  [ -n "$candidate" ] || candidate=$(command -v "python$want" 2>/dev/null) || true
  if [ -z "$candidate" ]; then
    echo "Python $want (for ansible-core $1) not found: install it or leave $1 out of MATRIX_CORES" >&2
    return 1
  fi
  echo "$candidate"
}

prepare_core_venv() {
  # .venv-matrix/<core>: the project's venv (ensure_venv) on the core's Python, with ansible-core <core>.*.
  local core=$1 python
  python=$(python_for_core "$core") || return 1
  (
    export VENV=$ROOT/.venv-matrix/$core PYTHON=$python
    ensure_venv
    if ! python -c "import ansible.release as r, sys; sys.exit(not r.__version__.startswith('$core.'))"; then
      log "installing ansible-core $core.* into $VENV"
      python -m pip install "ansible-core==$core.*"
    fi
  )
}

SUMMARY=()
FAILED=0
for core in "${CORES[@]}"; do
  start=$SECONDS
  log "ansible-core $core"
  if prepare_core_venv "$core" &&
     VENV=$ROOT/.venv-matrix/$core BUILD=$BUILD/matrix-$core "$ROOT/scripts/test.sh" "${MATRIX_STAGES[@]}"; then
    result=passed
  else
    result=FAILED
    FAILED=$((FAILED + 1))
  fi
  SUMMARY+=("$(printf 'ansible-core %-5s %s  %4ss' "$core" "$result" $((SECONDS - start)))")
done

log "matrix summary (${MATRIX_STAGES[*]})"
printf '%s\n' "${SUMMARY[@]}"
[ "$FAILED" -eq 0 ]

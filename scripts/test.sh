#!/usr/bin/env bash
# Every test of the project, in one command:  make test   (or scripts/test.sh [STAGE ...])
# Stages: lint emulator build docs sanity units integration system awx molecule matrix.
# With no argument, all but matrix (which re-runs sanity, units and integration on every other supported
# ansible-core; `make matrix`).
# Integration runs against the bundled emulator, or against Twilio when TWILIO_* credentials are set and
# TWILIO_PROXY_API_URL is not (see docs/testing.md).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STAGES=("$@")
[ ${#STAGES[@]} -gt 0 ] || STAGES=(lint emulator build docs sanity units integration system awx molecule)
PYVER=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)
SUMMARY=()
FAILED=0

stage() {
  local name=$1; shift
  local start=$SECONDS
  log "stage $name"
  if "$@"; then
    SUMMARY+=("$(printf '%-12s passed  %4ss' "$name" $((SECONDS - start)))")
  else
    SUMMARY+=("$(printf '%-12s FAILED  %4ss' "$name" $((SECONDS - start)))")
    FAILED=$((FAILED + 1))
  fi
}

run_lint() {
  (cd "$ROOT" && ansible-lint --profile production --offline -q) &&
  (cd "$ROOT" && antsibull-changelog lint)
}

run_emulator_tests() {
  (cd "$ROOT/emulator" && python -m pytest -q -p no:cacheprovider -n 2 tests)
}

run_build() {
  # Build the tarball, install it into a clean path, and read every module's docs from the installed copy.
  install_collection
  local m
  for m in "$COLLECTION_DIR"/plugins/modules/*.py; do
    m=$(basename "$m" .py)
    ansible-doc -t module "community.twilio.$m" >/dev/null || { echo "ansible-doc failed for $m"; return 1; }
  done
  ansible-doc -l community.twilio
}

run_sanity() {
  # Where the machine has every Python the module code supports (3.8-3.13) under pyenv, as the project's machines
  # do, each gets the compile and import tests; elsewhere only the Python of the venv does.
  prepare_ansible_test_offline
  local extra="" found=0 dir
  for dir in "$HOME"/.pyenv/versions/3.{8,9,10,11,12,13}.*/bin; do
    if [ -x "$dir/python3" ]; then extra="$extra$dir:"; found=$((found + 1)); fi
  done
  if [ "$found" -ge 6 ]; then
    (cd "$COLLECTION_DIR" && PATH="$VENV/bin:$extra$PATH" ansible-test sanity --venv --color no)
  else
    (cd "$COLLECTION_DIR" && ansible-test sanity --venv --python "$PYVER" --color no)
  fi
}

run_units() {
  prepare_ansible_test_offline
  (cd "$COLLECTION_DIR" && ansible-test units --venv --python "$PYVER" --color no)
}

write_integration_config() {
  local config=$COLLECTION_DIR/tests/integration/integration_config.yml
  local prefix="ci-$(date +%s)-$RANDOM"
  if use_real_twilio; then
    # Credentials stay in the environment (the modules read TWILIO_*); nothing secret is written to disk.
    printf 'twilio_emulator: false\ntwilio_prefix: %s\ntwilio_connection: {}\n' "$prefix" > "$config"
  else
    cat > "$config" <<YAML
twilio_emulator: true
twilio_api_url: $EMULATOR_URL
twilio_prefix: $prefix
twilio_connection:
  account_sid: $EMULATOR_ACCOUNT_SID
  auth_token: $EMULATOR_AUTH_TOKEN
  api_url: $EMULATOR_URL
YAML
  fi
}

run_integration() {
  if ! use_real_twilio; then start_emulator; fi
  write_integration_config
  (cd "$COLLECTION_DIR" && ansible-test integration --local --python "$PYVER" --color no ${INTEGRATION_TARGETS:-})
  local rc=$?
  stop_emulator
  return $rc
}

run_molecule() {
  (cd "$ROOT/extensions" && molecule test --all)
}

run_system() {
  # Whole-system tests through ansible-playbook processes: faults, retries, concurrency, bad input, secrets.
  (cd "$ROOT" && python -m pytest -q -p no:cacheprovider tests/system)
}

run_awx() {
  # The AWX / AAP path: execution environment build context, credential type, ansible-runner job.
  (cd "$ROOT" && python -m pytest -q -p no:cacheprovider tests/awx)
}

run_docs() {
  # Generated docs match the modules' DOCUMENTATION; antsibull's lint is clean (on the copy installed above).
  BUILD=$BUILD DOCS_REUSE_INSTALLED=1 "$ROOT/scripts/docs.sh" check
}

run_matrix() {
  "$ROOT/scripts/matrix.sh"
}

ensure_venv
PYVER=$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
install_collection  # always from the working tree: tests never run a stale copy
for s in "${STAGES[@]}"; do
  case $s in
    lint) stage lint run_lint ;;
    emulator) stage emulator run_emulator_tests ;;
    build) stage build run_build ;;
    sanity) stage sanity run_sanity ;;
    units) stage units run_units ;;
    integration) stage integration run_integration ;;
    molecule) stage molecule run_molecule ;;
    system) stage system run_system ;;
    awx) stage awx run_awx ;;
    docs) stage docs run_docs ;;
    matrix) stage matrix run_matrix ;;
    *) echo "unknown stage $s"; exit 2 ;;
  esac
done

log "summary"
printf '%s\n' "${SUMMARY[@]}"
passed=$(( ${#SUMMARY[@]} - FAILED ))
printf 'stages: %d passed, %d failed\n' "$passed" "$FAILED"
[ "$FAILED" -eq 0 ]

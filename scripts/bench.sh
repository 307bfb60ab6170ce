#!/usr/bin/env bash
# The benchmarks, in one command:  make bench   (or scripts/bench.sh [requests floor scale emulator memory])
# Installs the collection from the working tree, starts the bundled emulator, runs bench/run.py, prints one table
# and (when every section ran) writes it with the machine, versions and method to docs/benchmarks.md.
# Figures only: nothing here passes or fails on a timing. Knobs: BENCH_LOOP, BENCH_RUNS, ... (docs/benchmarks.md).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_venv
install_collection
# Inventory for the scale section: a Service's pool holds at most 5,000 reserved + 500 unreserved numbers.
start_emulator --numbers 6000
export EMULATOR_URL EMULATOR_PID EMULATOR_ACCOUNT_SID EMULATOR_AUTH_TOKEN BUILD
log "benchmarks against $EMULATOR_URL"
python "$ROOT/bench/run.py" "$@"

#!/usr/bin/env bash
# scripts/integration.sh TREE [ansible-test arguments]: ansible-test integration --local in TREE (the collection laid
# out by antsibull-nox as ansible_collections/community/twilio), run by the integration-<core> sessions of
# noxfile.py in the core's venv. Every target (new ones are picked up by themselves), or INTEGRATION_TARGETS, or the
# arguments. Against the bundled emulator, or against Twilio when TWILIO_* credentials are set and
# TWILIO_PROXY_API_URL is not (docs/testing.md). TWILIO_ALL_CASES=false (the cores between the oldest and the newest)
# leaves out the targets with the alias `heavy` and the task files of twilio_all_cases.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

tree=${1:?usage: scripts/integration.sh TREE [ansible-test arguments]}
shift
all_cases=${TWILIO_ALL_CASES:-true}

write_integration_config() {
  # The targets' variables (tests/integration/integration_config.yml).
  local config=$tree/tests/integration/integration_config.yml prefix
  prefix="ci-$(date +%s)-$RANDOM"
  if use_real_twilio; then
    # Credentials stay in the environment (the modules read TWILIO_*); nothing secret is written to disk.
    printf 'twilio_emulator: false\ntwilio_all_cases: %s\ntwilio_prefix: %s\ntwilio_connection: {}\n' \
      "$all_cases" "$prefix" > "$config"
  else
    cat > "$config" <<YAML
twilio_emulator: true
twilio_all_cases: $all_cases
twilio_api_url: $EMULATOR_URL
twilio_prefix: $prefix
twilio_connection:
  account_sid: $EMULATOR_ACCOUNT_SID
  auth_token: $EMULATOR_AUTH_TOKEN
  api_url: $EMULATOR_URL
YAML
  fi
}

print_target_times() {
  # Where the time went: each target's run time, as ansible-test recorded it (tests/output/data), longest first.
  python - "$tree"/tests/output/data <<'PY'
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

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then read -r -a targets <<< "${INTEGRATION_TARGETS:-}"; fi
# ansible-test refuses an --exclude that matches no target; `heavy` is a group alias, known to it as heavy/.
if [ "$all_cases" != true ] && [ ${#targets[@]} -eq 0 ] && grep -qx heavy "$tree"/tests/integration/targets/*/aliases
then
  targets=(--exclude heavy/)
fi
python -c 'from importlib.metadata import version as v; import platform
print("ansible-core %s, twilio %s, Python %s" % (v("ansible-core"), v("twilio"), platform.python_version()))'
if ! use_real_twilio; then start_emulator; fi
write_integration_config
rc=0
python_version=$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
(cd "$tree" && ansible-test integration --local --python "$python_version" --color no \
   ${targets[@]+"${targets[@]}"}) || rc=$?
stop_emulator
print_target_times
exit $rc

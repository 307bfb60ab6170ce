#!/usr/bin/env bash
# The estate playbooks and role, run the way users run them: `ansible-playbook community.twilio.export_estate`
# and `community.twilio.converge_estate` (started by the tasks of estate.yml), and the role by include_role.
# A script target gets no vars file from ansible-test: the integration config (emulator address, prefix,
# connection) is passed here, as the role targets get it.
set -eux
export ANSIBLE_ROLES_PATH=.. ANSIBLE_PIPELINING=true
config=../../integration_config.yml
ansible-playbook estate.yml -i "${INVENTORY_PATH}" -e "estate_test_dir=${OUTPUT_DIR}" -e "@${config}" "$@"

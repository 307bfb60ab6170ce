#!/usr/bin/env bash
# The grow_pool playbook, run the way users run it: `ansible-playbook community.twilio.grow_pool` (started by the
# tasks of grow.yml). A script target gets no vars file from ansible-test: the integration config is passed here.
set -eux
export ANSIBLE_ROLES_PATH=.. ANSIBLE_PIPELINING=true
config=../../integration_config.yml
ansible-playbook grow.yml -i "${INVENTORY_PATH}" -e "@${config}" "$@"

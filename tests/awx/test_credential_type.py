"""The Twilio credential type: a definition AWX accepts, injectors that cover every credential option the modules
read, rendered exactly as AWX renders them, and an environment the modules accept (and refuse when wrong)."""

import re
import sys

import pytest
from jinja2 import Environment, meta

from conftest import (DEFAULT_ACCOUNT_SID, DEFAULT_API_KEY, DEFAULT_API_SECRET, DEFAULT_AUTH_TOKEN, SECRETS,
                      api_key_inputs, events_of, installed_collection, render_injectors, run_job, secret_places,
                      token_inputs)

# AWX: field ids and env var names are identifiers; these variables can never be set by a credential.
IDENTIFIER = re.compile(r'^[a-zA-Z_][a-zA-Z0-9_]*$')
AWX_ENV_BLOCKLIST = {'VIRTUAL_ENV', 'PATH', 'PYTHONPATH', 'JOB_ID', 'INVENTORY_ID', 'INVENTORY_SOURCE_ID',
                     'INVENTORY_UPDATE_ID', 'AD_HOC_COMMAND_ID', 'REST_API_URL', 'REST_API_TOKEN', 'MAX_EVENT_RES',
                     'CALLBACK_QUEUE', 'CALLBACK_CONNECTION', 'CACHE', 'JOB_CALLBACK_DEBUG', 'INVENTORY_HOSTVARS',
                     'AWX_HOST', 'PROJECT_REVISION', 'SUPERVISOR_CONFIG_PATH'}
# Per-run tuning, not part of a credential: set in the job template's environment if needed.
TUNING_OPTIONS = {'timeout', 'max_retries', 'max_retry_time'}


def connection_options():
    """The modules' connection options, and the variables the client reads the credentials from."""
    base, dummy = installed_collection()
    sys.path.insert(0, str(base))
    try:
        from ansible_collections.community.twilio.plugins.module_utils._connection import (
            CREDENTIAL_ENV, connection_argument_spec)
    finally:
        sys.path.remove(str(base))
    return connection_argument_spec(), CREDENTIAL_ENV


def field_of(credential_type, env_var):
    """The input field an env injector renders (each injector is exactly `{{ field }}`)."""
    template = credential_type['injectors']['env'][env_var]
    match = re.fullmatch(r'\{\{ (\w+) \}\}', template)
    assert match, '%s: %r is not a plain field reference' % (env_var, template)
    return next(f for f in credential_type['inputs']['fields'] if f['id'] == match.group(1))


def test_definition_is_one_awx_accepts(credential_type):
    assert credential_type['name'] == 'Twilio'
    assert credential_type['kind'] in ('cloud', 'net')  # the kinds AWX allows for custom credential types
    fields = credential_type['inputs']['fields']
    ids = [f['id'] for f in fields]
    assert len(ids) == len(set(ids)) and all(IDENTIFIER.match(i) for i in ids)
    for field in fields:
        assert set(field) <= {'id', 'label', 'type', 'secret', 'help_text', 'multiline', 'format', 'choices',
                              'default', 'ask_at_runtime'}, field
        assert field['type'] in ('string', 'boolean') and field['label']
    assert set(credential_type['inputs']['required']) <= set(ids)
    assert set(credential_type['injectors']) == {'env'}
    for var, template in credential_type['injectors']['env'].items():
        assert IDENTIFIER.match(var) and var not in AWX_ENV_BLOCKLIST and not var.startswith('ANSIBLE_')
        # AWX refuses injectors that name a variable which is not an input field
        assert meta.find_undeclared_variables(Environment().parse(template)) <= set(ids) | {'tower'}, var


def test_every_credential_option_of_the_modules_is_injected(credential_type):
    spec, credential_env = connection_options()
    credential_vars = {}
    for option, settings in spec.items():
        # the credentials are read from the environment by the client itself (as a set), the rest by env_fallback
        if option in TUNING_OPTIONS or not (option in credential_env or 'fallback' in settings):
            continue
        env_var = credential_env.get(option) or settings['fallback'][1][0]
        credential_vars[env_var] = option
        field = field_of(credential_type, env_var)
        # a value the modules never log must be a secret field, which AWX encrypts and never shows
        assert bool(field.get('secret')) == bool(settings.get('no_log')), (option, field)
    assert set(credential_vars) == set(credential_type['injectors']['env'])
    assert set(credential_vars) == {'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_API_KEY', 'TWILIO_API_SECRET',
                                    'TWILIO_REGION', 'TWILIO_EDGE', 'TWILIO_PROXY_API_URL'}


def test_rendering_as_awx_does(credential_type):
    assert render_injectors(credential_type, dict(account_sid=DEFAULT_ACCOUNT_SID, auth_token=DEFAULT_AUTH_TOKEN,
                                                  api_key='', region='')) == {
        'TWILIO_ACCOUNT_SID': DEFAULT_ACCOUNT_SID, 'TWILIO_AUTH_TOKEN': DEFAULT_AUTH_TOKEN, 'TWILIO_API_KEY': '',
        'TWILIO_API_SECRET': '', 'TWILIO_REGION': '', 'TWILIO_EDGE': '', 'TWILIO_PROXY_API_URL': ''}
    assert render_injectors(credential_type, api_key_inputs('http://127.0.0.1:8080')) == {
        'TWILIO_ACCOUNT_SID': DEFAULT_ACCOUNT_SID, 'TWILIO_AUTH_TOKEN': '', 'TWILIO_API_KEY': DEFAULT_API_KEY,
        'TWILIO_API_SECRET': DEFAULT_API_SECRET, 'TWILIO_REGION': 'ie1', 'TWILIO_EDGE': 'dublin',
        'TWILIO_PROXY_API_URL': 'http://127.0.0.1:8080'}


@pytest.mark.parametrize('inputs', [token_inputs, api_key_inputs], ids=['auth-token', 'api-key-region-edge'])
def test_modules_accept_the_injected_environment(credential_type, fresh_emulator, tmp_path, inputs):
    env = render_injectors(credential_type, inputs(fresh_emulator.url))
    assert '' in env.values()  # the empty optional inputs are set, as AWX sets them: the modules ignore them
    runner = run_job(tmp_path, env, host_pattern='localhost', module='community.twilio.proxy_service',
                     module_args='unique_name=awx-credential default_ttl=60')
    assert runner.status == 'successful', runner.stdout.read()
    (ok,) = events_of(runner, 'runner_on_ok')
    assert ok['event_data']['res']['changed'] is True
    assert ok['event_data']['res']['service']['unique_name'] == 'awx-credential'
    assert [(r['method'], r['path'], r['status']) for r in fresh_emulator.requests()][-1] == (
        'POST', '/v1/Services', 201)
    assert secret_places(runner) == []


def test_a_wrong_secret_fails_readably_and_is_not_shown(credential_type, fresh_emulator, tmp_path):
    wrong = 'wrongtoken' + DEFAULT_AUTH_TOKEN[10:]
    env = render_injectors(credential_type, dict(token_inputs(fresh_emulator.url), auth_token=wrong))
    runner = run_job(tmp_path, env, host_pattern='localhost', module='community.twilio.proxy_service_info')
    assert runner.status == 'failed'
    (failed,) = events_of(runner, 'runner_on_failed')
    assert 'Twilio error 20003 (HTTP 401)' in failed['event_data']['res']['msg']
    assert secret_places(runner, SECRETS + (wrong,)) == []

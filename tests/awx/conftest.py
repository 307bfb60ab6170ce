"""The AWX / AAP path of community.twilio: what AWX does to a job, done here with the same pieces.

- the credential type's injectors are rendered the way AWX renders them (``CredentialType.inject_credential``:
  a Jinja ``ImmutableSandboxedEnvironment`` over the inputs, empty inputs left out of the namespace);
- jobs run through ``ansible_runner.run()`` (AWX's executor) with that environment and AWX's default of not writing
  env files (``AWX_RUNNER_OMIT_ENV_FILES``);
- against the bundled emulator, started by the same helper the many-hosts example uses.

Run with ``make awx`` (the nox session installs the collection and exports ANSIBLE_COLLECTIONS_PATH).
"""

import importlib.util
import itertools
import json
import os
import pathlib
import sys
import types

import ansible_runner
import pytest
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

from twilio_proxy_emulator import DEFAULT_ACCOUNT_SID, DEFAULT_API_KEY, DEFAULT_API_SECRET, DEFAULT_AUTH_TOKEN

ROOT = pathlib.Path(__file__).resolve().parents[2]
CREDENTIAL_TYPE_FILE = ROOT / 'extensions' / 'awx' / 'twilio_credential_type.yml'
MANY_HOSTS = ROOT / 'examples' / 'many_hosts'
SECRETS = (DEFAULT_AUTH_TOKEN, DEFAULT_API_SECRET)
BIN = pathlib.Path(sys.executable).parent


def _load_many_hosts_example():
    spec = importlib.util.spec_from_file_location('many_hosts_run', MANY_HOSTS / 'run.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


many_hosts = _load_many_hosts_example()


def installed_collection():
    """The collection as the awx session installed it (ANSIBLE_COLLECTIONS_PATH), never the work tree."""
    for base in os.environ.get('ANSIBLE_COLLECTIONS_PATH', '').split(os.pathsep):
        path = pathlib.Path(base) / 'ansible_collections' / 'community' / 'twilio'
        if base and (path / 'MANIFEST.json').is_file():
            return pathlib.Path(base), path
    pytest.fail('community.twilio is not installed where ANSIBLE_COLLECTIONS_PATH points: '
                'run these tests with `make awx`')


@pytest.fixture(scope='session')
def credential_type():
    return yaml.safe_load(CREDENTIAL_TYPE_FILE.read_text())


def render_injectors(credential_type, inputs):
    """The environment AWX injects for a credential of this type with these inputs.

    As AWX's CredentialType.inject_credential: only non-empty inputs enter the template namespace (so an empty
    optional field renders as ""), booleans always do, a missing boolean field is False, and every env injector
    is rendered with jinja2's ImmutableSandboxedEnvironment.
    """
    namespace = {'tower': types.SimpleNamespace(filename=None)}
    for name, value in inputs.items():
        if isinstance(value, bool) or len(value):
            namespace[name] = value
    for field in credential_type['inputs']['fields']:
        if field['type'] == 'boolean' and field['id'] not in inputs:
            namespace[field['id']] = False
    sandbox = ImmutableSandboxedEnvironment()
    return {var: sandbox.from_string(template).render(**namespace)
            for var, template in credential_type['injectors']['env'].items()}


def token_inputs(api_url):
    return dict(account_sid=DEFAULT_ACCOUNT_SID, auth_token=DEFAULT_AUTH_TOKEN, api_url=api_url)


def api_key_inputs(api_url):
    return dict(account_sid=DEFAULT_ACCOUNT_SID, api_key=DEFAULT_API_KEY, api_secret=DEFAULT_API_SECRET,
                region='ie1', edge='dublin', api_url=api_url)


@pytest.fixture(scope='session')
def emulator():
    with many_hosts.Emulator() as running:
        yield running


@pytest.fixture
def fresh_emulator(emulator):
    emulator.control('reset', {}, method='POST')
    return emulator


@pytest.fixture(autouse=True)
def no_ambient_credentials(monkeypatch):
    """Only the injected environment may carry credentials: runner starts from os.environ."""
    for name in list(os.environ):
        if name.startswith('TWILIO_'):
            monkeypatch.delenv(name)
    monkeypatch.setenv('PATH', '%s%s%s' % (BIN, os.pathsep, os.environ.get('PATH', '')))
    installed_collection()


LOCAL_INVENTORY = 'localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable
_job_numbers = itertools.count(1)


def run_job(tmp_path, env, **kwargs):
    """One job through ansible-runner, configured as AWX runs it; returns the Runner."""
    private = tmp_path / ('job-%d' % next(_job_numbers))
    private.mkdir()
    kwargs.setdefault('inventory', LOCAL_INVENTORY)
    runner = ansible_runner.run(private_data_dir=str(private), envvars=dict(env, ANSIBLE_NOCOLOR='1'),
                                suppress_env_files=True, quiet=True, **kwargs)
    runner.private_dir = private
    return runner


def events_of(runner, event):
    return [e for e in runner.events if e['event'] == event]


def twilio_task_results(runner):
    """(task name, host, changed) of every finished task of a community.twilio module."""
    return [(e['event_data']['task'], e['event_data']['host'], e['event_data']['res'].get('changed'))
            for e in runner.events
            if e['event'] in ('runner_on_ok', 'runner_on_failed')
            and e['event_data'].get('resolved_action', e['event_data'].get('task_action', '')).startswith(
                'community.twilio.')]


def secret_places(runner, secrets=SECRETS):
    """Every place in the job's events, stdout and artifacts where one of the secrets appears.

    The one exception is ansible-runner's own ``artifacts/<ident>/command`` record of the process environment
    (written mode 0600 whatever suppress_env_files says): there the secret may only be the value of the variable
    it was injected as, never on the command line. Everything else is a leak.
    """
    found = []
    for event in runner.events:
        text = json.dumps(event)
        found += ['event %s (%s)' % (event.get('counter'), event['event']) for s in secrets if s in text]
    stdout = runner.stdout.read()
    found += ['stdout' for s in secrets if s in stdout]
    for path in sorted((runner.private_dir / 'artifacts').rglob('*')):
        if not path.is_file():
            continue
        text = path.read_text(errors='replace')
        if path.name == 'command':
            record = json.loads(text)
            found += ['command line' for s in secrets if s in json.dumps(record['command'])]
            found += ['command env %s' % k for k, v in record['env'].items()
                      if any(s in v for s in secrets) and k not in ('TWILIO_AUTH_TOKEN', 'TWILIO_API_SECRET')]
            assert path.stat().st_mode & 0o077 == 0, 'the runner command record is readable by others'
            continue
        found += [str(path.relative_to(runner.private_dir)) for s in secrets if s in text]
    return found

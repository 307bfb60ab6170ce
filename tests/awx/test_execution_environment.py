"""The execution environment: `ansible-builder create` gives a build context that carries the collection, the
Twilio SDK requirement and the system requirements; the context's own galaxy step installs the collection, and
the builder's introspection finds the collection's requirements through meta/execution-environment.yml.

Building the image needs Podman or Docker; the steps that need neither are run here as the Containerfile runs them.
"""

import json
import re
import subprocess

import pytest
import yaml
from bindep.depends import Depends
from packaging.requirements import Requirement

from conftest import BIN, ROOT


def requirements(text):
    return [Requirement(line.split('#')[0].strip()) for line in text.splitlines()
            if line.split('#')[0].strip() and not line.startswith('-')]


@pytest.fixture(scope='module')
def context(tmp_path_factory):
    path = tmp_path_factory.mktemp('ee') / 'context'
    done = subprocess.run([str(BIN / 'ansible-builder'), 'create', '-f', str(ROOT / 'execution-environment.yml'),
                           '-c', str(path), '--output-filename', 'Containerfile'],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return path


def test_build_context_has_containerfile_sdk_and_bindep(context):
    containerfile = (context / 'Containerfile').read_text()
    assert 'FROM $EE_BASE_IMAGE AS base' in containerfile
    # ansible-core 2.19 needs Python 3.11+: the EE installs one and uses it everywhere
    assert re.search(r'^ARG PYCMD="/usr/bin/python3\.1[1-9]"$', containerfile, re.M), containerfile
    assert re.search(r'^ARG ANSIBLE_INSTALL_REFS=".*ansible-core>=2\.19,<2\.20.*ansible-runner', containerfile, re.M)

    # the Twilio SDK, as the collection requires it
    carried = requirements((context / '_build' / 'requirements.txt').read_text())
    wanted = requirements((ROOT / 'requirements.txt').read_text())
    assert [str(r) for r in carried if r.name == 'twilio'] == [str(r) for r in wanted if r.name == 'twilio'] != []
    assert 'COPY _build/requirements.txt requirements.txt' in containerfile

    # the system requirements, parseable by bindep; only build tools, and only in the compile profile
    bindep_text = (context / '_build' / 'bindep.txt').read_text()
    assert bindep_text == (ROOT / 'bindep.txt').read_text()
    depends = Depends(bindep_text)
    assert depends.profiles() == ['compile']
    assert [rule[0] for rule in depends.active_rules(['compile', 'platform:rpm', 'platform:redhat'])] == [
        'gcc', 'python3-devel']
    assert [rule[0] for rule in depends.active_rules(['default', 'platform:rpm', 'platform:redhat'])] == []
    assert 'COPY _build/bindep.txt bindep.txt' in containerfile


def test_galaxy_stage_installs_the_collection_from_the_context(context, tmp_path):
    """Run the Containerfile's own collection install line inside _build, as the galaxy stage does."""
    containerfile = (context / 'Containerfile').read_text()
    line = re.search(r'^RUN (ANSIBLE_GALAXY_DISABLE_GPG_VERIFY=1 ansible-galaxy collection install .*)$',
                     containerfile, re.M).group(1)
    assert '-r requirements.yml' in line
    wanted = yaml.safe_load((context / '_build' / 'requirements.yml').read_text())
    assert [c['name'] for c in wanted['collections']] == ['src/community.twilio']

    target = tmp_path / 'collections'
    done = subprocess.run(
        [str(BIN / 'ansible-galaxy'), 'collection', 'install', '-r', 'requirements.yml', '--collections-path',
         str(target)], cwd=context / '_build', capture_output=True, text=True, timeout=120,
        env={'ANSIBLE_GALAXY_DISABLE_GPG_VERIFY': '1', 'PATH': str(BIN), 'HOME': str(tmp_path)})
    assert done.returncode == 0, done.stdout + done.stderr

    installed = target / 'ansible_collections' / 'community' / 'twilio'
    manifest = json.loads((installed / 'MANIFEST.json').read_text())['collection_info']
    galaxy = yaml.safe_load((ROOT / 'galaxy.yml').read_text())
    assert (manifest['namespace'], manifest['name'], manifest['version']) == ('community', 'twilio',
                                                                              galaxy['version'])
    modules = sorted(p.name for p in (ROOT / 'plugins' / 'modules').glob('*.py'))
    assert sorted(p.name for p in (installed / 'plugins' / 'modules').glob('*.py')) == modules
    assert (installed / 'extensions' / 'awx' / 'twilio_credential_type.yml').is_file()
    assert not list(installed.rglob('__pycache__')), 'build_ignore was not applied'

    # The builder stage: introspection over the installed collections finds the collection's own requirements
    # through its meta/execution-environment.yml (what happens for users who pull it from Galaxy).
    (tmp_path / 'none.txt').write_text('')
    done = subprocess.run(
        [str(BIN / 'python'), str(context / '_build' / 'scripts' / 'introspect.py'), 'introspect', str(target),
         '--user-pip', str(tmp_path / 'none.txt'), '--user-bindep', str(tmp_path / 'none.txt')],
        capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    found = yaml.safe_load(done.stdout)
    twilio = next(str(r) for r in requirements((ROOT / 'requirements.txt').read_text()) if r.name == 'twilio')
    assert [str(requirements(line)[0]) for line in found['python']
            if line.endswith('# from collection community.twilio')] == [twilio]
    assert 'gcc [compile platform:rpm]  # from collection community.twilio' in found['system']

"""The execution environments: for each definition (execution-environment.yml, which installs ansible-core 2.19
on UBI 9, and execution-environment-aap25.yml, on AAP 2.5's minimal image with its ansible-core 2.16),
`ansible-builder create` gives a build context that carries the collection, the Twilio SDK requirement and the
system requirements; the context's own galaxy step installs the collection, and
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


# What each definition must give: its base image, the Python its Containerfile uses, what it installs of
# ansible-core and ansible-runner (nothing on AAP's image, which has both), its package manager.
DEFINITIONS = {
    'execution-environment.yml': dict(
        base='docker.io/redhat/ubi9:latest', pycmd=r'/usr/bin/python3\.1[1-9]',
        install_refs=r'.*ansible-core>=2\.19,<2\.20.*ansible-runner.*', pkgmgr='/usr/bin/dnf'),
    'execution-environment-aap25.yml': dict(
        base='registry.redhat.io/ansible-automation-platform-25/ee-minimal-rhel9:latest',
        pycmd=r'/usr/bin/python3\.11', install_refs=None, pkgmgr='/usr/bin/microdnf'),
}


@pytest.fixture(scope='module', params=sorted(DEFINITIONS))
def definition(request):
    return request.param


@pytest.fixture(scope='module')
def context(tmp_path_factory, definition):
    path = tmp_path_factory.mktemp('ee') / 'context'
    done = subprocess.run([str(BIN / 'ansible-builder'), 'create', '-f', str(ROOT / definition),
                           '-c', str(path), '--output-filename', 'Containerfile'],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return path


def test_every_definition_is_tested():
    assert sorted(p.name for p in ROOT.glob('execution-environment*.yml')) == sorted(DEFINITIONS)


def test_build_context_has_containerfile_sdk_and_bindep(context, definition):
    containerfile = (context / 'Containerfile').read_text()
    wanted_image = DEFINITIONS[definition]
    assert 'FROM $EE_BASE_IMAGE AS base' in containerfile
    assert 'ARG EE_BASE_IMAGE="%s"' % wanted_image['base'] in containerfile
    # ansible-core 2.16 to 2.21 need Python 3.10+ (2.19 3.11+): the EE uses one Python everywhere
    assert re.search(r'^ARG PYCMD="%s"$' % wanted_image['pycmd'], containerfile, re.M), containerfile
    assert 'ARG PKGMGR="%s"' % wanted_image['pkgmgr'] in containerfile
    refs = re.search(r'^ARG ANSIBLE_INSTALL_REFS="(.*)"$', containerfile, re.M)
    if wanted_image['install_refs'] is None:
        assert refs is None, 'the image brings its own ansible-core and ansible-runner'
        assert 'RUN /output/scripts/check_ansible $PYCMD' in containerfile
    else:
        assert re.match(wanted_image['install_refs'], refs.group(1)), refs.group(1)

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
         str(target)], cwd=context / '_build', capture_output=True, text=True, timeout=120, check=False,
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
        capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    found = yaml.safe_load(done.stdout)
    twilio = next(str(r) for r in requirements((ROOT / 'requirements.txt').read_text()) if r.name == 'twilio')
    assert [str(requirements(line)[0]) for line in found['python']
            if line.endswith('# from collection community.twilio')] == [twilio]
    assert 'gcc [compile platform:rpm]  # from collection community.twilio' in found['system']

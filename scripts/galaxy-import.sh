#!/usr/bin/env bash
# scripts/galaxy-import.sh TARBALL - run Galaxy's importer (galaxy-importer, pinned in requirements-galaxy.txt) on a
# built release tarball, as Galaxy does on upload, with ansible-doc and ansible-lint on; exit non-zero on any error
# or warning it reports (it exits 0 on most of them: a module whose documentation does not parse is only logged).
# It runs the galaxy-importer of the Python on PATH: `make galaxy` (the nox session galaxy) installs
# requirements-galaxy.txt into a venv of its own, builds the tarball and calls this script with it.
set -euo pipefail

tarball=${1:?usage: scripts/galaxy-import.sh TARBALL}
[ -f "$tarball" ] || { echo "galaxy-import: no such file: $tarball" >&2; exit 2; }
tarball=$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")
export PIP_DISABLE_PIP_VERSION_CHECK=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/galaxy-importer.cfg" <<'CFG'
[galaxy-importer]
RUN_ANSIBLE_DOC = True
RUN_ANSIBLE_LINT = True
RUN_ANSIBLE_TEST = False
RUN_FLAKE8 = False
LOG_LEVEL_MAIN = INFO
CFG

# The session venv's ansible-doc and ansible-lint (the importer calls them by name, from PATH), and none of the
# caller's Ansible settings: the importer must see the tarball as Galaxy does.
status=0
(cd "$work" && env -u ANSIBLE_COLLECTIONS_PATH -u ANSIBLE_COLLECTIONS_PATHS -u ANSIBLE_CONFIG \
   GALAXY_IMPORTER_CONFIG="$work/galaxy-importer.cfg" HOME="$work" \
   python -m galaxy_importer.main "$tarball") > "$work/import.log" 2>&1 || status=$?
cat "$work/import.log"
echo
problems=$(grep -E -i '^(error|warning|critical)\b|traceback|\[(error|warning)\]' "$work/import.log" || true)
if [ "$status" -ne 0 ] || [ -n "$problems" ] || ! grep -q 'Importer processing completed successfully' "$work/import.log"; then
  echo "galaxy-import: FAILED (exit status $status; errors or warnings above)" >&2
  exit 1
fi
echo "galaxy-import: $(basename "$tarball") passes Galaxy's importer with no error and no warning"

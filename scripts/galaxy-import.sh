#!/usr/bin/env bash
# scripts/galaxy-import.sh TARBALL - run Galaxy's importer (galaxy-importer, pinned in requirements-galaxy.txt) on a
# built release tarball, as Galaxy does on upload, with ansible-doc and ansible-lint on; exit non-zero on any error
# or warning it reports (it exits 0 on most of them: a module whose documentation does not parse is only logged).
# Its venv is $GALAXY_VENV (default .venv-galaxy in the work tree), made or updated when requirements-galaxy.txt
# changes. Typical use, after `ansible-galaxy collection build --output-path DIR`:
#   scripts/galaxy-import.sh DIR/community-twilio-X.Y.Z.tar.gz
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tarball=${1:?usage: scripts/galaxy-import.sh TARBALL}
[ -f "$tarball" ] || { echo "galaxy-import: no such file: $tarball" >&2; exit 2; }
tarball=$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")
VENV=${GALAXY_VENV:-$ROOT/.venv-galaxy}
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_QUIET=${PIP_QUIET:-1}

want=$(sha256sum "$ROOT/requirements-galaxy.txt" | cut -c1-16)
stamp=$VENV/.community-twilio-stamp
(
  flock 8  # one installer at a time
  if [ ! -x "$VENV/bin/python" ]; then
    python=${PYTHON:-}
    if [ -z "$python" ]; then
      for candidate in python3.11 python3.12 python3.13 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
           "$candidate" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 14))' 2>/dev/null; then
          python=$candidate; break
        fi
      done
    fi
    [ -n "$python" ] || { echo "galaxy-import: Python 3.11, 3.12 or 3.13 is required (set PYTHON)" >&2; exit 2; }
    "$python" -m venv "$VENV"
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    "$VENV/bin/python" -m pip install -r "$ROOT/requirements-galaxy.txt" && echo "$want" > "$stamp"
  fi
) 8>"$VENV.lock"

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

# The venv's ansible-doc and ansible-lint (the importer calls them by name), and none of the caller's Ansible
# settings: the importer must see the tarball as Galaxy does.
status=0
(cd "$work" && env -u ANSIBLE_COLLECTIONS_PATH -u ANSIBLE_COLLECTIONS_PATHS -u ANSIBLE_CONFIG \
   GALAXY_IMPORTER_CONFIG="$work/galaxy-importer.cfg" PATH="$VENV/bin:$PATH" HOME="$work" \
   "$VENV/bin/python" -m galaxy_importer.main "$tarball") > "$work/import.log" 2>&1 || status=$?
cat "$work/import.log"
echo
problems=$(grep -E -i '^(error|warning|critical)\b|traceback|\[(error|warning)\]' "$work/import.log" || true)
if [ "$status" -ne 0 ] || [ -n "$problems" ] || ! grep -q 'Importer processing completed successfully' "$work/import.log"; then
  echo "galaxy-import: FAILED (exit status $status; errors or warnings above)" >&2
  exit 1
fi
echo "galaxy-import: $(basename "$tarball") passes Galaxy's importer with no error and no warning"

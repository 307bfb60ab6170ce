#!/usr/bin/env bash
# Module documentation, generated from the modules' own DOCUMENTATION/EXAMPLES/RETURN by antsibull-docs, and the
# estate role's specification and option lists, generated from the modules' argument specs by scripts/role_spec.py.
#
#   scripts/docs.sh generate   rewrite docs/modules/ and the role's generated files from the installed collection
#                              (run after changing a module's docs or scripts/role_spec.yml)
#   scripts/docs.sh check      fail when docs/modules/ or a generated file of the role is stale, when the export
#                              misses a field of the model, or when antsibull-docs' linter finds a problem
#                              (`make docs`, the nox session docs, runs this)
#
# The format is antsibull-docs' "simplified-rst": plain reStructuredText files that GitHub renders, one per module
# plus an index.rst, without a generator version or date in them, so that the same code always gives the same bytes.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DOCS_DIR=$ROOT/docs/modules

generate_into() {
  # Write the docs of the collection installed in $COLLECTIONS into $1 (emptied first).
  local dest=$1
  rm -rf "$dest"
  mkdir -p "$dest"
  # From outside the work tree: antsibull-docs must read the installed copy, not an adjacent checkout.
  (cd "$BUILD" && antsibull-docs collection --use-current --fail-on-error \
      --output-format simplified-rst --squash-hierarchy --no-add-antsibull-docs-version \
      --dest-dir "$dest" community.twilio >/dev/null)
}

cmd_generate() {
  # The role's files first (from the modules' docs), then the docs of a copy installed with them.
  python "$ROOT/scripts/role_spec.py" generate
  install_collection
  generate_into "$DOCS_DIR"
  log "wrote $(find "$DOCS_DIR" -type f | wc -l) files into ${DOCS_DIR#"$ROOT"/}"
}

cmd_check() {
  local fresh=$BUILD/docs-check rc=0
  log "regenerating the module docs and comparing them with docs/modules/"
  generate_into "$fresh"
  if ! diff -ru "$DOCS_DIR" "$fresh"; then
    echo "docs/modules/ is stale: run scripts/docs.sh generate and commit the result" >&2
    rc=1
  fi
  log "regenerating the estate role's specification and option lists and comparing them (scripts/role_spec.py)"
  python "$ROOT/scripts/role_spec.py" check || rc=1
  log "antsibull-docs lint-collection-docs --plugin-docs"
  (cd "$COLLECTION_DIR" && antsibull-docs lint-collection-docs --plugin-docs .) || rc=1
  return $rc
}

case ${1:-} in
  generate|check)
    ensure_venv
    install_collection
    "cmd_$1"
    ;;
  *)
    echo "usage: $0 generate|check" >&2
    exit 2
    ;;
esac

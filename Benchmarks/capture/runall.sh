#!/bin/bash
# Run cases one after the other with a set's run_case.py.
# usage: runall.sh SET_DIR CASE...   e.g. runall.sh captured-4 01-cli-models 02-...
# SET_DIR holds run_case.py (captured-3, captured-4, captured-5); specs are read from
# ${CAPTURE_SET_WORK:-SET_DIR}/specs/CASE.json. PYTHON: the CPython 3.11 the venvs were made from (default python3).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
set_dir="$here/$1"; shift
specs="${CAPTURE_SET_WORK:-$set_dir}/specs"
for s in "$@"; do
  echo "=== $s $(date +%T)"
  timeout 900 "${PYTHON:-python3}" "$set_dir/run_case.py" "$specs/$s.json" 2>&1 | tail -3
done
echo ALLDONE

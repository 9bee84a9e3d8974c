#!/usr/bin/env bash
# Runs every Tests/interop/test_*.py with the venv's python; each script exits non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
: "${PYTHON:?}" "${CASCADE:?}"
export CASCADE=$(realpath "$CASCADE")
pass=0; fail=0
for t in Tests/interop/test_*.py; do
  [ -e "$t" ] || continue
  if "$PYTHON" "$t"; then echo "PASS $t"; pass=$((pass+1)); else echo "FAIL $t"; fail=$((fail+1)); fi
done
echo "interop: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]

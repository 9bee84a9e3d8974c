#!/usr/bin/env bash
# Creates .build/venv with the Python packages used as oracles in tests (never at run time).
set -euo pipefail
venv=${VENV:-.build/venv}
req=Tests/interop/requirements.txt
stamp="$venv/.stamp-$(sha1sum "$req" | cut -c1-12)"
[ -f "$stamp" ] && exit 0
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
touch "$stamp"

#!/usr/bin/env bash
# make demo: the largest working path of the tool on the shipped toy samples.
set -euo pipefail
BIN=${1:-.build/release/cascade}
"$BIN" --help

#!/usr/bin/env bash
# Installs the system packages a target needs (Debian, as root) or prints the apt command.
# usage: scripts/ensure-deps.sh build|test
set -euo pipefail
need=(libhdf5-dev zlib1g-dev libdeflate-dev liblz4-dev libzstd-dev liblzma-dev pkg-config)
if [ "${1:-build}" = test ]; then
  need+=(python3-venv python3-pip slurm-wlm munge chromium)
fi
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "missing system packages; run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

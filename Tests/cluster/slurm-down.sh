#!/usr/bin/env bash
# Stops a cluster started by Tests/cluster/slurm-up.sh, by the pids it recorded, and removes DIR.
#
# usage: Tests/cluster/slurm-down.sh [--keep] DIR
#   --keep  leave DIR (logs, state) in place, e.g. to inspect a failure.
# Only the recorded pids are signalled: never daemons by name, other clusters may share the host.
set -uo pipefail

keep=0
if [ "${1:-}" = --keep ]; then keep=1; shift; fi
dir=${1:?usage: slurm-down.sh [--keep] DIR}
[ -d "$dir" ] || { echo "slurm-down: $dir: no such directory" >&2; exit 0; }

# Jobs still running are children of slurmstepd, which is not in our pid files: ask slurmctld
# to cancel them first, while it is still up.
if [ -f "$dir/slurm.conf" ] && [ -f "$dir/slurmctld.pid" ] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null; then
  SLURM_CONF="$dir/slurm.conf" timeout 10 scancel --quiet --user=root 2>/dev/null || true
  for _ in $(seq 1 20); do
    [ -z "$(SLURM_CONF="$dir/slurm.conf" timeout 5 squeue -h -o %i 2>/dev/null)" ] && break
    sleep 0.5
  done
fi

stop_pid() { # name
  local file="$dir/$1.pid" pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  echo "slurm-down: $1 ($pid) ignored SIGTERM; killing" >&2
  kill -KILL "$pid" 2>/dev/null || true
}
# slurmd before slurmctld before munged: each still needs the next one while shutting down.
stop_pid slurmd
stop_pid slurmctld
stop_pid munged

if [ "$keep" = 0 ]; then rm -rf "$dir"; fi
echo "slurm-down: stopped ($dir)" >&2

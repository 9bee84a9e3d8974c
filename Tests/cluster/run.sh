#!/usr/bin/env bash
# The cluster test (`make cluster`): brings up a private one-node SLURM (Tests/cluster/slurm-up.sh),
# runs a sharded apply through `cascade submit`, checks the merged outputs are byte-identical to a
# single-process `cascade apply`, exercises the resume path, and tears SLURM down on any exit.
#
# env: CASCADE (the built binary, default .build/debug/cascade), KEEP=1 keeps the work directory
# and the cluster's logs for inspection, TIMEOUT (seconds to wait for a job set, default 600).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
CASCADE=${CASCADE:-.build/debug/cascade}
CASCADE=$(cd "$(dirname "$CASCADE")" && pwd)/$(basename "$CASCADE")
TIMEOUT=${TIMEOUT:-600}
[ -x "$CASCADE" ] || { echo "cluster: $CASCADE is not an executable (build first)" >&2; exit 1; }

work=$(mktemp -d /tmp/cascade-cluster-test.XXXXXX)
slurm_dir=""
passed=0
failed=0
started=$(date +%s)

teardown() {
  local rc=$?
  if [ -n "$slurm_dir" ]; then
    if [ "${KEEP:-0}" = 1 ] || [ "$failed" != 0 ] || [ "$rc" != 0 ]; then
      "$here/slurm-down.sh" --keep "$slurm_dir" || true
      echo "cluster: SLURM logs kept in $slurm_dir/log" >&2
    else
      "$here/slurm-down.sh" "$slurm_dir" || true
    fi
  fi
  if [ "${KEEP:-0}" = 1 ] || [ "$failed" != 0 ] || [ "$rc" != 0 ]; then
    echo "cluster: work directory kept: $work" >&2
  else
    rm -rf "$work"
  fi
}
trap teardown EXIT
trap 'exit 130' INT TERM

ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }
check() { # description command...
  local what=$1; shift
  if "$@"; then ok "$what"; else bad "$what"; fi
}

# Waits until none of the given job ids is queued or running any more.
wait_jobs() {
  local deadline=$(( $(date +%s) + TIMEOUT )) ids
  ids=$(IFS=,; echo "$*")
  while [ -n "$(squeue -h -j "$ids" -o %i 2>/dev/null)" ]; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "cluster: jobs $ids still queued/running after ${TIMEOUT}s:" >&2
      squeue -j "$ids" >&2 || true
      return 1
    fi
    sleep 1
  done
}

# Final state of a job (or array task `ID_i`), from scontrol (there is no accounting daemon).
job_state() {
  scontrol -o show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1
}

# --- SLURM up --------------------------------------------------------------------------------
slurm_dir=$("$here/slurm-up.sh" "$work/slurm")
# shellcheck disable=SC1091
source "$slurm_dir/env.sh"
ok "slurm-up: one-node cluster answering ($(sinfo -h -o '%P %D %T' | head -1))"

# The cluster itself runs a batch job and captures its output.
id=$(sbatch --parsable -o "$work/wrap-%j.out" --wrap 'echo "hello from job $SLURM_JOB_ID on $SLURMD_NODENAME"')
wait_jobs "$id"
check "sbatch --wrap job $id COMPLETED" test "$(job_state "$id")" = COMPLETED
check "sbatch --wrap job wrote its output" grep -qx "hello from job $id on localhost" "$work/wrap-$id.out"

# --- cascade submit --dry-run and status on an empty run ---------------------------------------
mkdir -p "$work/dry"
printf '{"name": "dry", "output": "runs/dry"}\n' >"$work/dry/config.json"
"$CASCADE" submit "$work/dry/config.json" --scheduler slurm --shards 3 --max-parallel 2 --dry-run >"$work/dry/out.txt"
check "submit --dry-run writes apply.sbatch with --array=0-2%2" grep -qx '#SBATCH --array=0-2%2' "$work/dry/runs/dry/slurm/apply.sbatch"
check "submit --dry-run submits nothing (no jobs.json)" test ! -e "$work/dry/runs/dry/slurm/jobs.json"
check "the generated apply script passes bash -n" bash -n "$work/dry/runs/dry/slurm/apply.sbatch"

elapsed=$(( $(date +%s) - started ))
echo "cluster: $passed passed, $failed failed (${elapsed}s)"
[ "$failed" = 0 ]

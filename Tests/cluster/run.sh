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
finished=0
started=$(date +%s)

teardown() {
  local rc=$?
  if [ "$finished" = 0 ]; then
    failed=$((failed + 1))
    echo "cluster: aborted (exit $rc) after $passed passed; a step above failed"
    echo "cluster: $passed passed, $failed failed"
  fi
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

# --- a generated cascade, sharded through SLURM ------------------------------------------------
# Two configs identical byte for byte (same checksum, so models are interchangeable), each in its
# own directory with its own run directory `run/`: A for the straight path, B for the resume path.
"$CASCADE" generate --out "$work/samples" --events 3000 --seed 7 >/dev/null
ok "generated toy samples"
write_config() { # dir
  mkdir -p "$1"
  cat >"$1/config.json" <<EOF
{
  "name": "clustertest",
  "output": "run",
  "event_number": "event_number",
  "samples": [
    {"name": "signal", "role": "signal", "files": ["$work/samples/signal.h5"], "weight": "weight"},
    {"name": "wgamma", "role": "background", "files": ["$work/samples/wgamma.h5"], "weight": "weight"},
    {"name": "wjets", "role": "background", "files": ["$work/samples/wjets.h5"], "weight": "weight"},
    {"name": "ttbar", "role": "background", "files": ["$work/samples/ttbar.h5"], "weight": "weight"},
    {"name": "singletop", "role": "background", "files": ["$work/samples/singletop.h5"], "weight": "weight"},
    {"name": "data", "role": "data", "files": ["$work/samples/data.h5"]}
  ],
  "bdt": {"boost": "gradient", "trees": 20, "depth": 3, "learning_rate": 0.3, "bins": 64},
  "stages": [
    {"name": "vs_wjets", "background": "wjets", "features": ["photon_iso", "photon_sieie", "dr_lg"],
     "working_point": {"signal_efficiency": 0.95}},
    {"name": "vs_top", "background": ["ttbar", "singletop"], "region": "CR_top",
     "features": ["n_jets", "n_bjets", "ht"], "working_point": {"signal_efficiency": 0.95}}
  ],
  "training": {"folds": 2, "seed": 1, "threads": 1},
  "fit": {"observable": "m_lg", "bins": 14, "range": [60, 200]}
}
EOF
}
A=$work/a
B=$work/b
write_config "$A"
write_config "$B"

# --dry-run: scripts only.
"$CASCADE" submit "$A/config.json" --scheduler slurm --shards 3 --max-parallel 2 --dry-run >"$A/dry-run.txt"
check "submit --dry-run writes apply.sbatch with --array=0-2%2" grep -qx '#SBATCH --array=0-2%2' "$A/run/slurm/apply.sbatch"
check "submit --dry-run submits nothing (no jobs.json)" test ! -e "$A/run/slurm/jobs.json"
check "the generated scripts pass bash -n" bash -c "bash -n '$A/run/slurm/apply.sbatch' && bash -n '$A/run/slurm/merge.sbatch'"

# Compares the scores/ and regions/ trees of two run directories file by file with cmp.
same_outputs() { # runA runB
  local d f
  for d in scores regions; do
    [ -d "$1/$d" ] && [ -d "$2/$d" ] || { echo "  missing $d/ in $1 or $2" >&2; return 1; }
    if [ "$(cd "$1/$d" && find . -type f | sort)" != "$(cd "$2/$d" && find . -type f | sort)" ]; then
      echo "  $d/: different file lists" >&2
      diff <(cd "$1/$d" && find . -type f | sort) <(cd "$2/$d" && find . -type f | sort) >&2 || true
      return 1
    fi
    while IFS= read -r f; do
      cmp -s "$1/$d/$f" "$2/$d/$f" || { echo "  $d/$f differs" >&2; return 1; }
    done < <(cd "$1/$d" && find . -type f | sort)
  done
}

# The job ids a submission printed.
array_id() { sed -n 's/^submitted apply job array \([0-9]*\).*/\1/p' "$1"; }
merge_id() { sed -n 's/^submitted merge job \([0-9]*\).*/\1/p' "$1"; }
train_id() { sed -n 's/^submitted train job \([0-9]*\).*/\1/p' "$1"; }

# A: training as a job, the 4-shard array after it, the merge after the array.
"$CASCADE" submit "$A/config.json" --scheduler slurm --shards 4 --max-parallel 2 --train --time 30 >"$A/submit.txt"
cat "$A/submit.txt"
t=$(train_id "$A/submit.txt"); a=$(array_id "$A/submit.txt"); m=$(merge_id "$A/submit.txt")
check "submit printed train, array and merge job ids ($t, $a, $m)" test -n "$t" -a -n "$a" -a -n "$m"
check "jobs.json records the array" grep -q "\"apply\": \"$a\"" "$A/run/slurm/jobs.json"
check "apply.sbatch is an array over shards 0-3, at most 2 at once" grep -qx '#SBATCH --array=0-3%2' "$A/run/slurm/apply.sbatch"
wait_jobs "$t" "$a" "$m"
check "train job $t COMPLETED" test "$(job_state "$t")" = COMPLETED
for i in 0 1 2 3; do
  check "array task ${a}_$i COMPLETED" test "$(job_state "${a}_$i")" = COMPLETED
done
check "merge job $m: the merge step joined 4 shards" grep -q '^merged 4 shards' "$A/run/slurm/logs/cascade-clustertest-merge-$m.out"
check "merge job $m (merge, evaluate, fit, report) COMPLETED" test "$(job_state "$m")" = COMPLETED
"$CASCADE" status "$A/run" --json >"$A/status.json"
check "status: 4 done, 0 pending, 0 failed" grep -q '"done": 4' "$A/status.json"

# The reference: one process, the same models, another output directory.
check "single-process cascade apply of the same config" \
  "$CASCADE" apply "$A/config.json" --models "$A/run/models" --out "$work/single" --quiet
check "merged scores/ and regions/ are byte-identical to a single-process apply" same_outputs "$A/run" "$work/single"

# B: the same config, a fresh run directory, trained by a plain local `cascade train` this time.
# One array task at a time, so one can be cancelled while it runs; the merge job then never runs
# (afterok cannot hold).
check "local cascade train of B" "$CASCADE" train "$B/config.json" --quiet
check "B's models are identical to those the train job wrote for A" diff -r "$A/run/models" "$B/run/models"
"$CASCADE" submit "$B/config.json" --scheduler slurm --shards 4 --max-parallel 1 >"$B/submit.txt"
a=$(array_id "$B/submit.txt"); m=$(merge_id "$B/submit.txt")
# The first task seen running is frozen (`scontrol suspend`: SIGSTOP) so its progress cannot
# race the check; if it has not written its manifest yet it is cancelled mid-run, else resumed
# and the next task is tried.
victim=""
late=""
deadline=$(( $(date +%s) + TIMEOUT ))
while [ -z "$victim" ] && [ "$(date +%s)" -lt "$deadline" ]; do
  running=$(squeue -h -r -j "$a" -t RUNNING -o %i 2>/dev/null | head -1)
  if [ -n "$running" ] && [ "$running" != "$late" ]; then
    scontrol suspend "$running" 2>/dev/null || true
    if [ -e "$B/run/shards/${running#*_}/manifest.json" ]; then
      scontrol resume "$running" 2>/dev/null || true
      late=$running
    else
      scancel "$running"
      victim=$running
    fi
  fi
  [ -z "$(squeue -h -j "$a" -o %i 2>/dev/null)" ] && break
  sleep 0.05
done
wait_jobs "$a" "$m"
victim_shard=""
if [ -n "$victim" ] && [ "$(job_state "$victim")" = CANCELLED ] && [ ! -e "$B/run/shards/${victim#*_}/manifest.json" ]; then
  victim_shard=${victim#*_}
  ok "scancel $victim while it was running: task CANCELLED, no manifest"
else
  # It finished (or wrote its manifest) before the signal landed: only the simulated loss
  # below remains.
  echo "note: no array task could be cancelled mid-run (${victim:-none}: $(job_state "${victim:-0}"))"
fi
check "merge job $m did not run (it depends on every task)" test "$(job_state "$m")" != COMPLETED
# A second way to lose a shard: its manifest disappears after the task completed.
lost=3
[ "$victim_shard" = 3 ] && lost=0
rm -f "$B/run/shards/$lost/manifest.json"
"$CASCADE" status "$B/run" --json >"$B/status.json"
"$CASCADE" status "$B/run"
if [ -n "$victim_shard" ]; then
  check "status: cancelled shard $victim_shard is failed" \
    bash -c "grep -A1 '\"shard\": $victim_shard,' '$B/status.json' | grep -q '\"state\": \"failed\"'"
fi
check "status: shard $lost without manifest is pending" \
  bash -c "grep -A1 '\"shard\": $lost,' '$B/status.json' | grep -q '\"state\": \"pending\"'"
check "merge refuses the incomplete run" bash -c "! '$CASCADE' merge '$B/run' >/dev/null 2>&1"

"$CASCADE" submit "$B/config.json" --scheduler slurm --shards 4 --max-parallel 2 --resume >"$B/resume.txt"
cat "$B/resume.txt"
expected=$(printf '%s\n' $victim_shard $lost | sort -n | paste -sd, -)
check "resume resubmits only shards $expected" grep -q "; to run: $expected\$" "$B/resume.txt"
a=$(array_id "$B/resume.txt"); m=$(merge_id "$B/resume.txt")
wait_jobs "$a" "$m"
check "resumed merge job $m COMPLETED" test "$(job_state "$m")" = COMPLETED
"$CASCADE" status "$B/run" --json >"$B/status2.json"
check "status after resume: 4 done" grep -q '"done": 4' "$B/status2.json"
check "resumed and merged outputs are byte-identical to a single-process apply" same_outputs "$B/run" "$work/single"

elapsed=$(( $(date +%s) - started ))
finished=1
echo "cluster: $passed passed, $failed failed (${elapsed}s)"
[ "$failed" = 0 ]

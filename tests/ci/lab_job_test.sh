#!/usr/bin/env bash
# Runs the main job's sequence (.ci/lab-job: compare, then report into one folder, then list)
# on a slice of the catalog with this build's conlab, and checks that it ends with exit 0 and a
# complete report folder with the comparison in it.
#   tests/ci/lab_job_test.sh CONLAB WORKDIR
set -euo pipefail
conlab=$1
work=$2
here=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf -- "$work"
mkdir -p -- "$work"
out="$work/reports-out"
bash "$here/.ci/lab-job" "$conlab" "$out" lost_update lock_order_inversion > "$work/job.txt" 2>&1 || {
  echo "FAIL: .ci/lab-job exited $?; its output:"
  tail -n 40 "$work/job.txt"
  exit 1
}
fail=0
for f in index.md index.txt report.html report.json report.sarif comparison.md comparison.json .conlab-report \
         scenarios/lost_update.md variants/lost_update.broken.txt variants/lost_update.broken.json \
         variants/lock_order_inversion.fixed.txt; do
  [[ -s "$out/$f" ]] || { echo "FAIL: $out/$f is missing or empty"; fail=1; }
done
grep -q '^comparison.md$' "$out/.conlab-report" || { echo "FAIL: the marker does not list comparison.md"; fail=1; }
grep -q 'WARNING: conlab: data race' "$work/job.txt" || { echo "FAIL: the job did not print lost_update's finding"; fail=1; }
grep -q 'lost_update' "$out.logs/list.txt" || { echo "FAIL: list.txt lacks the catalog"; fail=1; }
# A second run replaces the first (the folder is a report folder now).
bash "$here/.ci/lab-job" "$conlab" "$out" lost_update > "$work/job2.txt" 2>&1 || {
  echo "FAIL: a second run exited $?"; tail -n 20 "$work/job2.txt"; fail=1; }
[[ ! -e "$out/variants/lock_order_inversion.fixed.txt" ]] || { echo "FAIL: the second run kept the first's files"; fail=1; }
((fail == 0)) && echo "PASS: the main job's sequence on a slice"
exit "$fail"

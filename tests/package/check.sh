#!/usr/bin/env bash
# Installs the build under test into a scratch prefix, then configures, builds and runs the
# outside project of tests/package against it: find_package(conlab) and conlab::gtest.
# Usage: check.sh BUILD_DIR SCRATCH_DIR
set -euo pipefail
build=$1
scratch=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$scratch"
cmake --install "$build" --prefix "$scratch/prefix" > "$scratch.install.log" 2>&1 || { cat "$scratch.install.log"; exit 1; }
cmake -S "$here" -B "$scratch/build" -G Ninja -DCMAKE_PREFIX_PATH="$scratch/prefix" -DCMAKE_BUILD_TYPE=Release
cmake --build "$scratch/build"
"$scratch/build/consumer"
test -f "$scratch/prefix/lib/cmake/conlab/conlabConfig.cmake"
test -x "$scratch/prefix/bin/conlab"
"$scratch/prefix/bin/conlab" --version
# The workshop from the installed tree: a learner's copy builds against the installed recipe
# (share/conlab/exercise-recipe.txt) and its headers, and the scenario's fix passes the check.
test -f "$scratch/prefix/share/conlab/exercise-recipe.txt"
(cd "$scratch" && "$scratch/prefix/bin/conlab" exercise start lost_update --solution --dir learner >/dev/null &&
 "$scratch/prefix/bin/conlab" exercise check lost_update --dir learner | tee "$scratch/check.txt")
grep -q "^PASS lost_update" "$scratch/check.txt"
grep -q -- "-I '$scratch/prefix/include/conlab'" "$scratch/learner/build.sh"

#!/usr/bin/env bash
# Rewrites the golden report outputs from the current build, then shows what changed.
# Usage: tests/reports/approve.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
cmake --build "$build" --target reports_tests reports_markdown_test
for t in reports_tests reports_markdown_test; do
  CONLAB_APPROVE=1 "$build/tests/$t" --gtest_brief=1 --gtest_filter='*Golden*'
done
git --no-pager diff --stat -- tests/reports/golden || true

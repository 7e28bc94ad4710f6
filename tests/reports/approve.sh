#!/usr/bin/env bash
# Rewrites the golden report outputs from the current build, then shows what changed.
# Usage: tests/reports/approve.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
cmake --build "$build" --target reports_text_test reports_json_test
CONLAB_APPROVE=1 "$build/tests/reports_text_test" --gtest_brief=1
CONLAB_APPROVE=1 "$build/tests/reports_json_test" --gtest_brief=1
git --no-pager diff --stat -- tests/reports/golden || true

#!/usr/bin/env bash
# One command for the whole test suite: installs what is missing, builds, and
# runs every test through ctest (unit, integration, GUI offscreen, browser).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/installer/setup.sh" --tests
cd "$top/build"
ctest --output-on-failure --timeout 600 -j2 "$@"

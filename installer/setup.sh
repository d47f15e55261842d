#!/usr/bin/env bash
# Installs what Marquee needs on Debian 12 and is missing, then configures and
# builds into ./build. Safe to run again: it only installs what is absent.
# Usage: installer/setup.sh [--tests]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
want_tests=0
[ "${1:-}" = "--tests" ] && want_tests=1

packages=(cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libqt6sql6-psql
    qt6-svg-dev qt6-websockets-dev qt6-httpserver-dev qt6-tools-dev qt6-tools-dev-tools
    qt6-l10n-tools qt6-qpa-plugins libsodium-dev libpq-dev
    libqrencode-dev libcurl4-openssl-dev zlib1g-dev fonts-dejavu-core
    # The demo sends order confirmations to a local SMTP sink; tests read it too.
    python3-aiosmtpd)
if [ "$want_tests" = 1 ]; then
    # ca-certificates: npm fetches playwright-core over HTTPS.
    packages+=(chromium postgresql xvfb xauth ca-certificates)
    # openssl makes the certificates of the TLS tests.
    packages+=(openssl)
    # The fuzz targets (tests/fuzz) are built by clang with libFuzzer.
    packages+=(clang libclang-rt-14-dev)
    # tests/bench: the SQLite reference loop is Python's sqlite3 (Priority
    # optional in Debian 12, so not in every base system); pgbench comes
    # with postgresql.
    packages+=(python3)
    # Node may come from elsewhere than Debian (nvm, NodeSource); a working
    # node and npm on the PATH is what counts.
    command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ "$want_tests" = 1 ] && [ ! -d "$top/tests/web/node_modules/playwright-core" ]; then
    (cd "$top/tests/web" && npm ci --no-audit --no-fund --loglevel=error)
fi
# The benchmark's load clients (ws, undici), for ctest bench_smoke and run.sh.
if [ "$want_tests" = 1 ] && { [ ! -d "$top/tests/bench/node_modules/ws" ] ||
    [ ! -d "$top/tests/bench/node_modules/undici" ]; }; then
    (cd "$top/tests/bench" && npm ci --no-audit --no-fund --loglevel=error)
fi

# CI treats warnings as errors; elsewhere the cached choice stays, so the
# demo and the tests share one build instead of rebuilding each other's.
cmake_args=(-S "$top" -B "$top/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo)
[ -n "${CI:-}" ] && cmake_args+=(-DMARQUEE_WERROR=ON)
cmake "${cmake_args[@]}" >/dev/null
cmake --build "$top/build" -j2

#!/usr/bin/env bash
# Builds and runs every benchmark (tests/bench/README.md), prints one table
# and appends it, dated and with the machine, to tests/bench/RESULTS.md.
# Usage: tests/bench/run.sh [--quick] [--no-build]
#   MARQUEE_BENCH_BUILD=DIR   build folder (default: build/ at the repository root)
#   --quick                   3 s windows, 20 holds, 1,000 subscribers: a smoke run
#   --no-build                use the marquee-server already in the build folder
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${MARQUEE_BENCH_BUILD:-$top/build}
here=$top/tests/bench
seconds=10
holds=50
subscribers=0,1000,5000
quick=0
build_now=1
for argument in "$@"; do
    case "$argument" in
    --quick) seconds=3 holds=20 subscribers=0,1000 quick=1 ;;
    --no-build) build_now=0 ;;
    *) echo "usage: $0 [--quick] [--no-build]" >&2 && exit 2 ;;
    esac
done

# The load clients are Node scripts (README.md): node 20 and npm, as
# installer/setup.sh --tests installs them, and the locked packages.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm ||
        exit 1
fi
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
    { echo "node 20 or newer is needed, found $(node --version)" >&2 && exit 1; }
if ! (cd "$here" && npm ls --silent ws undici >/dev/null 2>&1); then
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || exit 1
fi

# Configure like installer/setup.sh when there is no build yet.
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 1
fi
[ $build_now = 1 ] && { cmake --build "$build" --target marquee-server || exit 1; }
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt")
case "$build_type" in
Release | RelWithDebInfo) ;;
*) echo "warning: $build is a '${build_type:-no type}' build; the server is not optimised" >&2 ;;
esac

export MARQUEE_SERVER=$build/server/marquee-server
# 5,000 subscribers need ~10,000 descriptors on loopback; the server, started
# by the scripts, inherits the limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null
rows=$(mktemp)
log=$(mktemp)
trap 'rm -f "$rows" "$log"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# Other work on a 2-core machine changes every number here.
awk '{ exit !($1 > 1.0) }' /proc/loadavg &&
    echo "warning: load average is $load_before; results will be noisy" >&2
failed=0

bench() {
    echo "== $*" >&2
    "$@" >"$log" 2>&1
    local rc=$?
    grep -v '^ROW|' "$log" >&2
    grep '^ROW|' "$log" >>"$rows"
    if [ $rc -ne 0 ]; then
        echo "!! exit code $rc: $*" >&2
        failed=1
    fi
}

for backend in sqlite postgresql; do
    bench node "$here/fanout.mjs" --backend $backend --subscribers $subscribers --holds $holds
done
for backend in sqlite postgresql; do
    bench node "$here/holds.mjs" --backend $backend --clients 64 --seconds "$seconds" \
        --name "hold throughput, 64 conns"
done
# The same on a RAM disk: what the server does when the disk's flush is free.
[ -d /dev/shm ] && bench node "$here/holds.mjs" --backend sqlite --sqlite-dir /dev/shm \
    --clients 64 --seconds "$seconds" --name "hold throughput, 64 conns"
bench node "$here/holds.mjs" --backend sqlite --clients 0 --readers 8 --seconds "$seconds" \
    --name "snapshot GET, idle server"
for backend in sqlite postgresql; do
    bench node "$here/holds.mjs" --backend $backend --clients 32 --readers 8 --seconds "$seconds" \
        --name "snapshot GET under 32 holders"
done

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
qt=$(qtpaths6 --qt-query QT_VERSION 2>/dev/null || echo unknown)
revision=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$top" diff --quiet HEAD -- server shared 2>/dev/null ||
    revision="$revision + uncommitted server changes"
revision="$revision, binary built $(date -u -r "$MARQUEE_SERVER" '+%Y-%m-%d %H:%M UTC')"
{
    echo
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC')$([ $quick = 1 ] && echo ' (quick)')"
    echo
    echo "- machine: $(uname -m), $cpu, $(nproc) cores; Qt $qt; build ${build_type:-none} ($build)"
    echo "- server: $revision; load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| benchmark | backend | metric | value |"
    echo "|---|---|---|---|"
    awk -F'|' '{ printf "| %s | %s | %s | %s |\n", $2, $3, $4, $5 }' "$rows"
} >"$log.md"
cat "$log.md"
cat "$log.md" >>"$here/RESULTS.md"
rm -f "$log.md"
echo "Appended to $here/RESULTS.md" >&2
exit $failed

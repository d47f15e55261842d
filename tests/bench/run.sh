#!/usr/bin/env bash
# Builds and runs every benchmark and its reference (tests/bench/README.md),
# prints the targets table and the full table and appends both, dated and with
# the machine, to tests/bench/RESULTS.md.
# Usage: tests/bench/run.sh [--quick] [--no-build] [--no-append]
#   MARQUEE_BENCH_BUILD=DIR     build folder (default: build/ at the repository root)
#   MARQUEE_BENCH_DISK_DIR=DIR  where the databases go (default TMPDIR or /tmp; must be a disk)
#   --quick                     3 s windows, 20 changes, 1,000 subscribers, a 30 s soak: a smoke run
#   --no-build                  use the marquee-server already in the build folder
#   --no-append                 print the report only
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${MARQUEE_BENCH_BUILD:-$top/build}
here=$top/tests/bench
seconds=10
holds=100
subscribers=0,1000,5000,10000
reference_subscribers=1000,5000,10000
soak_subscribers=10000
soak_minutes=10
cluster_subscribers=1000
restart_holds=10000
restarts=5
quick=0
build_now=1
append=1
for argument in "$@"; do
    case "$argument" in
    --quick)
        seconds=3 holds=20 subscribers=0,1000 reference_subscribers=1000 quick=1
        soak_subscribers=1000 soak_minutes=0.5 cluster_subscribers=200
        restart_holds=1000 restarts=3
        ;;
    --no-build) build_now=0 ;;
    --no-append) append=0 ;;
    *) echo "usage: $0 [--quick] [--no-build] [--no-append]" >&2 && exit 2 ;;
    esac
done

# The load clients are Node scripts (README.md): node 18.17 or newer (undici
# 6; Debian 12 has 18.19) and npm, as installer/setup.sh --tests installs
# them, and the locked packages.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm ||
        exit 1
fi
node -e 'const [major, minor] = process.versions.node.split(".").map(Number);
    process.exit(major > 18 || (major === 18 && minor >= 17) ? 0 : 1)' ||
    { echo "node 18.17 or newer is needed, found $(node --version)" >&2 && exit 1; }
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
# Each subscriber is a descriptor in the client and one in the server (or the
# bare ws server); both inherit this limit. 10,000 need a bit over 10,000 each.
ulimit -n "$(ulimit -Hn)" 2>/dev/null
most=${subscribers##*,}
[ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((most + 200)) ] &&
    echo "warning: open-file limit $(ulimit -n) is too low for $most subscribers (fan-out will fail)" >&2
# The references: pgbench comes with PostgreSQL, the SQLite loop is Python's
# sqlite3 (installer/setup.sh --tests installs both).
command -v python3 >/dev/null || echo "warning: no python3: the SQLite reference cannot run" >&2
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
    grep -Ev '^(ROW|FIG)\|' "$log" >&2
    grep -E '^(ROW|FIG)\|' "$log" >>"$rows"
    if [ $rc -ne 0 ]; then
        echo "!! exit code $rc: $*" >&2
        failed=1
    fi
}

# Fan-out: Marquee on both backends, then the bare ws loop with the same
# subscribers and messages.
for backend in sqlite postgresql; do
    bench node "$here/fanout.mjs" --backend $backend --subscribers $subscribers --holds $holds
done
bench node "$here/fanout.mjs" --target ws --subscribers $reference_subscribers --holds $holds
# Restart after kill -9 with 10,000 live holds in the database, each backend.
for backend in sqlite postgresql; do
    bench node "$here/restart.mjs" --backend $backend --holds $restart_holds --restarts $restarts
done
# Three servers on one PostgreSQL: fan-out from one to the others' subscribers,
# then pairs/s with three servers against one.
bench node "$here/cluster.mjs" --subscribers $cluster_subscribers --holds $holds --seconds "$seconds"
# Connections held: 10,000 subscribers for 10 minutes, pinged both ways,
# changes flowing; none may be dropped or miss a change.
bench node "$here/soak.mjs" --backend sqlite --subscribers $soak_subscribers --minutes $soak_minutes
# Hold throughput, 50 clients, on a disk, next to the database's own ceiling
# for the same transactions (reference.mjs), one backend after the other.
for backend in sqlite postgresql; do
    for event in breakfast-ii open-air; do
        kind=seated
        [ $event = open-air ] && kind=ga
        bench node "$here/holds.mjs" --backend $backend --event $event --clients 50 --seconds "$seconds" \
            --name "hold throughput, 50 conns" --key pairs.marquee.$backend.$kind
    done
    bench node "$here/reference.mjs" --backend $backend --clients 50 --seconds "$seconds"
done
# The same on a RAM disk: what the server does when the disk's flush is free
# (not a target condition; it shows the flush's share).
[ -d /dev/shm ] && bench node "$here/holds.mjs" --backend sqlite --sqlite-dir /dev/shm \
    --clients 50 --seconds "$seconds" --name "hold throughput, 50 conns"
bench node "$here/holds.mjs" --backend sqlite --clients 0 --readers 8 --seconds "$seconds" \
    --name "snapshot GET, idle server"
for backend in sqlite postgresql; do
    bench node "$here/holds.mjs" --backend $backend --clients 32 --readers 8 --seconds "$seconds" \
        --name "snapshot GET under 32 holders"
done

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
qt=$(qtpaths6 --qt-query QT_VERSION 2>/dev/null || echo unknown)
postgres=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
disk_dir=${MARQUEE_BENCH_DISK_DIR:-${TMPDIR:-/tmp}}
disk=$(findmnt -n -o FSTYPE,SOURCE -T "$disk_dir" 2>/dev/null | tr -s ' ')
revision=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$top" diff --quiet HEAD -- server shared 2>/dev/null ||
    revision="$revision + uncommitted server changes"
revision="$revision, binary built $(date -u -r "$MARQUEE_SERVER" '+%Y-%m-%d %H:%M UTC')"
{
    echo
    if [ $quick = 1 ]; then
        echo "## $(date -u '+%Y-%m-%d %H:%M UTC') (quick: a smoke run, 3 s windows, not a measurement)"
    else
        echo "## $(date -u '+%Y-%m-%d %H:%M UTC')"
    fi
    echo
    echo "- machine: $(uname -m), $cpu, $(nproc) cores; Qt $qt; PostgreSQL ${postgres:-none}; node $(node --version); build ${build_type:-none} ($build)"
    echo "- server: $revision; load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- databases in $disk_dir ($disk); open-file limit $(ulimit -n)"
    echo
    node "$here/report.mjs" "$rows"
} >"$log.md"
cat "$log.md"
if [ $append = 1 ]; then
    cat "$log.md" >>"$here/RESULTS.md"
    echo "Appended to $here/RESULTS.md" >&2
fi
rm -f "$log.md"
exit $failed

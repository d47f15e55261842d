#!/usr/bin/env bash
# The long run: each fuzz target in turn (one at a time, niced, as the
# machine is shared), until 10 million executions or SECONDS of wall time.
# New inputs go to OUT/corpus/NAME, crashes to OUT/artifacts/, logs to
# OUT/NAME.log; the seeds in tests/fuzz/corpus are only read.
# Usage: tests/fuzz/long-run.sh FUZZ_BUILD_DIR OUT SECONDS [TARGET...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$1 out=$2 seconds=$3
shift 3
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(fuzz_protocol fuzz_request_bodies fuzz_request_head fuzz_request_framing fuzz_floorplan)
mkdir -p "$out/artifacts"
for t in "${targets[@]}"; do
    dict=()
    [ -f "$here/$t.dict" ] && dict=(-dict="$here/$t.dict")
    mkdir -p "$out/corpus/$t"
    echo "== $t: $(date -u)"
    # /usr/bin/time: on a shared machine the CPU seconds say more than the
    # wall-clock exec/s that libFuzzer prints.
    nice -n 10 /usr/bin/time -f "cpu: %U s user, %S s system, %e s wall" \
        "$bin/$t" -runs=10000000 -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$out/artifacts/$t-" "${dict[@]}" \
        "$out/corpus/$t" "$here/corpus/$t" >"$out/$t.log" 2>&1 || echo "$t: exit $?"
    grep -E '^(Done|stat::|cpu:)' "$out/$t.log" || true
    echo "corpus: $(ls "$out/corpus/$t" | wc -l) files"
done

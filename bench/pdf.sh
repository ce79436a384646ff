#!/usr/bin/env bash
# Times the panel outcome PDF: builds the example in release, renders the
# document N times (default 20) and prints the median and 90th percentile,
# their ratio to the 500 ms goal, and the ratio to a floor (writing the same
# bytes to a file).
set -euo pipefail

runs="${1:-20}"
goal_ms=500
root="$(cd "$(dirname "$0")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

cargo build --quiet --release -p cpms-reports --example outcome --manifest-path "$root/Cargo.toml"
result="$("$CARGO_TARGET_DIR/release/examples/outcome" "$out/outcome.pdf" --time "$runs")"
echo "$result"

value() { printf '%s\n' "$result" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
awk -v median="$(value render_median_ms)" -v p90="$(value render_p90_ms)" \
    -v floor="$(value write_median_ms)" -v goal="$goal_ms" -v runs="$runs" 'BEGIN {
    printf "outcome PDF over %d runs: median %.2f ms, p90 %.2f ms\n", runs, median, p90
    printf "ratio to the %d ms goal: median %.4f, p90 %.4f (below 1 meets the goal)\n", goal, median / goal, p90 / goal
    printf "ratio to the floor (writing the bytes, median %.3f ms): %.1fx\n", floor, median / floor
}'

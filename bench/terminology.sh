#!/usr/bin/env bash
# Type-ahead latency of the terminology search: builds the `typeahead` example in
# release and runs it over every distinct 2- and 3-letter prefix of the words of HPO
# term names, printing p50/p99/max for the index and for a linear scan doing the same
# ranking, their ratio, and the index p99 against the 5 ms goal. It also reports load
# time and memory in release and, unless --release-only is given, load time in debug.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
manifest="$root/Cargo.toml"

cargo build --quiet --release -p cpms-terminology --example typeahead --manifest-path "$manifest"
echo "== release"
"$CARGO_TARGET_DIR/release/examples/typeahead"

if [[ "${1:-}" != "--release-only" ]]; then
    cargo build --quiet -p cpms-terminology --example typeahead --manifest-path "$manifest"
    echo
    echo "== debug (load only)"
    "$CARGO_TARGET_DIR/debug/examples/typeahead" --load-only
fi

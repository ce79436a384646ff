#!/usr/bin/env bash
# Page latency benchmark (issue: foundation). Starts the release server in
# training mode, signs in as a training coordinator, then sends GETs at a
# fixed rate (default 200/s for 30 s) to the ERN dashboard and, separately,
# to a static asset of the same server, and prints p50/p99 of both and the
# dashboard/static ratio. Goal: dashboard p99 within 5x the asset's p99.
#
#   bench/pages.sh                 # SQLite in a temporary data directory
#   CPMS_DATABASE_URL=postgres://… bench/pages.sh   # an empty, migrated PostgreSQL database
#   RATE=200 DURATION=30 bench/pages.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${RATE:-200}
SECONDS_PER_RUN=${DURATION:-30}
target=${CARGO_TARGET_DIR:-target}

cargo build --release --locked -q -p cpms-server -p cpms-testkit --bin cpms --bin cpms-load
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
"$target/release/cpms" serve --training --data-dir "$data" --listen "127.0.0.1:$port" 2>"$data/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.5; done

user=ern-rnd-coordinator
password=$(awk -F, -v u="$user" '$1 == u { print $2 }' "$data/training-accounts.csv")
jar="$data/cookies"
csrf=$(curl -fs -c "$jar" -b "$jar" "$base/signin" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1)
curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "username=$user" --data-urlencode "password=$password" \
  --data-urlencode "csrf=$csrf" "$base/signin"
session=$(awk '$6 == "cpms-session" { print $7 }' "$jar")
[ -n "$session" ] || { echo "sign-in failed" >&2; exit 1; }
css=$(curl -fs -b "$jar" "$base/erns/ERN-RND" | sed -n 's/.*href="\(\/static\/cpms\.[0-9a-f]*\.css\)".*/\1/p' | head -n1)

load() { "$target/release/cpms-load" "$@" --rate "$RATE" --seconds "$SECONDS_PER_RUN"; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

echo "warming up"
"$target/release/cpms-load" "$base/erns/ERN-RND" --header "Cookie: cpms-session=$session" --rate 50 --seconds 2 >/dev/null
echo "ERN dashboard, signed in, $RATE req/s for ${SECONDS_PER_RUN}s"
dash=$(load "$base/erns/ERN-RND" --header "Cookie: cpms-session=$session"); echo "  $dash"
echo "static asset $css, $RATE req/s for ${SECONDS_PER_RUN}s"
asset=$(load "$base$css"); echo "  $asset"

python3 - "$dash" "$asset" <<'PY'
import re, sys
def f(line, key): return float(re.search(key + r"=([0-9.]+)", line).group(1))
dash, asset = sys.argv[1], sys.argv[2]
for name, line in (("dashboard", dash), ("static", asset)):
    if f(line, "errors") > 0: print(f"WARNING: {name} had errors")
ratio50 = f(dash, "p50_ms") / f(asset, "p50_ms")
ratio99 = f(dash, "p99_ms") / f(asset, "p99_ms")
print(f"p50 dashboard/static = {ratio50:.2f}x")
print(f"p99 dashboard/static = {ratio99:.2f}x  (goal: within 5x) -> {'MET' if ratio99 <= 5 else 'NOT MET'}")
PY

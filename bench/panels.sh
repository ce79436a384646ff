#!/usr/bin/env bash
# Panels benchmark (issue 5). For each engine (SQLite in a temporary data
# directory, then a fresh PostgreSQL database): starts the release server in
# training mode, fills synthetic panels across the training networks with
# `cpms demo panels` (default 10,000 panels, about 100,000 contributions),
# then sends GETs at a fixed rate (default 50/s for 30 s) to "my panels" of
# a busy training clinician, to the network's panel list of its coordinator,
# and to a static asset of the same server as the floor. Prints p99 of
# each, the ratio to the goal (p99 under 50 ms) and to the static floor.
#
#   bench/panels.sh
#   COUNT=10000 RATE=50 DURATION=30 ENGINES="sqlite postgres" bench/panels.sh
#   PG_URL=postgres://postgres@127.0.0.1:5432 (server holding the scratch database)
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-10000}
RATE=${RATE:-50}
SECONDS_PER_RUN=${DURATION:-30}
ENGINES=${ENGINES:-sqlite postgres}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
GOAL_MS=50
BUSY=bond-hp1
COORDINATOR=bond-coordinator
target=${CARGO_TARGET_DIR:-target}
cpms="$target/release/cpms"

cargo build --release --locked -q -p cpms-server -p cpms-testkit --bin cpms --bin cpms-load
work=$(mktemp -d)
server=
pgdb=
cleanup() {
  [ -n "$server" ] && { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; }
  [ -n "$pgdb" ] && psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $pgdb" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

load() { "$target/release/cpms-load" "$@" --rate "$RATE" --seconds "$SECONDS_PER_RUN"; }

# Signs USER in (training accounts skip the second factor) and prints the
# session cookie's value.
session_of() {
  local user=$1 data=$2 base=$3 password jar csrf
  password=$(awk -F, -v u="$user" '$1 == u { print $2 }' "$data/training-accounts.csv")
  jar="$data/cookies-$user"
  csrf=$(curl -fs -c "$jar" -b "$jar" "$base/signin" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1)
  curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "username=$user" --data-urlencode "password=$password" \
    --data-urlencode "csrf=$csrf" "$base/signin"
  awk '$6 == "cpms-session" { print $7 }' "$jar"
}

run_engine() {
  local engine=$1 data="$work/$1"
  mkdir -p "$data"
  if [ "$engine" = postgres ]; then
    pgdb="cpms_bench_$$"
    psql "$PG_URL/postgres" -qc "CREATE DATABASE $pgdb" >/dev/null
    export CPMS_DATABASE_URL="$PG_URL/$pgdb"
    "$cpms" migrate --data-dir "$data" >/dev/null
  else
    unset CPMS_DATABASE_URL
  fi
  local port base
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  base="http://127.0.0.1:$port"
  CPMS_PASSWORD_HASHING=fast "$cpms" serve --training --data-dir "$data" --listen "127.0.0.1:$port" 2>"$data/server.log" &
  server=$!
  for _ in $(seq 1 240); do curl -fs "$base/readyz" >/dev/null && [ -s "$data/training-accounts.csv" ] && break; sleep 0.5; done

  local started=$SECONDS summary
  summary=$("$cpms" demo panels --count "$COUNT" --data-dir "$data" 2>/dev/null)
  echo "[$engine] filled in $((SECONDS - started)) s: $(echo "$summary" | tr '\n' ' ')"
  echo "$summary" | grep -q "panels=$COUNT " || { echo "the demo did not store $COUNT panels" >&2; exit 1; }
  if [ "$engine" = postgres ]; then
    # What autovacuum does within a minute or so of a bulk load: statistics
    # for the planner and the visibility map. Run here so the measurement
    # does not depend on when autovacuum wakes up.
    psql "$CPMS_DATABASE_URL" -qc "VACUUM ANALYZE" >/dev/null
  fi

  local busy coordinator css
  busy=$(session_of "$BUSY" "$data" "$base")
  coordinator=$(session_of "$COORDINATOR" "$data" "$base")
  [ -n "$busy" ] && [ -n "$coordinator" ] || { echo "sign-in failed" >&2; exit 1; }
  css=$(curl -fs -b "cpms-session=$busy" "$base/" | sed -n 's/.*href="\(\/static\/cpms\.[0-9a-f]*\.css\)".*/\1/p' | head -n1)
  local mine="$base/panels" ern="$base/erns/BOND/panels"
  echo "[$engine] $BUSY is on $(curl -fs -b "cpms-session=$busy" "$mine" | grep -o 'BOND-20[0-9]*-[0-9]*' | sort -u | wc -l) panels of their list"
  curl -fs -b "cpms-session=$coordinator" "$ern" | grep "BOND-20" >/dev/null || { echo "the network list is empty" >&2; exit 1; }

  "$target/release/cpms-load" "$mine" --header "Cookie: cpms-session=$busy" --rate 20 --seconds 2 >/dev/null
  echo "[$engine] my panels ($BUSY), $RATE req/s for ${SECONDS_PER_RUN}s"
  mine_line=$(load "$mine" --header "Cookie: cpms-session=$busy"); echo "  $mine_line"
  echo "[$engine] network panel list ($COORDINATOR, first page)"
  ern_line=$(load "$ern" --header "Cookie: cpms-session=$coordinator"); echo "  $ern_line"
  echo "[$engine] static asset $css"
  static_line=$(load "$base$css"); echo "  $static_line"

  python3 - "$engine" "$GOAL_MS" "$mine_line" "$ern_line" "$static_line" <<'PY'
import re, sys
engine, goal = sys.argv[1], float(sys.argv[2])
def f(line, key): return float(re.search(key + r"=([0-9.]+)", line).group(1))
static = f(sys.argv[5], "p99_ms")
for name, line in (("my panels", sys.argv[3]), ("network list", sys.argv[4])):
    if f(line, "errors") > 0: print(f"WARNING: {engine} {name} had errors")
    p99 = f(line, "p99_ms")
    verdict = "MET" if p99 < goal else "NOT MET"
    print(f"[{engine}] {name}: p99 {p99:.1f} ms = {p99 / goal:.2f}x the {goal:.0f} ms goal ({verdict}), {p99 / static:.1f}x the static floor ({static:.1f} ms)")
PY
  kill "$server"; wait "$server" 2>/dev/null || true; server=
}

for engine in $ENGINES; do run_engine "$engine"; done

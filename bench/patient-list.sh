#!/usr/bin/env bash
# Patient list benchmark (issue 4). For each engine (SQLite in a temporary
# data directory, then a fresh PostgreSQL database): starts the release
# server in training mode, fills 100,000 synthetic patients for one
# clinician with `cpms demo patients`, signs in as that clinician, and sends
# GETs at a fixed rate (default 50/s for 30 s) to the first page of their
# centre patient list, to a filtered page (search "ward", nickname order),
# and to a static asset of the same server as the floor. Prints p99 of each,
# the ratio to the goal (p99 under 50 ms) and to the static floor.
#
#   bench/patient-list.sh
#   COUNT=100000 RATE=50 DURATION=30 ENGINES="sqlite postgres" bench/patient-list.sh
#   PG_URL=postgres://postgres@127.0.0.1:5432 (server holding the scratch database)
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-100000}
RATE=${RATE:-50}
SECONDS_PER_RUN=${DURATION:-30}
ENGINES=${ENGINES:-sqlite postgres}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
GOAL_MS=50
OWNER=bond-hp1
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

  local started=$SECONDS
  "$cpms" demo patients --count "$COUNT" --owner "$OWNER" --data-dir "$data" >"$data/pseudonyms"
  echo "[$engine] enrolled $(wc -l <"$data/pseudonyms") patients in $((SECONDS - started)) s"
  if [ "$engine" = postgres ]; then
    # What autovacuum does within a minute or so of a bulk load: statistics
    # for the planner and the visibility map for index-only counts. Run here
    # so the measurement does not depend on when autovacuum wakes up.
    psql "$CPMS_DATABASE_URL" -qc "VACUUM ANALYZE patients" >/dev/null
  fi

  local password jar csrf session hcp css
  password=$(awk -F, -v u="$OWNER" '$1 == u { print $2 }' "$data/training-accounts.csv")
  jar="$data/cookies"
  csrf=$(curl -fs -c "$jar" -b "$jar" "$base/signin" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1)
  curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "username=$OWNER" --data-urlencode "password=$password" \
    --data-urlencode "csrf=$csrf" "$base/signin"
  session=$(awk '$6 == "cpms-session" { print $7 }' "$jar")
  [ -n "$session" ] || { echo "sign-in failed" >&2; exit 1; }
  hcp=$(awk -F, -v u="$OWNER" '$1 == u { print $5 }' "$data/training-accounts.csv")
  css=$(curl -fs -b "$jar" "$base/" | sed -n 's/.*href="\(\/static\/cpms\.[0-9a-f]*\.css\)".*/\1/p' | head -n1)
  local first="$base/centres/$hcp/patients" filtered="$base/centres/$hcp/patients?q=ward&sort=nickname&page=3"
  # The list counts matches up to 1,000 and then says "1,000+".
  local shown
  shown=$(python3 -c "n = $COUNT; print('1,000+ patients' if n > 1000 else f'{n:,} patients')")
  curl -fs -b "$jar" "$first" | grep -q "$shown" || { echo "the list does not show $shown" >&2; exit 1; }

  local cookie="Cookie: cpms-session=$session"
  "$target/release/cpms-load" "$first" --header "$cookie" --rate 20 --seconds 2 >/dev/null
  echo "[$engine] first page, $RATE req/s for ${SECONDS_PER_RUN}s"
  first_line=$(load "$first" --header "$cookie"); echo "  $first_line"
  echo "[$engine] filtered page (q=ward, nickname order, page 3)"
  filtered_line=$(load "$filtered" --header "$cookie"); echo "  $filtered_line"
  echo "[$engine] static asset $css"
  static_line=$(load "$base$css"); echo "  $static_line"

  python3 - "$engine" "$GOAL_MS" "$first_line" "$filtered_line" "$static_line" <<'PY'
import re, sys
engine, goal = sys.argv[1], float(sys.argv[2])
def f(line, key): return float(re.search(key + r"=([0-9.]+)", line).group(1))
static = f(sys.argv[5], "p99_ms")
for name, line in (("first page", sys.argv[3]), ("filtered page", sys.argv[4])):
    if f(line, "errors") > 0: print(f"WARNING: {engine} {name} had errors")
    p99 = f(line, "p99_ms")
    verdict = "MET" if p99 < goal else "NOT MET"
    print(f"[{engine}] {name}: p99 {p99:.1f} ms = {p99 / goal:.2f}x the {goal:.0f} ms goal ({verdict}), {p99 / static:.1f}x the static floor ({static:.1f} ms)")
PY
  kill "$server"; wait "$server" 2>/dev/null || true; server=
}

for engine in $ENGINES; do run_engine "$engine"; done

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
source bench/lib.sh

run_engine() {
  local engine=$1 data="$work/$1"
  start_server "$engine" "$data"
  local started=$SECONDS summary
  summary=$("$cpms" demo panels --count "$COUNT" --data-dir "$data" 2>/dev/null)
  echo "[$engine] filled in $((SECONDS - started)) s: $(echo "$summary" | tr '\n' ' ')"
  echo "$summary" | grep -q "panels=$COUNT " || { echo "the demo did not store $COUNT panels" >&2; exit 1; }
  settle_postgres "$engine"

  local busy coordinator css
  busy=$(session_of "$BUSY" "$data")
  coordinator=$(session_of "$COORDINATOR" "$data")
  [ -n "$busy" ] && [ -n "$coordinator" ] || { echo "sign-in failed" >&2; exit 1; }
  css=$(stylesheet "$busy")
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
  verdict "$engine" "$GOAL_MS" "$static_line" "my panels" "$mine_line" "network list" "$ern_line"
  stop_server
}

for engine in $ENGINES; do run_engine "$engine"; done

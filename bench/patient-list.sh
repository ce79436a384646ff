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
source bench/lib.sh

run_engine() {
  local engine=$1 data="$work/$1"
  start_server "$engine" "$data"
  local started=$SECONDS
  "$cpms" demo patients --count "$COUNT" --owner "$OWNER" --data-dir "$data" >"$data/pseudonyms"
  echo "[$engine] enrolled $(wc -l <"$data/pseudonyms") patients in $((SECONDS - started)) s"
  settle_postgres "$engine"

  local session hcp css
  session=$(session_of "$OWNER" "$data")
  [ -n "$session" ] || { echo "sign-in failed" >&2; exit 1; }
  hcp=$(awk -F, -v u="$OWNER" '$1 == u { print $5 }' "$data/training-accounts.csv")
  css=$(stylesheet "$session")
  local first="$base/centres/$hcp/patients" filtered="$base/centres/$hcp/patients?q=ward&sort=nickname&page=3"
  # The list counts matches up to 1,000 and then says "1,000+".
  local shown
  shown=$(python3 -c "n = $COUNT; print('1,000+ patients' if n > 1000 else f'{n:,} patients')")
  curl -fs -b "cpms-session=$session" "$first" | grep -q "$shown" || { echo "the list does not show $shown" >&2; exit 1; }

  local cookie="Cookie: cpms-session=$session"
  "$target/release/cpms-load" "$first" --header "$cookie" --rate 20 --seconds 2 >/dev/null
  echo "[$engine] first page, $RATE req/s for ${SECONDS_PER_RUN}s"
  first_line=$(load "$first" --header "$cookie"); echo "  $first_line"
  echo "[$engine] filtered page (q=ward, nickname order, page 3)"
  filtered_line=$(load "$filtered" --header "$cookie"); echo "  $filtered_line"
  echo "[$engine] static asset $css"
  static_line=$(load "$base$css"); echo "  $static_line"
  verdict "$engine" "$GOAL_MS" "$static_line" "first page" "$first_line" "filtered page" "$filtered_line"
  stop_server
}

for engine in $ENGINES; do run_engine "$engine"; done

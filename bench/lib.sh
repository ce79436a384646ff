# Shared by the benchmark scripts: the release build, a scratch directory,
# a training server per engine, sign-in, the fixed-rate load and the verdict.
# Source it after `set -euo pipefail` and `cd` to the repository root; it
# reads RATE, SECONDS_PER_RUN and PG_URL.

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

# Starts the training server on ENGINE (sqlite, or a fresh PostgreSQL
# database) with its data in DATA; sets `server` (its pid) and `base`.
start_server() {
  local engine=$1 data=$2 port
  mkdir -p "$data"
  if [ "$engine" = postgres ]; then
    pgdb="cpms_bench_$$"
    psql "$PG_URL/postgres" -qc "CREATE DATABASE $pgdb" >/dev/null
    export CPMS_DATABASE_URL="$PG_URL/$pgdb"
    "$cpms" migrate --data-dir "$data" >/dev/null
  else
    unset CPMS_DATABASE_URL
  fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  base="http://127.0.0.1:$port"
  CPMS_PASSWORD_HASHING=fast "$cpms" serve --training --data-dir "$data" --listen "127.0.0.1:$port" 2>"$data/server.log" &
  server=$!
  for _ in $(seq 1 240); do curl -fs "$base/readyz" >/dev/null && [ -s "$data/training-accounts.csv" ] && break; sleep 0.5; done
}

stop_server() {
  kill "$server"; wait "$server" 2>/dev/null || true; server=
}

# What autovacuum does within a minute or so of a bulk load: statistics for
# the planner and the visibility map for index-only scans. Run after a fill
# so the measurement does not depend on when autovacuum wakes up.
settle_postgres() {
  [ "$1" = postgres ] && psql "$CPMS_DATABASE_URL" -qc "VACUUM ANALYZE" >/dev/null
  return 0
}

# Signs USER in (training accounts skip the second factor) and prints the
# session cookie's value.
session_of() {
  local user=$1 data=$2 password jar csrf
  password=$(awk -F, -v u="$user" '$1 == u { print $2 }' "$data/training-accounts.csv")
  jar="$data/cookies-$user"
  csrf=$(curl -fs -c "$jar" -b "$jar" "$base/signin" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1)
  curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "username=$user" --data-urlencode "password=$password" \
    --data-urlencode "csrf=$csrf" "$base/signin"
  awk '$6 == "cpms-session" { print $7 }' "$jar"
}

# The stylesheet's fingerprinted path, the static floor every run compares with.
stylesheet() {
  curl -fs -b "cpms-session=$1" "$base/" | sed -n 's/.*href="\(\/static\/cpms\.[0-9a-f]*\.css\)".*/\1/p' | head -n1
}

# verdict ENGINE GOAL_MS STATIC_LINE NAME LINE [NAME LINE …]: p99 of each
# named load line against the goal and the static floor.
verdict() {
  python3 - "$@" <<'PY'
import re, sys
engine, goal, static_line, pairs = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4:]
def f(line, key): return float(re.search(key + r"=([0-9.]+)", line).group(1))
static = f(static_line, "p99_ms")
for name, line in zip(pairs[::2], pairs[1::2]):
    if f(line, "errors") > 0: print(f"WARNING: {engine} {name} had errors")
    p99 = f(line, "p99_ms")
    verdict = "MET" if p99 < goal else "NOT MET"
    print(f"[{engine}] {name}: p99 {p99:.1f} ms = {p99 / goal:.2f}x the {goal:.0f} ms goal ({verdict}), {p99 / static:.1f}x the static floor ({static:.1f} ms)")
PY
}

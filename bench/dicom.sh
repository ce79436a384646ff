#!/usr/bin/env bash
# DICOMweb benchmark beside Orthanc (issue 6). Installs Debian's `orthanc`
# and `orthanc-dicomweb` if missing, starts Orthanc on loopback with its own
# configuration in the scratch directory (DICOMweb plugin, no
# authentication, storage on the same disk) and the release ERN-CPMS server
# (training, SQLite). Makes an API token for a training clinician, enrols one
# patient, writes the same synthetic studies for both (SLICES CT slices of
# 512×512×16 bit; RADIOGRAPHS radiographs of 2–10 MB) and measures:
#   - the disk: dd of 1 GiB with conv=fdatasync;
#   - ingest: STOW-RS of the CT series, then of the radiographs, one request
#     each through the same client (bench/dicom_client.py); MB/s of ours
#     (de-identification included) against Orthanc (goal ≥ 2×) and dd (≥ 0.5);
#   - a rendered frame (middle CT slice, PNG), COUNT GETs in turn, p50/p99
#     against Orthanc's /instances/{id}/frames/0/rendered (goal ≤ 1×);
#   - the CT series' WADO-RS metadata, COUNT GETs, p50/p99 against Orthanc's
#     /dicom-web/studies/{s}/series/{se}/metadata (goal ≤ 1×).
# With FULL=1, both stores are then filled to FILL (50,000) instances (small
# CT studies of 500 instances, one STOW each) and the series metadata is
# measured again: goal p99 under 200 ms and ≤ 1× Orthanc. This takes long.
#
#   bench/dicom.sh
#   SLICES=300 RADIOGRAPHS=8 COUNT=200 FULL=1 FILL=50000 bench/dicom.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SLICES=${SLICES:-300}
RADIOGRAPHS=${RADIOGRAPHS:-8}
COUNT=${COUNT:-200}
FULL=${FULL:-0}
FILL=${FILL:-50000}
RATE=1 SECONDS_PER_RUN=1 # lib.sh's fixed-rate load is not used here
USER_NAME=bond-hp1

if ! [ -x /usr/sbin/Orthanc ] || ! [ -e /usr/share/orthanc/plugins/libOrthancDicomWeb.so ]; then
  [ "$(id -u)" = 0 ] || { echo "run as root to install orthanc and orthanc-dicomweb" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q orthanc orthanc-dicomweb >/dev/null ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q orthanc orthanc-dicomweb >/dev/null; }
fi
source bench/lib.sh
cargo build --release --locked -q -p cpms-dicom --example bench_studies
client() { python3 bench/dicom_client.py "$@"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
field() { python3 -c 'import json, sys; print(eval("json.load(sys.stdin)" + sys.argv[1]))' "$1"; }

# Orthanc, stopped by the same trap as our server.
orthanc=
stop_orthanc() { [ -n "$orthanc" ] && { kill "$orthanc" 2>/dev/null; wait "$orthanc" 2>/dev/null || true; }; }
trap 'stop_orthanc; cleanup' EXIT
mkdir -p "$work/orthanc"
oport=$(free_port)
obase="http://127.0.0.1:$oport"
cat >"$work/orthanc/orthanc.json" <<JSON
{
  "Name": "cpms-bench",
  "StorageDirectory": "$work/orthanc/db",
  "IndexDirectory": "$work/orthanc/db",
  "Plugins": ["/usr/share/orthanc/plugins/libOrthancDicomWeb.so"],
  "HttpPort": $oport,
  "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false,
  "DicomServerEnabled": false,
  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" }
}
JSON
/usr/sbin/Orthanc "$work/orthanc/orthanc.json" 2>"$work/orthanc/orthanc.log" &
orthanc=$!
for _ in $(seq 1 120); do curl -fs "$obase/system" >/dev/null && break; sleep 0.5; done
echo "Orthanc $(curl -fs "$obase/system" | field '["Version"]') on $obase"

# Ours: a token for the clinician, one enrolled patient.
data="$work/cpms"
start_server sqlite "$data"
session=$(session_of "$USER_NAME" "$data")
[ -n "$session" ] || { echo "sign-in failed" >&2; exit 1; }
cookie="cpms-session=$session"
csrf_of() { curl -fs -b "$cookie" "$base$1" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1; }
token=$(curl -fs -b "$cookie" --data-urlencode "name=bench" --data-urlencode "csrf=$(csrf_of /account/tokens)" \
  "$base/account/tokens" | sed -n 's/.*id="token-secret">\([^<]*\)<.*/\1/p')
[ -n "$token" ] || { echo "no API token" >&2; exit 1; }
hcp=$(awk -F, -v u="$USER_NAME" '$1 == u { print $5 }' "$data/training-accounts.csv")
new="/centres/$hcp/patients/new"
record=$(curl -fs -o /dev/null -w '%{redirect_url}' -b "$cookie" --data-urlencode "name=Bench Patient" \
  --data-urlencode "date_of_birth=2011-09-03" --data-urlencode "record_number=BENCH-1" --data-urlencode "sex=male" \
  --data-urlencode "country=IT" --data-urlencode "care_consent_date=2026-02-01" --data-urlencode "csrf=$(csrf_of "$new")" \
  "$base$new")
pseudonym=${record##*/}
[ -n "$pseudonym" ] || { echo "enrolment failed" >&2; exit 1; }
echo "ERN-CPMS on $base, patient $pseudonym"

studies="$work/studies"
fill=0
[ "$FULL" = 1 ] && fill=$((FILL - SLICES - RADIOGRAPHS))
"$target/release/examples/bench_studies" "$studies" "$SLICES" "$RADIOGRAPHS" "$fill"
echo "studies: $SLICES CT slices ($(du -sm "$studies/ct" | cut -f1) MB), $RADIOGRAPHS radiographs ($(du -sm "$studies/dx" | cut -f1) MB)"

dd_line=$(dd if=/dev/zero of="$work/dd" bs=1M count=1024 conv=fdatasync 2>&1 | tail -n1)
rm -f "$work/dd"
dd_mbps=$(echo "$dd_line" | python3 -c 'import re, sys; l = sys.stdin.read(); b = int(l.split()[0]); s = float(re.search(r", ([0-9.]+) s,", l).group(1)); print(f"{b / s / 1e6:.1f}")')
echo "dd conv=fdatasync: $dd_mbps MB/s"

# Ingest: the same two requests to each server, Orthanc first.
for kind in ct dx; do
  client stow "$obase/dicom-web/studies" "$studies/$kind" >"$work/orthanc-$kind.json"
  client stow "$base/dicomweb/patients/$pseudonym/studies" "$studies/$kind" "$token" >"$work/ours-$kind.json"
done
ingest() { # ingest SERVER → MB/s over both requests
  python3 - "$work/$1-ct.json" "$work/$1-dx.json" <<'PY'
import json, sys
runs = [json.load(open(f)) for f in sys.argv[1:]]
print(f"{sum(r['bytes'] for r in runs) / sum(r['seconds'] for r in runs) / 1e6:.1f}")
PY
}
ours_mbps=$(ingest ours)
orthanc_mbps=$(ingest orthanc)

# The middle CT slice: ours under its de-identified UIDs, Orthanc's by its id.
middle=$((SLICES / 2))
uids_of() { field "[\"instances\"][$middle]" <"$work/$1-ct.json" | tr -d "[],'"; }
read -r o_study o_series o_sop < <(uids_of orthanc)
read -r study series sop < <(uids_of ours)
o_id=$(curl -fs -X POST --data "$o_sop" "$obase/tools/lookup" | field '[0]["ID"]')

echo "rendered frame ($COUNT GETs each)"
ours_render=$(client latency "$base/dicomweb/studies/$study/series/$series/instances/$sop/frames/1/rendered" "$COUNT" image/png "$token")
echo "  ours:    $ours_render"
orthanc_render=$(client latency "$obase/instances/$o_id/frames/0/rendered" "$COUNT" image/png)
echo "  Orthanc: $orthanc_render"
echo "series metadata, $SLICES instances ($COUNT GETs each)"
ours_meta=$(client latency "$base/dicomweb/studies/$study/series/$series/metadata" "$COUNT" application/dicom+json "$token")
echo "  ours:    $ours_meta"
orthanc_meta=$(client latency "$obase/dicom-web/studies/$o_study/series/$o_series/metadata" "$COUNT" application/dicom+json)
echo "  Orthanc: $orthanc_meta"

python3 - "$ours_mbps" "$orthanc_mbps" "$dd_mbps" "$ours_render" "$orthanc_render" "$ours_meta" "$orthanc_meta" <<'PY'
import json, sys
ours, orthanc, dd = map(float, sys.argv[1:4])
render_o, render_t, meta_o, meta_t = map(json.loads, sys.argv[4:8])
def met(ok): return "MET" if ok else "NOT MET"
for r in (render_o, render_t, meta_o, meta_t):
    if r["errors"]: print("WARNING: some GETs failed")
print(f"ingest: ours {ours:.1f} MB/s, Orthanc {orthanc:.1f} MB/s = {ours / orthanc:.2f}x (goal >= 2x: {met(ours >= 2 * orthanc)}); "
      f"{ours / dd:.2f} of dd {dd:.1f} MB/s (goal >= 0.5: {met(ours >= 0.5 * dd)})")
for name, o, t in (("rendered frame", render_o, render_t), ("series metadata", meta_o, meta_t)):
    for p in ("p50_ms", "p99_ms"):
        ratio = o[p] / t[p]
        print(f"{name} {p[:3]}: ours {o[p]:.1f} ms, Orthanc {t[p]:.1f} ms = {ratio:.2f}x (goal <= 1x: {met(ratio <= 1)})")
PY

[ "$FULL" = 1 ] || exit 0
echo "filling both stores to $FILL instances"
for folder in "$studies"/fill/*; do
  client stow "$obase/dicom-web/studies" "$folder" >/dev/null
  client stow "$base/dicomweb/patients/$pseudonym/studies" "$folder" "$token" >/dev/null
done
echo "series metadata, $SLICES instances, $FILL stored ($COUNT GETs each)"
ours_meta=$(client latency "$base/dicomweb/studies/$study/series/$series/metadata" "$COUNT" application/dicom+json "$token")
echo "  ours:    $ours_meta"
orthanc_meta=$(client latency "$obase/dicom-web/studies/$o_study/series/$o_series/metadata" "$COUNT" application/dicom+json)
echo "  Orthanc: $orthanc_meta"
python3 - "$FILL" "$ours_meta" "$orthanc_meta" <<'PY'
import json, sys
fill, o, t = int(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
def met(ok): return "MET" if ok else "NOT MET"
print(f"series metadata p99 with {fill:,} stored: ours {o['p99_ms']:.1f} ms (goal < 200 ms: {met(o['p99_ms'] < 200)}), "
      f"Orthanc {t['p99_ms']:.1f} ms = {o['p99_ms'] / t['p99_ms']:.2f}x (goal <= 1x: {met(o['p99_ms'] <= t['p99_ms'])})")
PY

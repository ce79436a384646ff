"""The one HTTP client bench/dicom.sh uses for ERN-CPMS and for Orthanc alike
(python3 `requests`), so that both servers see the same requests.

  dicom_client.py stow URL DIR [TOKEN]
      STOW-RS of every DIR/*.dcm in one multipart/related request, streamed
      from disk; prints {"bytes", "seconds", "instances": [[study, series,
      instance], ...]} with the UIDs the server reports it stored under.
  dicom_client.py latency URL COUNT ACCEPT [TOKEN]
      One warm-up GET, then COUNT GETs in turn on one keep-alive connection;
      prints {"p50_ms", "p99_ms", "errors", "bytes"}.
"""

import json
import math
import os
import sys
import time

import requests

BOUNDARY = "cpms-bench-boundary-5f0e2c"


class MultipartBody:
    """A multipart/related body read part by part from the files, with a
    known length so it goes out with Content-Length, not chunked."""

    def __init__(self, paths):
        self.pieces = []
        for path in paths:
            head = f"--{BOUNDARY}\r\nContent-Type: application/dicom\r\n\r\n".encode()
            self.pieces += [head, path, b"\r\n"]
        self.pieces.append(f"--{BOUNDARY}--\r\n".encode())
        self.length = sum(len(p) if isinstance(p, bytes) else os.path.getsize(p) for p in self.pieces)
        self.current = None

    def __len__(self):
        return self.length

    def read(self, size=1 << 20):
        while True:
            if self.current is not None:
                chunk = self.current.read(size)
                if chunk:
                    return chunk
                self.current.close()
                self.current = None
            if not self.pieces:
                return b""
            piece = self.pieces.pop(0)
            if isinstance(piece, bytes):
                return piece
            self.current = open(piece, "rb")


def session(token):
    s = requests.Session()
    if token:
        s.headers["Authorization"] = f"Bearer {token}"
    return s


def uids(url):
    """(study, series, instance) from a RetrieveURL ending in
    …/studies/S/series/SE/instances/I."""
    parts = url.rstrip("/").split("/")
    return [parts[-5], parts[-3], parts[-1]]


def stow(url, folder, token=None):
    paths = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".dcm"))
    body = MultipartBody(paths)
    size = len(body)
    started = time.perf_counter()
    response = session(token).post(
        url,
        data=body,
        headers={
            "Content-Type": f'multipart/related; type="application/dicom"; boundary={BOUNDARY}',
            "Accept": "application/dicom+json",
        },
    )
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        sys.exit(f"STOW to {url} answered {response.status_code}: {response.text[:500]}")
    report = response.json()
    failed = report.get("00081198", {}).get("Value", [])
    if failed:
        sys.exit(f"STOW to {url}: {len(failed)} instances failed: {json.dumps(failed)[:500]}")
    stored = report.get("00081199", {}).get("Value", [])
    if len(stored) != len(paths):
        sys.exit(f"STOW to {url} stored {len(stored)} of {len(paths)} instances")
    instances = [
        uids(item["00081190"]["Value"][0])
        if "00081190" in item
        else [None, None, item["00081155"]["Value"][0]]
        for item in stored
    ]
    print(json.dumps({"bytes": size, "seconds": seconds, "instances": instances}))


def latency(url, count, accept, token=None):
    s = session(token)
    s.headers["Accept"] = accept
    s.get(url).raise_for_status()
    times, errors, size = [], 0, 0
    for _ in range(count):
        started = time.perf_counter()
        response = s.get(url)
        size = len(response.content)
        times.append((time.perf_counter() - started) * 1000)
        errors += response.status_code != 200
    times.sort()

    def pct(p):  # nearest rank
        return times[max(0, math.ceil(p / 100 * len(times)) - 1)]

    print(json.dumps({"p50_ms": pct(50), "p99_ms": pct(99), "errors": errors, "bytes": size}))


def main():
    command, args = sys.argv[1], sys.argv[2:]
    if command == "stow":
        stow(*args)
    elif command == "latency":
        latency(args[0], int(args[1]), *args[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Fetch benchmark on the shared corpus: 500 feeds x 50 items over 50 loopback hosts, 50 ms added latency.
# Prints: first fetch into an empty cache, second fetch (all 304), fetch after --mutate, and peak memory.
# Usage: [NODELAY=1] benches/fetch.sh [FEEDS] [ITEMS]   (defaults 500 50). Needs ../shared/bench and python3.
# BIN=path/to/tidings measures another build (then nothing is built); each line also gives the CPU
# time of the command (user + system) and that CPU time over the new items.
set -euo pipefail
cd "$(dirname "$0")/.."
FEEDS=${1:-500}
ITEMS=${2:-50}
HOSTS=50
BENCH=../shared/bench
# NODELAY=1 serves with TCP_NODELAY (see benches/serve_nodelay.py); by default the server as it is.
if [ "${NODELAY:-0}" = 1 ]; then SERVE="python3 $PWD/benches/serve_nodelay.py"; else SERVE=python3; fi
[ -f "$BENCH/gen_corpus.py" ] || { echo "SKIPPED: $BENCH is missing"; exit 0; }
WORK=$(mktemp -d /tmp/tidings-fetch-bench.XXXXXX)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=target/release/tidings
fi
python3 "$BENCH/gen_corpus.py" --out "$WORK/corpus" --feeds "$FEEDS" --items "$ITEMS" >/dev/null
$SERVE "$BENCH/serve.py" --root "$WORK/corpus" --port 0 --port-file "$WORK/port" \
  --delay-ms 50 --hosts $HOSTS --max-seconds 600 >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/port")

k=0
while read -r name; do
  echo "http://127.0.0.$((1 + k % HOSTS)):$PORT/$name"
  k=$((k + 1))
done <"$WORK/corpus/feeds.txt" >"$WORK/urls"

# One untimed pass so the server's gzip cache is warm.
$BIN --home "$WORK/warm" import "$WORK/urls" >/dev/null 2>&1
$BIN --home "$WORK/warm" fetch --quiet

run() { # label
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" $BIN --home "$WORK/home" fetch --json >"$WORK/report.json"
  read -r secs kb user sys <"$WORK/time"
  python3 - "$1" "$secs" "$kb" "$WORK/report.json" "$user" "$sys" <<'PY'
import json, sys
label, secs, kb, path = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
cpu = float(sys.argv[5]) + float(sys.argv[6])
r = json.load(open(path))
per = f"{cpu / r['new_items'] * 1e6:5.0f} us/new item" if r['new_items'] else "      -"
print(f"{label:<28} {secs:6.2f} s wall  stored at {r['stored_secs']:5.2f} s  digested at {r['digested_secs']:5.2f} s  indexed at {r['elapsed_secs']:5.2f} s  "
      f"peak {kb/1024:6.1f} MB  cpu {cpu:5.2f} s ({per})  updated {r['updated']} not-modified {r['not_modified']} failed {len(r['failed'])} new {r['new_items']}")
PY
}

$BIN --home "$WORK/home" import "$WORK/urls" >/dev/null 2>&1
echo "corpus: $FEEDS feeds x $ITEMS items, $(du -sh "$WORK/corpus" | cut -f1), $HOSTS hosts, 50 ms latency, $(nproc) cores"
run "first fetch (empty cache)"
run "second fetch (all 304)"
python3 "$BENCH/gen_corpus.py" --out "$WORK/corpus" --feeds "$FEEDS" --items "$ITEMS" --mutate >/dev/null
run "after --mutate (10% changed)"
echo "cache: $(du -h "$WORK/home/cache.db" | cut -f1), items: $($BIN --home "$WORK/home" feeds --json | python3 -c 'import json,sys; print(sum(f["items"] for f in json.load(sys.stdin)))')"

#!/usr/bin/env bash
# Side by side with newsboat on one generated corpus served on loopback with no added latency.
#
# Each round starts both programs from an empty cache of their own and times, alternately (the
# program that goes first swaps every round):
#   - tidings: `tidings fetch` into an empty cache (downloads, store, digests, search index,
#     retention: everything is done when it returns), then the unchanged re-fetch (all 304);
#   - newsboat: `newsboat -x reload` (reload-threads 8) into an empty cache, then a second reload
#     (it sends no conditional headers on that one, see ../shared/bench/README.md), then a third
#     (all 304): its unchanged re-fetch at its best.
# Prints every run, then the medians and the ratios of the medians (newsboat / tidings).
#
# Usage: [NODELAY=1] benches/vs_newsboat.sh [FEEDS] [ITEMS] [ROUNDS]   (defaults 200 50 5); BIN=path/to/tidings
# measures another build (then nothing is built).
# Needs ../shared/bench, python3 and newsboat (`apt-get install -y newsboat`). Only 127.0.0.x is
# contacted; both programs get their own temp home, config and cache, never the user's.
set -euo pipefail
cd "$(dirname "$0")/.."
FEEDS=${1:-200}
ITEMS=${2:-50}
ROUNDS=${3:-5}
HOSTS=${HOSTS:-50}
BENCH=../shared/bench
# NODELAY=1 serves with TCP_NODELAY (see benches/serve_nodelay.py); by default the server as it is.
if [ "${NODELAY:-0}" = 1 ]; then SERVE="python3 $PWD/benches/serve_nodelay.py"; else SERVE=python3; fi
[ -f "$BENCH/gen_corpus.py" ] || { echo "SKIPPED: $BENCH is missing"; exit 0; }
command -v newsboat >/dev/null || { echo "SKIPPED: newsboat is not installed (apt-get install -y newsboat)"; exit 0; }
# Nothing goes through a proxy: every address is on this machine.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy='*'
WORK=$(mktemp -d /tmp/tidings-vs-newsboat.XXXXXX)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=$PWD/target/release/tidings
fi
python3 "$BENCH/gen_corpus.py" --out "$WORK/corpus" --feeds "$FEEDS" --items "$ITEMS" >/dev/null
$SERVE "$BENCH/serve.py" --root "$WORK/corpus" --port 0 --port-file "$WORK/port" \
  --delay-ms 0 --hosts "$HOSTS" --max-seconds 3600 >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/port")

k=0
while read -r name; do
  echo "http://127.0.0.$((1 + k % HOSTS)):$PORT/$name"
  k=$((k + 1))
done <"$WORK/corpus/feeds.txt" >"$WORK/urls"
printf 'reload-threads 8\n' >"$WORK/newsboat.conf"

# One untimed pass of each so that the server's gzip cache is warm.
$BIN --home "$WORK/warm" import "$WORK/urls" >/dev/null 2>&1
$BIN --home "$WORK/warm" fetch --quiet
mkdir -p "$WORK/nbwarm"
env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_CACHE_HOME HOME="$WORK/nbwarm" newsboat -u "$WORK/urls" -c "$WORK/nbwarm/cache.db" -C "$WORK/newsboat.conf" \
  -x reload >/dev/null 2>&1

RESULTS="$WORK/results.tsv"
: >"$RESULTS"

timed() { # program label command...
  local program=$1 label=$2
  shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err" || {
    echo "$program $label failed:" >&2
    cat "$WORK/err" >&2
    exit 1
  }
  read -r secs user sys kb <"$WORK/time"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$program" "$label" "$secs" "$user" "$sys" "$kb" >>"$RESULTS"
  printf '  %-8s %-22s %6.2f s wall  %6.2f s cpu  peak %6.1f MB\n' "$program" "$label" "$secs" \
    "$(echo "$user + $sys" | bc)" "$(echo "scale=1; $kb / 1024" | bc)"
}

tidings_round() { # round
  local home="$WORK/t$1"
  $BIN --home "$home" import "$WORK/urls" >/dev/null 2>&1
  timed tidings first $BIN --home "$home" fetch --json
  python3 - "$WORK/out" "$FEEDS" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert not r["failed"], r["failed"]
assert r["updated"] == int(sys.argv[2]), r
PY
  timed tidings unchanged $BIN --home "$home" fetch --json
  python3 - "$WORK/out" "$FEEDS" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["not_modified"] == int(sys.argv[2]) and r["new_items"] == 0, r
PY
  ITEMS_TIDINGS=$($BIN --home "$home" feeds --json | python3 -c 'import json,sys; print(sum(f["items"] for f in json.load(sys.stdin)))')
  rm -rf "$home"
}

newsboat_round() { # round
  local home="$WORK/n$1"
  mkdir -p "$home"
  local nb=(env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_CACHE_HOME HOME="$home" newsboat -u "$WORK/urls" -c "$home/cache.db" -C "$WORK/newsboat.conf" -x reload)
  timed newsboat first "${nb[@]}"
  timed newsboat second "${nb[@]}"
  timed newsboat unchanged "${nb[@]}"
  ITEMS_NEWSBOAT=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from rss_item").fetchone()[0])' "$home/cache.db")
  rm -rf "$home"
}

echo "corpus: $FEEDS feeds x $ITEMS items, $(du -sh "$WORK/corpus" | cut -f1), $HOSTS loopback hosts, 0 ms latency, $(nproc) cores"
echo "tidings $($BIN --version | awk '{print $2}'), $(newsboat --version | head -1 | cut -d' ' -f1-2) with reload-threads 8"
for r in $(seq "$ROUNDS"); do
  echo "round $r"
  if [ $((r % 2)) -eq 1 ]; then
    tidings_round "$r"
    newsboat_round "$r"
  else
    newsboat_round "$r"
    tidings_round "$r"
  fi
  echo "  items stored: tidings $ITEMS_TIDINGS, newsboat $ITEMS_NEWSBOAT"
done

python3 - "$RESULTS" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    program, label, secs, user, sys_, kb = line.split("\t")
    runs.setdefault((program, label), []).append((float(secs), float(user) + float(sys_), int(kb)))
def med(program, label, i=0):
    return statistics.median(r[i] for r in runs[(program, label)])
print("medians (wall, cpu, peak memory):")
for (program, label) in runs:
    print(f"  {program:<8} {label:<10} {med(program, label):6.2f} s  {med(program, label, 1):6.2f} s cpu  "
          f"{med(program, label, 2) / 1024:6.1f} MB   (wall {min(r[0] for r in runs[(program, label)]):.2f}"
          f"-{max(r[0] for r in runs[(program, label)]):.2f} s)")
first = med("newsboat", "first") / med("tidings", "first")
again = med("newsboat", "unchanged") / med("tidings", "unchanged")
second = med("newsboat", "second") / med("tidings", "unchanged")
print(f"ratio, first fetch into an empty cache: {first:.1f}x")
print(f"ratio, unchanged re-fetch (newsboat's third reload, all 304): {again:.1f}x")
print(f"ratio, unchanged re-fetch against newsboat's second reload (no conditional requests): {second:.1f}x")
# On a machine shared with other work the wall ratio follows the processor time each gets;
# the ratio of processor time (user + system) is the steadier figure there.
cpu = med("newsboat", "first", 1) / med("tidings", "first", 1)
cpu_again = med("newsboat", "unchanged", 1) / max(med("tidings", "unchanged", 1), 0.005)
print(f"processor time ratio, first fetch: {cpu:.1f}x; unchanged re-fetch: {cpu_again:.0f}x")
PY

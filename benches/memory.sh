#!/usr/bin/env bash
# Peak memory (maximum resident set size, from /usr/bin/time -v) for feeds at the caps:
#   - `add` of one local feed of 500,000 empty RSS items (about 14 MB; 16 MiB is the body cap),
#   - `add` of one local JSON Feed of 450,000 items (about 15 MB),
#   - one `fetch` of four such RSS feeds over HTTP on 127.0.0.1 (python3 -m http.server), and
#     one of four feeds of 500,000 items with distinct guids (5,000 of each are stored),
#   - `show` of a 15 MB feed file.
# Usage: benches/memory.sh [BIN]   (default: a release build, made first). Needs python3 and
# GNU time (`apt-get install time`). Prints one line per case: seconds and peak MB.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "SKIPPED: /usr/bin/time is missing (apt-get install time)"; exit 0; }
if [ $# -ge 1 ]; then
  BIN=$(realpath "$1")
else
  cargo build --release --quiet
  BIN=$PWD/target/release/tidings
fi
WORK=$(mktemp -d /tmp/tidings-memory-bench.XXXXXX)
SERVER=
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT

python3 - "$WORK" <<'PY'
import sys
work = sys.argv[1]
head = '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>big</title><link>http://127.0.0.1/</link>\n'
with open(f"{work}/rss500k.xml", "w") as f:
    f.write(head)
    f.write('<item><title></title></item>\n' * 500_000)
    f.write('</channel></rss>\n')
with open(f"{work}/guid500k.xml", "w") as f:
    f.write(head)
    f.write(''.join('<item><guid>%d</guid></item>\n' % i for i in range(500_000)))
    f.write('</channel></rss>\n')
items = ','.join('{"id":"%d","content_text":""}' % i for i in range(450_000))
with open(f"{work}/json450k.json", "w") as f:
    f.write('{"version":"https://jsonfeed.org/version/1.1","title":"j","items":[' + items + ']}')
PY
mkdir -p "$WORK/www"
for i in 1 2 3 4; do
  cp "$WORK/rss500k.xml" "$WORK/www/feed$i.xml"
  cp "$WORK/guid500k.xml" "$WORK/www/guid$i.xml"
done

measure() { # label, then the command
  local label=$1
  shift
  /usr/bin/time -v -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err" || {
    echo "$label: FAILED"
    cat "$WORK/err"
    return
  }
  local kb secs
  kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$WORK/time")
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time")
  printf '%-44s %10s wall  peak %7.1f MB\n' "$label" "$secs" "$(awk -v k="$kb" 'BEGIN {print k / 1024}')"
}

echo "$(nproc) cores; binary $BIN"
measure "add: RSS, 500,000 empty items ($(du -h "$WORK/rss500k.xml" | cut -f1))" \
  "$BIN" --home "$WORK/h1" add "$WORK/rss500k.xml"
measure "add: JSON Feed, 450,000 items ($(du -h "$WORK/json450k.json" | cut -f1))" \
  "$BIN" --home "$WORK/h2" add "$WORK/json450k.json"
measure "show: RSS file, 500,000 empty items" \
  "$BIN" --home "$WORK/h3" show "$WORK/rss500k.xml" --item 1

python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$WORK/www" >"$WORK/server.log" 2>&1 &
SERVER=$!
PORT=
for _ in $(seq 100); do
  PORT=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$WORK/server.log" | head -1)
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || { echo "the HTTP server did not start"; exit 1; }
fetch4() { # label, file prefix, home
  for i in 1 2 3 4; do echo "http://127.0.0.1:$PORT/$2$i.xml"; done >"$WORK/urls"
  "$BIN" --home "$3" import "$WORK/urls" >/dev/null
  measure "$1" "$BIN" --home "$3" fetch --quiet
  echo "  items stored: $("$BIN" --home "$3" feeds --json |
    python3 -c 'import json,sys; print(sum(f["items"] for f in json.load(sys.stdin)))')"
}
fetch4 "fetch: four such RSS feeds over HTTP" feed "$WORK/h4"
fetch4 "fetch: four feeds of 500,000 guids ($(du -h "$WORK/guid500k.xml" | cut -f1) each)" guid "$WORK/h5"

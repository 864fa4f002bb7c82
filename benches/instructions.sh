#!/usr/bin/env bash
# The work of a first fetch counted in instructions, for a machine too noisy to time a few
# percent: `tidings fetch` into an empty cache (downloads, store, digests, search index,
# retention) of a generated corpus served on loopback with no added latency, run under
# valgrind's cachegrind, which counts every instruction the program's threads execute (not the
# kernel's). Two runs of one build differ by about 0.01%, against 10-30% for processor time on a
# shared machine.
#
# Instructions are not time: they leave out cache misses and the kernel, and count each byte of a
# `rep movsb` copy or `rep stosb` fill as one. Compare builds with it, then check the change in
# time too (benches/fetch.sh, alternating).
#
# Usage: benches/instructions.sh [FEEDS] [ITEMS]   (defaults 200 50); BIN="path/a path/b" counts
# other builds, in turn, on the same served corpus (then nothing is built). Prints, per build, the
# instructions per new item and the ten functions with the most; the whole count stays in
# cachegrind.out.<n> in a temp directory named on the last line, for `cg_annotate`.
# Needs ../shared/bench, python3 and valgrind (`apt-get install -y valgrind`); takes about a
# minute per build for 10,000 items. Only 127.0.0.1 is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."
FEEDS=${1:-200}
ITEMS=${2:-50}
BENCH=../shared/bench
[ -f "$BENCH/gen_corpus.py" ] || { echo "SKIPPED: $BENCH is missing"; exit 0; }
command -v valgrind >/dev/null || { echo "SKIPPED: valgrind is not installed (apt-get install -y valgrind)"; exit 0; }
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy='*'
WORK=$(mktemp -d /tmp/tidings-instructions.XXXXXX)
# The counts are kept for cg_annotate; the corpus and caches go.
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK/corpus" "$WORK/home" "$WORK/urls"' EXIT

if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=$PWD/target/release/tidings
fi
python3 "$BENCH/gen_corpus.py" --out "$WORK/corpus" --feeds "$FEEDS" --items "$ITEMS" >/dev/null
python3 "$BENCH/serve.py" --root "$WORK/corpus" --port 0 --port-file "$WORK/port" \
  --delay-ms 0 --hosts 1 --max-seconds 3600 >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/port")
sed "s|^|http://127.0.0.1:$PORT/|" "$WORK/corpus/feeds.txt" >"$WORK/urls"
# One untimed pass so the server's gzip cache is warm (the same answers for every build).
first=${BIN%% *}
"$first" --home "$WORK/warm" import "$WORK/urls" >/dev/null 2>&1
"$first" --home "$WORK/warm" fetch --quiet
rm -rf "$WORK/warm"

echo "corpus: $FEEDS feeds x $ITEMS items, loopback, no latency"
n=0
for bin in $BIN; do
  n=$((n + 1))
  rm -rf "$WORK/home"
  "$bin" --home "$WORK/home" import "$WORK/urls" >/dev/null 2>&1
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$WORK/cachegrind.out.$n" \
    "$bin" --home "$WORK/home" fetch --json >"$WORK/report.json" 2>"$WORK/valgrind.log"
  python3 - "$bin" "$WORK/cachegrind.out.$n" "$WORK/report.json" <<'PY'
import collections, json, sys
binary, out, report = sys.argv[1:]
by_fn = collections.Counter()
fn = None
for line in open(out):
    if line.startswith("fn="):
        fn = line[3:].strip()
    elif fn and line[:1].isdigit():
        parts = line.split()
        if len(parts) >= 2:
            by_fn[fn] += int(parts[1])
total = sum(by_fn.values())
new = json.load(open(report))["new_items"]
print(f"{binary}: {total:,} instructions, {total / max(new, 1):,.0f} per new item ({new} new)")
for name, n in by_fn.most_common(10):
    print(f"  {n / total * 100:5.2f}%  {name[:100]}")
PY
done
echo "cachegrind output: $WORK"

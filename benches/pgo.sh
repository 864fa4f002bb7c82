#!/usr/bin/env bash
# Makes pgo/tidings.profdata, the profile release builds are optimized with (README,
# "Profile-guided optimization"): builds tidings instrumented, runs it on a training workload that
# is not the benchmarks' corpus (a generated corpus of another seed and size served on loopback: a
# first fetch, a fetch of nothing new, one after --mutate; items shown as the reader shows them;
# a filter; the reader itself in tmux; article extraction on real pages; feeds of feedparser's
# tests shown from their files), and merges what it counted. Run it again when the code has moved
# on: a function whose code changed since loses its counts (silently, the build is still right).
# Needs ../shared (bench and datasets), python3, tmux and `rustup component add llvm-tools`;
# takes about 15 minutes on two cores (PGO_BIN=path skips the build and trains that instrumented
# binary). Only 127.0.0.1 is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BENCH=../shared/bench
DATA=../shared/datasets
[ -f "$BENCH/gen_corpus.py" ] && [ -d "$DATA/feedparser-tests" ] || { echo "SKIPPED: ../shared is missing"; exit 1; }
PROFDATA=$(find "$(rustc --print sysroot)" -name llvm-profdata -type f | head -1)
[ -n "$PROFDATA" ] || { echo "llvm-profdata is missing: rustup component add llvm-tools"; exit 1; }
command -v tmux >/dev/null || { echo "tmux is missing (apt-get install tmux)"; exit 1; }
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
W=$(mktemp -d /tmp/tidings-pgo.XXXXXX)
trap 'kill $SERVER 2>/dev/null || true; tmux kill-session -t tidings-pgo 2>/dev/null || true; rm -rf "$W"' EXIT
SERVER=

# Every process of the training writes its counts here (PGO_BIN: an instrumented build made before).
export LLVM_PROFILE_FILE="$W/raw/%m_%p.profraw"
if [ -n "${PGO_BIN:-}" ]; then
  BIN=$PGO_BIN
else
  TIDINGS_PGO=off RUSTFLAGS="-Cprofile-generate=$W/raw" \
    cargo build --release --locked --quiet --target-dir "$W/target"
  BIN=$W/target/release/tidings
fi

python3 $BENCH/gen_corpus.py --out $W/corpus --feeds 120 --items 40 --seed 7 >/dev/null
python3 $BENCH/serve.py --root $W/corpus --port 0 --port-file $W/port --delay-ms 0 --hosts 20 \
  --max-seconds 900 >/dev/null 2>&1 &
SERVER=$!
for _ in $(seq 100); do [ -s $W/port ] && break; sleep 0.1; done
PORT=$(cat $W/port)
k=0
while read -r name; do echo "http://127.0.0.$((1 + k % 20)):$PORT/$name"; k=$((k + 1)); done \
  <$W/corpus/feeds.txt >$W/urls

H=$W/home
$BIN --home $H import $W/urls >/dev/null 2>&1
$BIN --home $H fetch --quiet
$BIN --home $H fetch --quiet
python3 $BENCH/gen_corpus.py --out $W/corpus --feeds 120 --items 40 --seed 7 --mutate >/dev/null
$BIN --home $H fetch --quiet
for id in 1 5 17 33 60 88 119; do
  $BIN --home $H show "$id" --json --width 100 >/dev/null
  $BIN --home $H show "$id" --raw --width 72 >/dev/null
done
$BIN --home $H show all --filter 'text:"market" and unread' --width 90 >/dev/null
$BIN --home $H feeds --json >/dev/null
tmux new -d -s tidings-pgo -x 120 -y 35 "$BIN --home $H"
sleep 2
for key in j j j Enter j j Enter q j Enter q Enter j j j j Enter J J J q q q q q; do
  tmux send-keys -t tidings-pgo "$key" 2>/dev/null || true
  sleep 0.3
done
sleep 1
for f in $(ls $DATA/article-extraction-benchmark/html/*.html.gz | head -12); do
  gunzip -c "$f" >$W/page.html
  $BIN --home $H extract $W/page.html --width 90 >/dev/null 2>&1 || true
done
for f in $(find $DATA/feedparser-tests/wellformed -name '*.xml' | sort | awk 'NR % 25 == 0'); do
  $BIN --home $H show "$f" --json >/dev/null 2>&1 || true
done

"$PROFDATA" merge --sparse -o "$ROOT/pgo/tidings.profdata" $W/raw
rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p' >"$ROOT/pgo/llvm-version"
echo "wrote pgo/tidings.profdata ($(du -h "$ROOT/pgo/tidings.profdata" | cut -f1)) for LLVM $(cat "$ROOT/pgo/llvm-version")"
# Cargo does not see the wrapper's inputs: what it built with the old profile stays until cleaned.
echo "release builds take it after: cargo clean --release"

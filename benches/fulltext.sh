#!/usr/bin/env bash
# Full text for summary-only feeds, the whole `tidings fetch`: teaser feeds whose items link to
# article pages (site chrome around six paragraphs), served on loopback with added latency over
# several hosts. Each round fetches the same corpus into an empty cache twice, alternating the order:
# with the feeds set to `full_text = "never"` (only the teasers) and to `"always"` (every new item's
# page fetched, extracted, stored, digested and indexed). Prints when items were readable (stored),
# when everything was done, the pages fetched, processor time and peak memory, then the medians.
#
# Usage: benches/fulltext.sh [FEEDS] [ITEMS] [ROUNDS]   (defaults 100 20 3); BIN=path/to/tidings
# measures another build (then nothing is built). Needs python3; only 127.0.0.x is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."
FEEDS=${1:-100}
ITEMS=${2:-20}
ROUNDS=${3:-3}
HOSTS=${HOSTS:-10}
DELAY_MS=${DELAY_MS:-50}
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy='*'
WORK=$(mktemp -d /tmp/tidings-fulltext-bench.XXXXXX)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=$PWD/target/release/tidings
fi

# The corpus: feeds whose items carry a one-sentence teaser and link to their page.
python3 - "$WORK/corpus" "$FEEDS" "$ITEMS" <<'PY'
import os, random, sys
out, feeds, items = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(7)
words = ("harbour council bridge market river festival ferry school library museum weather storm "
         "train station budget housing repairs engineers commuters fishermen tourists season "
         "report minister village coast island lighthouse tide morning evening winter summer").split()
def sentence(n):
    s = " ".join(rnd.choice(words) for _ in range(n))
    return s[0].upper() + s[1:] + "."
os.makedirs(os.path.join(out, "pages"), exist_ok=True)
for f in range(feeds):
    entries = []
    for i in range(items):
        page = f"pages/f{f}-{i}.html"
        title = sentence(6)[:-1]
        paras = "".join(f"<p>{' '.join(sentence(rnd.randint(12, 24)) for _ in range(4))}</p>" for _ in range(6))
        html = (f"<!doctype html><html><head><title>{title}</title>"
                f"<meta property='og:title' content='{title}'></head><body>"
                "<header><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a>"
                "</nav></header><div class='share'>Share this: <a href='#'>Mail</a> <a href='#'>Post</a></div>"
                f"<main><article><h1>{title}</h1>{paras}</article></main>"
                "<aside class='related'><h2>Most read</h2><ul><li><a href='/a'>Another story</a></li>"
                "<li><a href='/b'>One more story</a></li></ul></aside>"
                "<footer>Sign up for our newsletter. Copyright the Gazette.</footer></body></html>")
        open(os.path.join(out, page), "w").write(html)
        entries.append((i, title, page, sentence(14)))
    xml = [f"<?xml version='1.0'?><rss version='2.0'><channel><title>Teasers {f}</title>"
           "<link>https://teasers.example/</link>"]
    for i, title, page, teaser in entries:
        xml.append(f"<item><guid>f{f}-{i}</guid><title>{title}</title><link>PAGE_BASE/{page}</link>"
                   f"<pubDate>Tue, 01 Dec 2026 {i % 24:02d}:00:00 GMT</pubDate>"
                   f"<description>{teaser}</description></item>")
    xml.append("</channel></rss>")
    open(os.path.join(out, f"feed-{f}.xml"), "w").write("".join(xml))
PY

# A loopback server with a delay per request, on 127.0.0.1 .. 127.0.0.HOSTS, pages as text/html
# (../shared/bench/serve.py serves everything as a feed).
python3 - "$WORK/corpus" "$WORK/port" "$DELAY_MS" "$HOSTS" >"$WORK/server.log" 2>&1 <<'PY' &
import http.server, os, socketserver, sys, threading, time
root, port_file, delay, hosts = sys.argv[1], sys.argv[2], int(sys.argv[3]) / 1000, int(sys.argv[4])
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The headers and the body go out in two writes. With Nagle's algorithm on, the body's write
    # waits for the client to acknowledge the headers, and Linux delays that ACK by up to 40 ms:
    # each response took about 90 ms instead of 50, and the bench measured this server, not the
    # page fetcher (half its slots idle). Web servers send with TCP_NODELAY; so does this one.
    disable_nagle_algorithm = True
    def log_message(self, *a): pass
    def do_GET(self):
        time.sleep(delay)
        path = os.path.normpath(self.path.split("?")[0]).lstrip("/")
        full = os.path.join(root, path)
        if ".." in path or not os.path.isfile(full):
            body, ctype, code = b"not found\n", "text/plain", 404
        else:
            body = open(full, "rb").read()
            ctype = "text/html; charset=utf-8" if full.endswith(".html") else "application/rss+xml; charset=utf-8"
            code = 200
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
first = Server(("127.0.0.1", 0), Handler)
port = first.server_address[1]
servers = [first] + [Server((f"127.0.0.{h}", port), Handler) for h in range(2, hosts + 1)]
for s in servers:
    threading.Thread(target=s.serve_forever, daemon=True).start()
open(port_file, "w").write(str(port))
time.sleep(1800)
PY
SERVER=$!
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/port")
# Each feed's pages live on the feed's own host (the page fetcher allows a loopback page only there).
for f in $(seq 0 $((FEEDS - 1))); do
  host="127.0.0.$((1 + f % HOSTS))"
  sed -i "s#PAGE_BASE#http://$host:$PORT#g" "$WORK/corpus/feed-$f.xml"
  echo "http://$host:$PORT/feed-$f.xml \"bench\""
done >"$WORK/urls"

run() { # mode
  local home="$WORK/home-$1"
  rm -rf "$home"
  mkdir -p "$home"
  printf '[[feed]]\ntag = "bench"\nfull_text = "%s"\n' "$1" >"$home/config.toml"
  $BIN --home "$home" import "$WORK/urls" >/dev/null 2>&1
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" $BIN --home "$home" fetch --json >"$WORK/report.json"
  read -r secs kb user sys <"$WORK/time"
  python3 - "$1" "$secs" "$kb" "$user" "$sys" "$WORK/report.json" >>"$WORK/runs" <<'PY'
import json, sys
mode, secs, kb, user, sys_, path = sys.argv[1:]
r = json.load(open(path))
p = r["pages"]
print(f"{mode} {secs} {r['stored_secs']} {r['elapsed_secs']} {float(user) + float(sys_):.2f} {int(kb) / 1024:.1f} "
      f"{r['new_items']} {p['fetched']} {p['kept']} {p['failed']} {p['pending']}")
PY
  tail -n1 "$WORK/runs" | awk '{printf "  %-7s %6.2f s wall  readable at %5.2f s  done at %5.2f s  cpu %5.2f s  peak %6.1f MB  items %s  pages fetched %s kept %s failed %s pending %s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11}'
}

echo "corpus: $FEEDS teaser feeds x $ITEMS items, pages on $HOSTS hosts, $DELAY_MS ms latency, $(nproc) cores"
: >"$WORK/runs"
for round in $(seq "$ROUNDS"); do
  echo "round $round"
  if [ $((round % 2)) -eq 1 ]; then run never; run always; else run always; run never; fi
done
python3 - "$WORK/runs" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
print("medians:")
for mode in ("never", "always"):
    rs = [r for r in rows if r[0] == mode]
    med = lambda i: statistics.median(float(r[i]) for r in rs)
    print(f"  {mode:<7} wall {med(1):.2f} s, readable at {med(2):.2f} s, done at {med(3):.2f} s, "
          f"cpu {med(4):.2f} s, peak {med(5):.1f} MB, pages fetched {med(7):.0f}")
PY

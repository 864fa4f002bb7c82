#!/bin/sh
# Filtering 100,000 items with the release binary: the whole command
# `tidings show all --filter EXPR --item 1` (every item filtered, one printed) and `--json` (every
# match printed), median of 5 runs. The cache is built once through the binary itself (`import` of
# 500 local feed files of 200 items, ~2.5 KB HTML bodies of news words, dated over 60 days, then
# `fetch`; a third of the feeds marked read) under target/filter-bench-sh/.
# Run: cargo build --release && sh benches/filter.sh   (BIN=path ROOT=dir for another build)
# (benches/filter.rs measures the same in-process, through Store::filter_ids: `cargo bench --bench filter`.)
set -eu
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/tidings}
# ROOT=dir keeps another build's cache apart (a cache built by an older build lacks what a newer
# one keeps while fetching).
ROOT=${ROOT:-target/filter-bench-sh}
HOME_DIR=$ROOT/home
if [ ! -f "$HOME_DIR/built" ]; then
    rm -rf "$ROOT"; mkdir -p "$ROOT/feeds" "$HOME_DIR"
    printf '[reader]\nrefresh_on_start = false\n[dedup]\nstories = false\n' > "$HOME_DIR/config.toml"
    python3 - "$ROOT/feeds" <<'PY'
import sys, random, time, email.utils
out = sys.argv[1]
rng = random.Random(7)
W = ("the of and to in is that for it as was with be by on not this are or from at which but have an had they "
     "were their one all we can has there been if more when will would who so no government harbour council "
     "weather results market library station bridge festival report science river school energy transport "
     "museum café résumé naïve minister budget election court police hospital football season players company "
     "shares prices workers union strike climate storm flood village city county").split()
now = int(time.time())
def s(n): return " ".join(rng.choice(W) for _ in range(n))
opml = ['<?xml version="1.0"?><opml version="2.0"><body>']
for f in range(500):
    items = []
    for j in range(200):
        body = ""
        while len(body) < 2500:
            body += "<p>%s <a href=\"https://example.test/x\">%s</a> %s.</p>\n" % (s(20), s(3), s(15))
        t = s(7).capitalize()
        d = email.utils.formatdate(now - rng.randrange(60 * 86400), usegmt=True)
        items.append("<item><guid>f%d-%d</guid><title>%s</title><link>https://feeds.example.test/%d/%d</link>"
                     "<pubDate>%s</pubDate><description><![CDATA[%s]]></description></item>" % (f, j, t, f, j, d, body))
    path = "%s/f%d.xml" % (out, f)
    with open(path, "w") as fh:
        fh.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %d</title><link>https://s%d.example.test/</link>%s</channel></rss>' % (f, f, "".join(items)))
    import os
    opml.append('<outline text="Feed %d" xmlUrl="%s" category="tag%02d"/>' % (f, os.path.abspath(path), f % 20))
opml.append("</body></opml>")
open(out + "/../feeds.opml", "w").write("".join(opml))
PY
    start=$(date +%s)
    "$BIN" --home "$HOME_DIR" import "$ROOT/feeds.opml" --allow-local > /dev/null
    "$BIN" --home "$HOME_DIR" fetch --quiet
    python3 - "$HOME_DIR/cache.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE items SET read = 1 WHERE feed_id % 3 = 0")
db.execute("UPDATE items SET starred = 1 WHERE id % 100 = 0")
db.commit()
PY
    echo "built $("$BIN" --home "$HOME_DIR" show all --filter 'unread or not unread' --json | grep -c '"title"') items in $(( $(date +%s) - start )) s"
    touch "$HOME_DIR/built"
fi
median() { sort -n | sed -n 3p; }
run() {
    for _ in 1 2 3 4 5 6; do
        s=$(date +%s%N); "$BIN" --home "$HOME_DIR" show all --filter "$1" --width 80 $2 > /dev/null 2>&1 || true
        echo $(( ($(date +%s%N) - s) / 1000000 ))
    done | tail -5 | median
}
printf '%-18s %8s %10s %10s %7s  %s\n' class matches "item1 ms" "json ms" target expression
while IFS='|' read -r class target expr; do
    n=$("$BIN" --home "$HOME_DIR" show all --filter "$expr" --json --width 80 | grep -c '^    "title"' || true)
    if [ "$n" -le 5000 ]; then j=$(run "$expr" --json); else j=-; fi
    printf '%-18s %8s %10s %10s %7s  %s\n' "$class" "$n" "$(run "$expr" '--item 1')" "$j" "$target" "$expr"
done <<'CASES'
flag|300|unread
flag+tag+age|300|unread and tag:tag03 and age < 7d
feed+starred|300|starred or feed:"Feed 17"
age|300|not unread and age > 30d
regex title|500|title:~"(?i)\bmarket\b"
regex title+flag|500|unread and title:~"^Council .* (bridge|river)"
words title|500|title:"river market"
words text|2000|text:"harbour festival"
words text+regex|2000|text:café and not title:~"(?i)sponsored"
CASES

#!/usr/bin/env bash
# Hostile markup, timed as the user meets it: `tidings show FILE` and `tidings add FILE` (the whole
# command: parse, store, digests, search index) of feeds whose items are built to make an HTML
# parser slow. Target: any body within the 16 MiB cap parses and lays out in under 1 s.
# Usage: benches/hostile.sh            Prints one line per case: seconds and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN=$PWD/target/release/tidings
WORK=$(mktemp -d /tmp/tidings-hostile.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

python3 - "$WORK" <<'PY'
import sys, os
out = sys.argv[1]
def feed(name, body, items):
    with open(os.path.join(out, name + ".xml"), "w") as f:
        f.write('<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title>' % name)
        for i in range(items):
            f.write('<item><guid>%s-%d</guid><title>%s %d</title><description><![CDATA[%s %d]]></description></item>'
                    % (name, i, name, i, body, i))
        f.write('</channel></rss>')
cases = {
    "nested_div_100k": "<div>" * 100_000 + "deep text",
    "unclosed_formatting_100k": "".join("<b><i><u><s><em><strong><font><code><small><big><tt><strike><nobr><a>"[i % 1:] for i in range(1)) * 1 + "".join("<%s>x" % t for t in ["b", "i", "u", "s", "em", "strong", "font", "code", "small", "big", "tt", "strike", "nobr"] * 7_700),
    "reopened_formatting_paragraphs": "<b><i><u><s><em><strong><font><code><small><big><tt><strike><nobr>" + "<p>para" * 1_000_000,
    "reopened_formatting_16mib": "<b><i><u><s><em><strong><font><code><small><big><tt><strike><nobr>" + "<p>para" * 2_300_000,
    "ordinary_paragraphs_16mib": "<p>A plain paragraph of an ordinary article, with a few words.</p>\n" * 250_000,
    "nested_lists_100k": "<ul><li>" * 100_000 + "leaf",
    "nested_tables_20k": "<table><tr><td>" * 20_000 + "cell",
    "table_10k_columns": "<table>" + ("<tr>" + "".join("<td>cell %d</td>" % c for c in range(10_000)) + "</tr>") * 3 + "</table>",
    "table_100k_rows": "<table>" + "<tr><td>a cell of some length that wraps</td><td>and a second one as long</td></tr>" * 100_000 + "</table>",
    "wide_table_wrapped_20k_rows": "<table>" + "<tr><td>2.4</td><td>2026-11-02</td><td>Faster refresh of large feeds, and a fix for feeds whose dates lack a time zone</td><td>None; the cache is upgraded on first start</td></tr>" * 20_000 + "</table>",
}
for name, body in cases.items():
    feed(name, body, 1)
feed("ten_nested_div_items", "<div>" * 100_000 + "deep text", 10)
PY

printf '%-34s %12s %12s %10s\n' case "show (s)" "add (s)" "peak MB"
for f in "$WORK"/*.xml; do
  name=$(basename "$f" .xml)
  /usr/bin/time -f "%e %M" -o "$WORK/t1" "$BIN" --home "$WORK/h-$name" show "$f" >/dev/null
  /usr/bin/time -f "%e %M" -o "$WORK/t2" "$BIN" --home "$WORK/h-$name" add "$f" >/dev/null
  read -r s1 m1 <"$WORK/t1"; read -r s2 m2 <"$WORK/t2"
  peak=$(( (m1 > m2 ? m1 : m2) / 1024 ))
  printf '%-34s %12s %12s %10s   (%s MB)\n' "$name" "$s1" "$s2" "$peak" "$(( $(stat -c %s "$f") / 1048576 ))"
done

#!/usr/bin/env python3
"""What the search index's `detail` costs: the time to index one full refresh's worth of item
text (25,000 items of ~550 words, as `benches/store.rs` stores) and the index's size, for the
contentless FTS5 table tidings uses (`detail=none`) and for `detail=column` and `detail=full`,
which would let SQLite itself answer phrase queries.

Run with `python3 benches/fts_detail.py [items]`; it prints one line per detail setting. It uses
Python's own SQLite (its version is printed), not the one bundled in tidings, so read the ratios
between the lines rather than the absolute figures. The text is generated (deterministic): a
Zipf-like vocabulary of 20,000 words, so common words repeat as in prose.
"""

import os
import random
import sqlite3
import sys
import tempfile
import time


def corpus(n):
    rng = random.Random(42)
    vocab = [f"w{i}x{rng.randrange(1000)}" for i in range(20_000)]
    weights = [1.0 / (i + 1) for i in range(len(vocab))]
    for _ in range(n):
        title = " ".join(rng.choices(vocab, weights, k=8))
        body = " ".join(rng.choices(vocab, weights, k=550))
        yield title, body


def measure(detail, docs):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "fts.db")
        c = sqlite3.connect(path)
        c.execute("PRAGMA journal_mode=WAL")
        c.execute("PRAGMA synchronous=NORMAL")
        c.execute(
            "CREATE VIRTUAL TABLE item_fts USING fts5(title, body, content='', "
            f"detail={detail}, tokenize='unicode61 remove_diacritics 2')"
        )
        start = time.perf_counter()
        for chunk in range(0, len(docs), 2000):
            with c:
                c.executemany(
                    "INSERT INTO item_fts (rowid, title, body) VALUES (?, ?, ?)",
                    [(chunk + i + 1, t, b) for i, (t, b) in enumerate(docs[chunk : chunk + 2000])],
                )
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        took = time.perf_counter() - start
        size = os.path.getsize(path)
        c.close()
        return took, size


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 25_000
    docs = list(corpus(n))
    print(f"SQLite {sqlite3.sqlite_version}, {n} items")
    base = None
    for detail in ("none", "column", "full"):
        took, size = measure(detail, docs)
        base = base or (took, size)
        print(
            f"detail={detail:<6} index {took:6.2f} s ({took / base[0]:.2f}x)  "
            f"size {size / 1e6:7.1f} MB ({size / base[1]:.2f}x)"
        )


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes article.html, the benchmark article for benches/render.rs: about 100 KB of HTML
holding about 80 KB of text, built from a fixed vocabulary with a fixed-seed generator so
that the output is the same on every run.

    python3 assets/bench/gen_article.py > assets/bench/article.html
"""

import random

WORDS = (
    "the a of to and in that is for on with as by at from this it be are was were has have "
    "reader feed article paragraph terminal column width render block layout parse wrap line "
    "style link image table quote list heading code text window screen news update morning "
    "evening story report city council river bridge market price growth energy weather storm "
    "library school museum garden station network signal packet server client request answer "
    "quickly slowly carefully often rarely never always perhaps certainly however meanwhile "
    "café naïve coöperate résumé über straße façade jalapeño"
).split()


def sentence(rng, links):
    n = rng.randint(8, 22)
    words = [rng.choice(WORDS) for _ in range(n)]
    for _ in range(rng.randint(0, 2)):
        i = rng.randrange(n)
        kind = rng.randrange(5)
        if kind == 0:
            words[i] = f"<b>{words[i]}</b>"
        elif kind == 1:
            words[i] = f"<em>{words[i]}</em>"
        elif kind == 2:
            words[i] = f"<code>{words[i]}()</code>"
        elif kind == 3:
            links[0] += 1
            words[i] = f'<a href="/story/{links[0] % 40}.html">{words[i]} {rng.choice(WORDS)}</a>'
        else:
            words[i] = words[i] + " &amp; " + rng.choice(WORDS)
    s = " ".join(words)
    return s[0].upper() + s[1:] + rng.choice([".", ".", ".", "?", "!"])


def paragraph(rng, links):
    return " ".join(sentence(rng, links) for _ in range(rng.randint(3, 6)))


def main():
    rng = random.Random(20261130)
    links = [0]
    out = ["<article>", "<h1>A long article for the renderer benchmark</h1>"]
    section = 0
    while sum(len(p) for p in out) < 98_000:
        section += 1
        out.append(f"<h2>Section {section}: {rng.choice(WORDS)} and {rng.choice(WORDS)}</h2>")
        for _ in range(rng.randint(3, 5)):
            out.append(f"<p>{paragraph(rng, links)}</p>")
        extra = section % 6
        if extra == 0:
            items = "".join(f"<li>{sentence(rng, links)}</li>" for _ in range(4))
            nested = "".join(f"<li>{sentence(rng, links)}</li>" for _ in range(2))
            out.append(f"<ul>{items}<li>Nested<ol>{nested}</ol></li></ul>")
        elif extra == 1:
            out.append(f"<blockquote><p>{paragraph(rng, links)}</p></blockquote>")
        elif extra == 2:
            code = "\n".join(
                f"    let {rng.choice(WORDS)}_{i} = render(&doc, {i * 7});" for i in range(6)
            )
            out.append(f"<pre><code>fn example() {{\n{code}\n}}</code></pre>")
        elif extra == 3:
            rows = "".join(
                f"<tr><td>{rng.choice(WORDS)}</td><td>{rng.randint(1, 999)}</td>"
                f"<td>{rng.choice(WORDS)} {rng.choice(WORDS)}</td></tr>"
                for _ in range(5)
            )
            out.append(f"<table><tr><th>Name</th><th>Count</th><th>Note</th></tr>{rows}</table>")
        elif extra == 4:
            out.append(
                f'<figure><img src="/img/{section}.jpg" alt="Picture {section}">'
                f"<figcaption>{sentence(rng, links)}</figcaption></figure>"
            )
        else:
            out.append("<hr>")
    out.append("</article>")
    print("\n".join(out))


if __name__ == "__main__":
    main()

"""Deterministic analyses for tests and benchmarks: seed -> Markdown with footnotes.

Text is drawn from a fixed vocabulary by ``random.Random(seed)``, so the same seed
always gives the same article. Articles have the shapes that make footnote layout
hard: long and short paragraphs, long URLs, multi-paragraph notes, a note called
twice, a note in a heading and in a list item.
"""

from __future__ import annotations

import random

WORDS = (  # noqa: SIM905 - a paragraph of words reads better than a list of 51 strings
    "alliance sanctions security cooperation defence policy ministers summit treaty "
    "border economy energy pipeline negotiation deterrence exercise capability budget "
    "parliament coalition strategy region member states council agreement conflict "
    "diplomatic channel dialogue pressure ceasefire reconstruction investment trade "
    "supply chain missile programme assessment report analysts government military "
    "escalation stability institution framework commitment partnership objectives"
).split()


def sentence(rng: random.Random, low: int = 8, high: int = 22) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def citation(rng: random.Random, n: int) -> str:
    path = "-".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14)))
    return (
        f"“{sentence(rng, 4, 9)[:-1]}”, Review {n}, "
        f"https://www.example.org/{2020 + n % 5}/{n:02d}/{path}/index.html, "
        f"(Date of Access: {1 + n % 28:02d}.0{1 + n % 9}.2024)."
    )


def make_article(seed: int, words: int = 1000, notes: int = 10, title: str | None = None) -> str:
    """An analysis of about ``words`` words calling ``notes`` footnotes."""
    rng = random.Random(seed)
    body: list[str] = []
    calls = list(range(1, notes + 1))
    count = 0
    while count < words or calls:
        text = paragraph(rng, rng.choice((2, 3, 4, 6, 9)))
        count += len(text.split())
        k = 0
        while calls and k < rng.choice((0, 1, 1, 2, 3)):
            sentences = text.split(". ")
            at = rng.randrange(len(sentences))
            sentences[at] += f"[^{calls.pop(0)}]"
            text = ". ".join(sentences)
            k += 1
        body.append(text)
        if count >= words and not calls:
            break
    if notes >= 3:
        body.insert(2, f"## {sentence(rng, 3, 6)[:-1]}[^{notes + 1}]")
        body.insert(4, f"- {sentence(rng)}[^{notes + 2}]\n- {sentence(rng)}")
        body.append(f"As noted above, {sentence(rng).lower()}[^1]")
    defs = []
    for n in range(1, notes + 3 if notes >= 3 else notes + 1):
        text = citation(rng, n) if n % 3 else sentence(rng, 20, 60)
        if n % 4 == 0:
            text += "\n\n    " + sentence(rng, 15, 40)
        defs.append(f"[^{n}]: {text}")
    title = title or sentence(rng, 4, 8)[:-1]
    front = (
        f"---\ntitle: {title}\ndate: 2024-{1 + seed % 12:02d}-{1 + seed % 28:02d}\n"
        f"author: editors\nlang: en\nsummary: {sentence(rng, 12, 20)}\ntags: [security, policy]\n---\n\n"
    )
    return front + "\n\n".join(body) + "\n\n" + "\n\n".join(defs) + "\n"

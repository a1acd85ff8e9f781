"""Translation checks: catalogs + sources -> findings (``path:line: severity: message [check]``).

Every check is a small function registered in ``CHECKS`` with its name and severity
(Babel's checkers, as generators of messages):

- a *translation* check takes a ``Pair`` (one published entry: source text,
  translation, languages, the document's parsed body) and yields messages; the
  finding is placed on the entry's ``msgid`` line in its PO file;
- a *source* check takes a ``Document`` and its ``Body`` and yields
  ``(line, message, msgid)``; the finding is placed in the source file.

Only what a build publishes is checked: translated entries that are not fuzzy, not
obsolete, and whose msgid is still a text of the source.

Silencing one check: add the flag ``no-<check>-check`` to the entry
(``#, no-numbers-check``; several flags are separated by commas). ``update`` keeps
flags (Babel merges them). Source checks of one document are silenced in its front
matter: ``check-flags: [no-turkish-letters-check]``. An unknown ``no-…-check`` flag
is itself reported (``flags``), so a typo does not silence anything unnoticed.
``describe()`` lists the checks; ``build.py check --help`` prints it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from babel import Locale
from babel.messages.catalog import Catalog
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol
from markdown_it.token import Token

from .catalogs import UI_DOMAIN, catalog_path, entries, footnote_mismatch, read_catalog, ui_template
from .content import Document
from .errors import CatalogError, Problem, Severity
from .segments import Body, parse_inline

if TYPE_CHECKING:
    from .site import Project

Scope = Literal["translation", "source"]
FLAG = re.compile(r"^no-(.+)-check$")
FRONT_MATTER_FLAGS = "check-flags"


@dataclass(frozen=True)
class Finding:
    """One problem found by a check, where a translator or author fixes it."""

    path: str
    line: int | None
    severity: Severity
    check: str
    message: str
    msgid: str | None = None
    """The entry's msgid (or the source paragraph), for tools; None for whole-file problems."""

    @classmethod
    def from_problem(cls, problem: Problem) -> Finding:
        return cls(problem.path, problem.line, problem.severity, problem.check, problem.message)

    def __str__(self) -> str:
        return str(Problem(self.path, self.line, self.severity, self.message, self.check))

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "check": self.check,
            "message": self.message,
            "msgid": self.msgid,
        }

    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, self.check, self.message)


@dataclass(frozen=True)
class Check:
    """A registered check."""

    name: str
    severity: Severity
    scope: Scope
    func: Callable[..., Iterable[Any]]

    @property
    def flag(self) -> str:
        """The catalog flag that silences this check on one entry."""
        return f"no-{self.name}-check"

    @property
    def summary(self) -> str:
        return (self.func.__doc__ or "").strip().splitlines()[0]


CHECKS: list[Check] = []
"""Every check, in the order they run; the built-ins register themselves here."""


def register(name: str, severity: Severity, scope: Scope = "translation"):
    """Decorator: add a check function to ``CHECKS``."""

    def decorator(func):
        CHECKS.append(Check(name, severity, scope, func))
        return func

    return decorator


def describe() -> str:
    """The checks, their severities and flags (for ``--help``)."""
    lines = ["checks (silence one on an entry with the catalog flag `#, no-<check>-check`):"]
    for c in CHECKS:
        where = "source" if c.scope == "source" else "catalog"
        lines.append(f"  {c.name:<18} {c.severity:<8} {where:<8} {c.summary}")
    lines += [
        "  footnotes          both     source   undefined or duplicate (error), unused (warning)",
        "  catalog            both     catalog  unreadable (error) or missing (warning) catalog",
        "  flags              warning  both     a no-…-check flag that names no check",
        "source checks are silenced per document in the front matter:",
        f"  {FRONT_MATTER_FLAGS}: [no-<check>-check]",
    ]
    return "\n".join(lines)


@dataclass
class Pair:
    """One published translation, as a translation check sees it."""

    msgid: str
    msgstr: str
    source_lang: str
    lang: str
    body: Body
    """The document's parsed body (footnote labels, reference links); empty for UI strings."""
    ui: bool = False
    """A UI string of templates/ (printf-style placeholders apply)."""
    flags: frozenset[str] = frozenset()

    @cached_property
    def source(self) -> list[Token]:
        return _children(self.msgid, self.body)

    @cached_property
    def target(self) -> list[Token]:
        return _children(self.msgstr, self.body)


# -- reading parsed inline text ----------------------------------------------------------


def _children(text: str, body: Body) -> list[Token]:
    """The inline tokens of ``text``, images' alt text spliced in after the image."""
    out: list[Token] = []
    for tok in parse_inline(text, body).children or []:
        out.append(tok)
        if tok.type == "image":
            out.extend(tok.children or [])
    return out


def _is_autolink(tok: Token) -> bool:
    return tok.type == "link_open" and tok.markup in ("linkify", "autolink")


def _plain(tokens: list[Token], *, urls: bool = True, code: bool = True, ref: str = "") -> str:
    """The text a reader sees (markup dropped); bare URLs and code spans optionally left
    out, footnote calls replaced by ``ref``."""
    out: list[str] = []
    in_url = False
    for tok in tokens:
        if _is_autolink(tok):
            in_url = True
            out.append(" " if not urls else "")
        elif tok.type == "link_close":
            in_url = False
        elif tok.type in ("text", "text_special") and (urls or not in_url):
            out.append(tok.content)
        elif tok.type == "code_inline":
            out.append(tok.content if code else " ")
        elif tok.type == "footnote_ref":
            out.append(ref)
        elif tok.type == "softbreak":
            out.append(" ")
        elif tok.type == "hardbreak":
            out.append("\n")
    return unicodedata.normalize("NFC", "".join(out))


_WORD = re.compile(r"[^\W\d_]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _language(lang: str) -> str:
    try:
        return Locale.parse(lang).english_name or lang
    except (ValueError, TypeError):
        return lang


# -- translation checks ----------------------------------------------------------------


@register("footnote-refs", "error")
def footnote_refs(pair: Pair) -> Iterator[str]:
    """footnote references: the same labels, each as often as in the source"""
    if not pair.ui and (problem := footnote_mismatch(pair.msgid, pair.msgstr, pair.body)):
        yield problem


def _hrefs(tokens: list[Token]) -> set[str]:
    found = set()
    for tok in tokens:
        if tok.type == "link_open":
            found.add(str(tok.attrGet("href")))
        elif tok.type == "image":
            found.add(str(tok.attrGet("src")))
    return found


@register("links", "error")
def links(pair: Pair) -> Iterator[str]:
    """link targets and URLs (links, autolinks, bare URLs, images) kept as in the source"""
    source, target = _hrefs(pair.source), _hrefs(pair.target)
    parts = []
    if source - target:
        parts.append("drops " + ", ".join(sorted(source - target)))
    if target - source:
        parts.append("adds " + ", ".join(sorted(target - source)))
    if parts:
        yield "translation " + " and ".join(parts) + " (link targets must be kept as in the source)"


_CONSTRUCTS = {
    "em_open": "emphasis *…*",
    "strong_open": "strong **…**",
    "s_open": "strikethrough ~~…~~",
    "code_inline": "code span `…`",
    "link_open": "link […](…)",
    "image": "image ![…](…)",
}
_DELIMITERS = ("*", "_", "`", "~~", "](")


def _constructs(tokens: list[Token]) -> Counter[str]:
    return Counter(
        _CONSTRUCTS[t.type] for t in tokens if t.type in _CONSTRUCTS and not _is_autolink(t)
    )


@register("markup", "error")
def markup(pair: Pair) -> Iterator[str]:
    """inline markup balanced and kept: as many emphasis, strong, code spans, links and images; code unchanged"""
    source, target = _constructs(pair.source), _constructs(pair.target)
    differences = [
        f"{name}: {source[name]} in the source, {target[name]} in the translation"
        for name in _CONSTRUCTS.values()
        if source[name] != target[name]
    ]
    if differences:
        src_text, tgt_text = _plain(pair.source), _plain(pair.target)
        stray = [d for d in _DELIMITERS if tgt_text.count(d) > src_text.count(d)]
        hint = f" (unbalanced markup: “{'”, “'.join(stray)}” left as text)" if stray else ""
        yield "; ".join(differences) + hint
        return
    src_code = Counter(t.content for t in pair.source if t.type == "code_inline")
    tgt_code = Counter(t.content for t in pair.target if t.type == "code_inline")
    if src_code != tgt_code:
        changed = ", ".join(f"`{c}`" for c in sorted((src_code - tgt_code).elements()))
        yield f"code span {changed} changed in the translation (code is kept as written)"


# Numbers: a numeric token is digit groups joined by "." "," or a space-like character,
# read in the notation of its text's language (Babel's symbols: "2.1" in English is
# "2,1" in Turkish and Russian, "10,000" is "10.000" / "10 000"). A translation may keep
# the source's notation only inside quotation marks (titles quoted as published):
# elsewhere "10,000" in Turkish reads as ten.
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*")
_SPACES = "\u00a0\u202f "
_SPACED = re.compile(r"\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:[.,]\d+)?")
_PERCENT_AFTER = re.compile(r"[\u00a0\u202f ]?(?:%|per ?cent\b|процент)", re.IGNORECASE)
_PERCENT_BEFORE = re.compile(
    r"(?:(?<![\d\u00a0\u202f ])%|(?<!\d)[\u00a0\u202f ]%|yüzde)[\u00a0\u202f ]?$", re.IGNORECASE
)
_OPENING, _CLOSING = "“«„‹", "”»›"


@dataclass(frozen=True)
class _Number:
    text: str
    percent: bool
    value: Decimal | None
    """Read in its text's notation; None when it is no number there (07.08.2023)."""
    digits: tuple[int, ...]
    foreign: Decimal | None = None
    """Read in the source's notation (translations only)."""
    quoted: bool = False


def _value(token: str, lang: str) -> Decimal | None:
    """``token`` read in the notation of ``lang``, or None if it is not a number there."""
    try:
        decimal, groups = get_decimal_symbol(lang), get_group_symbol(lang) + _SPACES
    except (ValueError, TypeError):
        decimal, groups = ".", "," + _SPACES
    whole, _, fraction = token.partition(decimal)
    if fraction and not fraction.isdigit():
        return None
    parts = re.split(f"[{re.escape(groups)}]", whole)
    if not all(p.isdigit() for p in parts):
        return None
    if len(parts) > 1 and not (len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])):
        return None
    return Decimal("".join(parts) + ("." + fraction if fraction else ""))


def _quoted(text: str) -> bool:
    """Whether the end of ``text`` is inside quotation marks."""
    depth, straight = 0, False
    for ch in text:
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            depth = max(depth - 1, 0)
        elif ch == '"':
            straight = not straight
    return depth > 0 or straight


def _numbers(text: str, lang: str, source_lang: str | None = None) -> list[_Number]:
    """Numbers of ``text`` written in ``lang``; a translation's also read in ``source_lang``."""
    found = []
    for m in _NUMBER.finditer(text):
        start = m.start()
        pieces = [m.group()]
        if any(s in m.group() for s in _SPACES) and not _SPACED.fullmatch(m.group()):
            pieces = re.split(f"[{_SPACES}]", m.group())
        for piece in pieces:
            start = text.index(piece, start)
            end = start + len(piece)
            found.append(
                _Number(
                    piece,
                    bool(_PERCENT_AFTER.match(text, end) or _PERCENT_BEFORE.search(text[:start])),
                    _value(piece, lang),
                    tuple(int(g) for g in re.findall(r"\d+", piece)),
                    _value(piece, source_lang) if source_lang else None,
                    _quoted(text[:start]) if source_lang else False,
                )
            )
            start = end
    return found


def _written(number: _Number) -> str:
    return number.text + ("%" if number.percent else "")


def _in_notation(number: _Number, lang: str, always: bool = False) -> str | None:
    """How ``number`` is written in ``lang`` (Babel's locale data), when that can differ."""
    value = number.value
    if value is None or not (
        always or number.percent or value != value.to_integral_value() or value >= 10000
    ):
        return None
    try:
        if number.percent:
            return format_percent(value / 100, locale=lang, decimal_quantization=False)
        return format_decimal(value, locale=lang, decimal_quantization=False)
    except (ValueError, TypeError):
        return None


@register("numbers", "warning")
def numbers(pair: Pair) -> Iterator[str]:
    """numbers, years and percentages of the source reappear, in the target's notation (2.1% = %2,1 = 2,1 %)"""
    source = _numbers(_plain(pair.source, urls=False, code=False, ref=" "), pair.source_lang)
    target = _numbers(
        _plain(pair.target, urls=False, code=False, ref=" "), pair.lang, pair.source_lang
    )

    def same(s: _Number, t: _Number) -> bool:
        if s.value is None:
            return s.digits == t.digits
        return s.value == t.value or (t.quoted and s.value == t.foreign)

    left = []
    for s in source:
        if t := next((t for t in target if t.percent == s.percent and same(s, t)), None):
            target.remove(t)
        else:
            left.append(s)
    missing, foreign = [], []
    for s in left:
        if t := next(
            (
                t
                for t in target
                if t.percent == s.percent and s.value is not None and s.value == t.foreign
            ),
            None,
        ):
            target.remove(t)
            foreign.append(
                f"{_written(t)} ({_language(pair.lang)}: {_in_notation(s, pair.lang, always=True)})"
            )
        else:
            hint = _in_notation(s, pair.lang)
            missing.append(
                f"{_written(s)} ({_language(pair.lang)}: {hint})"
                if hint and hint != _written(s)
                else _written(s)
            )
    parts = []
    if missing:
        parts.append("number(s) of the source missing from the translation: " + ", ".join(missing))
    if foreign:
        parts.append(f"number(s) in {_language(pair.source_lang)} notation: " + ", ".join(foreign))
    if parts:
        yield "; ".join(parts)


_NAMED = re.compile(r"%\([^)\s]+\)[-#0+]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
_PRINTF = re.compile(r"%%|%(?:\([^)\s]+\))?[-#0+]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa]")
_BRACE_NAMED = re.compile(r"\{[A-Za-z_]\w*\}")
_BRACE = re.compile(r"\{\{|\}\}|\{(?:[A-Za-z_]\w*|\d+)?(?:\.\w+|\[\w+\])*(?:![rsa])?(?::[^{}]*)?\}")


def _placeholders(text: str, formatted: bool) -> set[str]:
    """Placeholders of ``text``: every printf and brace form in UI strings; in prose only
    the unambiguous ``%(name)s`` and ``{name}`` ("2% of" is no placeholder)."""
    patterns = (_PRINTF, _BRACE) if formatted else (_NAMED, _BRACE_NAMED)
    return {m for p in patterns for m in p.findall(text) if m not in ("%%", "{{", "}}")}


@register("placeholders", "error")
def placeholders(pair: Pair) -> Iterator[str]:
    """placeholders (%(name)s, %s, {name}) the same as in the source"""
    formatted = pair.ui or bool(pair.flags & {"python-format", "python-brace-format"})
    source, target = _placeholders(pair.msgid, formatted), _placeholders(pair.msgstr, formatted)
    parts = []
    if source - target:
        parts.append("drops " + ", ".join(sorted(source - target)))
    if target - source:
        parts.append("adds " + ", ".join(sorted(target - source)))
    if parts:
        yield "translation " + " and ".join(parts) + " (placeholders must match the source)"


def _edges(text: str) -> tuple[str, str]:
    stripped = text.strip()
    if not stripped:
        return text, ""
    start = text.index(stripped)
    return text[:start], text[start + len(stripped) :]


@register("whitespace", "warning")
def whitespace(pair: Pair) -> Iterator[str]:
    """leading and trailing whitespace the same as in the source"""
    (src_lead, src_trail), (tgt_lead, tgt_trail) = _edges(pair.msgid), _edges(pair.msgstr)
    if src_lead != tgt_lead:
        yield f"leading whitespace {tgt_lead!r} differs from the source's {src_lead!r}"
    if src_trail != tgt_trail:
        yield f"trailing whitespace {tgt_trail!r} differs from the source's {src_trail!r}"


_CLOSERS = "\"'”’“»›)]}\u00a0\u202f \t\n"
_FINAL = dict(zip(".!?:…。！？：؟", ".!?:….!?:?", strict=True))


def _final(text: str) -> str | None:
    """The sentence-final punctuation of ``text`` (after closing quotes and note calls)."""
    stripped = text.rstrip(_CLOSERS)
    if stripped.endswith("..."):
        return "…"
    return _FINAL.get(stripped[-1:])


@register("punctuation", "warning")
def punctuation(pair: Pair) -> Iterator[str]:
    """final punctuation (. ! ? : …) kept; quotes, brackets and note calls may stand on either side"""
    wanted = _final(_plain(pair.source))
    if wanted is None:
        return
    got = _final(_plain(pair.target))
    if got != wanted:
        ending = f"ends with “{got}”" if got else "has no final punctuation"
        yield f"the source ends with “{wanted}” but the translation {ending}"


_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def _script(ch: str) -> str | None:
    name = unicodedata.name(ch, "")
    return next((s for s in _SCRIPTS if name.startswith(s + " ")), None)


@register("mixed-script", "error")
def mixed_script(pair: Pair) -> Iterator[str]:
    """no word mixes scripts (a Latin look-alike “a”, “o”, “c”, “e”, “p”, “x” in a Cyrillic word)"""
    text = _plain(pair.target, urls=False, code=False, ref=" ")
    # The odd letters are those not in the script of most of the text: the Cyrillic
    # "А" of "NАТО" in Turkish, the Latin "a" of "сaнкции" in Russian.
    overall = Counter(s for ch in text if (s := _script(ch)))
    found = []
    for word in dict.fromkeys(_words(text)):
        scripts = Counter(s for ch in word if (s := _script(ch)))
        if len(scripts) < 2:
            continue
        main = max(scripts, key=lambda s: (overall[s], scripts[s]))
        odd = ", ".join(f"“{ch}”" for ch in dict.fromkeys(word) if _script(ch) not in (main, None))
        others = "/".join(sorted(s.title() for s in scripts if s != main))
        found.append(f"“{word}” ({others} {odd} among {main.title()} letters)")
    if found:
        yield "word(s) mixing scripts: " + "; ".join(found)


_TURKISH = frozenset("ıİğĞşŞ")
_TURKISH_HINTS = {"ı": "dotless ı for i?", "İ": "dotted İ for I?"}
_TURKISH_LANGS = ("tr", "az")


def _turkish_words(text: str, allowed: set[str] = frozenset()) -> list[str]:
    return [w for w in dict.fromkeys(_words(text)) if _TURKISH & set(w) and w not in allowed]


def _turkish_message(words: list[str], lang: str) -> str:
    hints = sorted({_TURKISH_HINTS[ch] for w in words for ch in w if ch in _TURKISH_HINTS})
    hint = f" ({'; '.join(hints)})" if hints else ""
    return (
        f"Turkish letters in {_language(lang)} text: " + ", ".join(f"“{w}”" for w in words) + hint
    )


@register("turkish-letters", "warning")
def turkish_letters(pair: Pair) -> Iterator[str]:
    """no Turkish-only letters (ı İ ğ Ğ ş Ş) in a non-Turkish translation, unless kept from the source"""
    if pair.lang.split("_")[0] in _TURKISH_LANGS:
        return
    kept = set(_words(_plain(pair.source)))
    if words := _turkish_words(_plain(pair.target, urls=False, code=False, ref=" "), kept):
        yield _turkish_message(words, pair.lang)


# -- source checks ---------------------------------------------------------------------


_PROSE = {"paragraph", "list item", "blockquote", "bio"}
_MIN_REPEAT = 60
"""Characters a paragraph needs before its appearance inside another one counts."""


def _contains(outer: str, inner: str) -> bool:
    return re.search(rf"(?:^|\s){re.escape(inner)}(?:\s|$)", outer) is not None


@register("repeated-paragraph", "warning", scope="source")
def repeated_paragraph(doc: Document, body: Body) -> Iterator[tuple[int, str, str]]:
    """no paragraph repeats an earlier one of the document, alone or glued to another"""
    earlier: list[tuple[str, int]] = []
    for unit in body.units:
        if unit.kind not in _PROSE:
            continue
        text = unit.msgid
        for other, line in earlier:
            if other == text:
                yield unit.line, f"paragraph repeats the paragraph on line {line}", text
            elif len(text) >= _MIN_REPEAT and _contains(other, text):
                yield (
                    unit.line,
                    f"paragraph repeats text of the paragraph on line {line} (printed twice?)",
                    text,
                )
            elif len(other) >= _MIN_REPEAT and _contains(text, other):
                yield (
                    unit.line,
                    f"paragraph contains the whole paragraph on line {line} (printed twice?)",
                    text,
                )
            else:
                continue
            break
        earlier.append((text, unit.line))


@register("turkish-letters", "warning", scope="source")
def turkish_letters_in_source(doc: Document, body: Body) -> Iterator[tuple[int, str, str]]:
    """no Turkish-only letters in a non-Turkish source (the seed once had “Ibıd.”)"""
    if doc.lang.split("_")[0] in _TURKISH_LANGS:
        return
    for entry in entries(doc, body):
        if entry.kind == "author name":  # spelled as its bearer spells it: "Şule Yılmaz"
            continue
        if words := _turkish_words(
            _plain(_children(entry.msgid, body), urls=False, code=False, ref=" ")
        ):
            yield entry.line, _turkish_message(words, doc.lang), entry.msgid


# -- running the checks ----------------------------------------------------------------


def _unknown_flags(path: str, line: int | None, flags: Iterable[str], msgid: str | None = None):
    """A finding for every ``no-…-check`` flag that names no check (a typo silences nothing)."""
    known = {c.name for c in CHECKS}
    return [
        Finding(
            path, line, "warning", "flags", f"unknown flag {f} (see `build.py check --help`)", msgid
        )
        for f in sorted(flags)
        if (m := FLAG.match(f)) and m.group(1) not in known
    ]


def check_pair(pair: Pair, checks: Iterable[Check] | None = None) -> list[tuple[Check, str]]:
    """Run the translation checks on one entry; a check whose flag the entry has is skipped."""
    return [
        (c, message)
        for c in (CHECKS if checks is None else checks)
        if c.scope == "translation" and c.flag not in pair.flags
        for message in c.func(pair)
    ]


def check_catalog(
    catalog: Catalog,
    rel: str,
    lang: str,
    source_lang: str,
    body: Body | None,
    wanted: set[str] | None = None,
    checks: Iterable[Check] | None = None,
) -> list[Finding]:
    """Findings on the published entries of one catalog (``body`` None: UI strings)."""
    ui = body is None
    body = body if body is not None else Body(rel, [], {}, [])
    found = []
    for message in catalog:
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        if (
            not ids[0]
            or message.fuzzy
            or not any(strings)
            or (wanted is not None and ids[0] not in wanted)
        ):
            continue
        found += _unknown_flags(rel, message.lineno, message.flags, ids[0])
        for index, msgstr in enumerate(strings):
            if not msgstr:
                continue
            msgid = ids[min(index, 1)]
            pair = Pair(msgid, msgstr, source_lang, lang, body, ui, frozenset(message.flags))
            for c, text in check_pair(pair, checks):
                found.append(Finding(rel, message.lineno, c.severity, c.name, text, ids[0]))
    return found


def check_source(doc: Document, body: Body, checks: Iterable[Check] | None = None) -> list[Finding]:
    """Findings of the source checks on one document, less those its front matter silences."""
    flags = doc.meta.get(FRONT_MATTER_FLAGS) or []
    flags = [flags] if isinstance(flags, str) else [str(f) for f in flags]
    found = _unknown_flags(doc.path, doc.lines.get(FRONT_MATTER_FLAGS), flags)
    for c in CHECKS if checks is None else checks:
        if c.scope == "source" and c.flag not in flags:
            found += [
                Finding(doc.path, line, c.severity, c.name, text, msgid)
                for line, text, msgid in c.func(doc, body)
            ]
    return found


def _read(project: Project, lang: str, domain: str) -> tuple[Catalog | None, str, list[Finding]]:
    path = catalog_path(project.config, lang, domain)
    rel = project.config.rel(path)
    if not path.exists():
        missing = f"no catalog for {lang}: run `python build.py update`"
        return None, rel, [Finding(rel, None, "warning", "catalog", missing)]
    try:
        return read_catalog(path, rel, lang, domain), rel, []
    except CatalogError as exc:
        return None, rel, [Finding(rel, exc.line, "error", "catalog", exc.message)]


def check_project(
    project: Project, documents: list[Document], langs: Iterable[str], ui: bool = True
) -> list[Finding]:
    """Source checks of ``documents``, then translation checks of their catalogs in
    ``langs`` (and of the UI catalogs when ``ui``)."""
    langs = list(langs)
    found: list[Finding] = []
    for doc in documents:
        body = project.bodies[doc.path]
        found += check_source(doc, body)
        wanted = {e.msgid for e in entries(doc, body)}
        for lang in (x for x in doc.targets(project.config) if x in langs):
            catalog, rel, problems = _read(project, lang, doc.domain)
            found += problems
            if catalog is not None:
                found += check_catalog(catalog, rel, lang, doc.lang, body, wanted)
    if ui:
        template = {m.id for m in ui_template(project.config) if m.id}
        for lang in (x for x in project.config.ui_targets if x in langs):
            catalog, rel, problems = _read(project, lang, UI_DOMAIN)
            found += problems
            if catalog is not None:
                found += check_catalog(
                    catalog, rel, lang, project.config.template_language, None, template
                )
    return sorted(found, key=Finding.sort_key)

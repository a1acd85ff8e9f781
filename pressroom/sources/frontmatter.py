"""Front-matter YAML -> ``FrontMatter`` (the mapping, and the line of every field).

Only PyYAML's public API: a ``Loader`` gives the node tree (lines, duplicate keys),
then the values of those nodes (``construct_document``: the text is read once).
``Loader`` is a safe loader whose typed scalars (dates, times, numbers, booleans) fail
with their position: PyYAML's own constructors raise a bare ``ValueError`` on
``2024-02-30`` or ``25:00:00``.

A field may also hold a date known only to the month (``date: 2024-11``), which YAML
reads as text: ``month_date`` turns it into a ``MonthDate``.

What cannot be used raises ``FrontMatterError``, whose ``problems`` are (line,
message) pairs; lines are the source file's (the YAML text starts on its line 2, after
the opening ``---``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Self

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

FIRST_LINE = 2
"""Line of the source file that holds the first line of the YAML text."""

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: same results, faster


class Loader(_BASE):  # type: ignore[misc, valid-type]
    """A safe loader whose invalid typed scalars raise ``InvalidValue`` (with a mark)."""


class InvalidValue(ConstructorError):
    """A scalar that YAML types (by its form or an explicit tag) but that is no valid
    value of that type; ``problem`` says why, ``problem_mark`` where."""


_WHAT = {"timestamp": "date", "int": "whole number", "float": "number", "bool": "true/false value"}
_WITH_TIME = re.compile(r"\d{4}-\d\d?-\d\d?(?:[Tt]|[ \t]+)\d")


def _located(tag: str, construct: Callable[[SafeConstructor, yaml.Node], Any]) -> Callable:
    def constructor(loader: SafeConstructor, node: yaml.Node) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            what = _WHAT[tag]
            if tag == "timestamp" and _WITH_TIME.match(str(node.value)):
                what = "date and time"
            # datetime says which part is out of range; int() and float() only repeat the value
            why = f"{exc}: " if tag == "timestamp" and isinstance(exc, ValueError) else ""
            raise InvalidValue(None, None, f"is not a valid {what} ({why}{node.value!r})", node.start_mark) from None

    return constructor


for _tag, _construct in {
    "timestamp": SafeConstructor.construct_yaml_timestamp,
    "int": SafeConstructor.construct_yaml_int,
    "float": SafeConstructor.construct_yaml_float,
    "bool": SafeConstructor.construct_yaml_bool,
}.items():
    Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _located(_tag, _construct))


class MonthDate(dt.date):
    """A date known only to the month, written ``YYYY-MM``: the first day of that month.

    It is a ``datetime.date``, so whatever reads dates by machine (sorting, ISO 8601
    fields, PDF metadata, timestamps) sees the first of the month; what writes dates for
    people asks ``isinstance(date, MonthDate)`` and names the month alone."""

    __slots__ = ()

    def __new__(cls, year: int, month: int) -> Self:
        return super().__new__(cls, year, month, 1)

    def __reduce__(self) -> tuple[type[MonthDate], tuple[int, int]]:  # pickled to the build's workers
        return MonthDate, (self.year, self.month)

    def __repr__(self) -> str:
        return f"MonthDate({self.year}, {self.month})"


_MONTH = re.compile(r"\d{4}-\d\d")


def month_date(text: str) -> MonthDate | None:
    """``YYYY-MM`` as a ``MonthDate``; None if ``text`` does not have that form.

    Raises ``ValueError`` (saying why) for a month that does not exist (``2024-13``)."""
    if not _MONTH.fullmatch(text):
        return None
    year, month = int(text[:4]), int(text[5:])
    if not 1 <= month <= 12:
        raise ValueError("month must be in 1..12")
    if year < dt.MINYEAR:
        raise ValueError(f"year {year} is out of range")
    return MonthDate(year, month)


class FrontMatterError(Exception):
    """Why the front matter cannot be used: ``problems`` are (line, message), in order."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


def _fail(message: str, line: int) -> FrontMatterError:
    return FrontMatterError([(line, message)])


@dataclass
class FrontMatter:
    data: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    """Field -> line of its value."""
    item_lines: dict[str, list[int]] = field(default_factory=dict)
    """Field holding a list -> line of each item."""


def parse(text: str) -> FrontMatter:
    """The YAML text between the ``---`` lines, as a mapping with lines.

    Raises ``FrontMatterError`` for invalid YAML, a document that is not a mapping,
    a key given twice (at any depth) and an invalid typed value."""
    loader = None
    try:
        loader = Loader(text)
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, controls)
        line = text.count("\n", 0, exc.position) + FIRST_LINE
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        why = f"character U+{code:04X} is not allowed ({exc.reason})"
        raise _fail(f"invalid front matter: {why}", line) from None
    except yaml.YAMLError as exc:
        raise _fail(f"invalid front matter: {_problem(exc)}", _line(exc)) from None
    finally:
        if loader is not None:
            loader.dispose()
    if not isinstance(node, yaml.MappingNode):
        raise _fail("invalid front matter: expected 'key: value' lines", FIRST_LINE)
    duplicates = sorted(_duplicates(node))
    if duplicates:
        raise FrontMatterError(duplicates)
    try:
        data = loader.construct_document(node)  # the values of the nodes read (not the text read again)
    except InvalidValue as exc:
        name = _field_at(node, exc.problem_mark)
        where = f"front matter field {name!r}" if name is not None else "front matter value"
        raise _fail(f"{where} {exc.problem}", _line(exc)) from None
    except yaml.YAMLError as exc:  # e.g. a tag the safe loader refuses (!!python/object)
        raise _fail(f"invalid front matter: {_problem(exc)}", _line(exc)) from None
    if not isinstance(data, dict):
        raise _fail("invalid front matter: expected 'key: value' lines", FIRST_LINE)
    lines = {str(k.value): v.start_mark.line + FIRST_LINE for k, v in node.value}
    item_lines = {
        str(k.value): [item.start_mark.line + FIRST_LINE for item in v.value]
        for k, v in node.value
        if isinstance(v, yaml.SequenceNode)
    }
    return FrontMatter(data, lines, item_lines)


def _duplicates(root: yaml.MappingNode) -> Iterator[tuple[int, str]]:
    """(line, message) for each key given a second time in a mapping, at any depth
    (scalars, nearly every node, are not visited one by one)."""
    stack: list[yaml.Node] = [root]
    visited: set[int] = set()  # an alias makes one node appear twice
    while stack:
        node = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(item for item in node.value if not isinstance(item, yaml.ScalarNode))
            continue
        seen: dict[str, int] = {}
        for key, value in node.value:
            if not isinstance(value, yaml.ScalarNode):
                stack.append(value)
            if not isinstance(key, yaml.ScalarNode):
                stack.append(key)
                continue
            if key.tag == "tag:yaml.org,2002:merge":
                continue
            line = key.start_mark.line + FIRST_LINE
            if key.value in seen:
                what = f"key {key.value!r} in the front matter"
                if node is root:
                    what = f"front matter field {key.value!r}"
                yield line, f"duplicate {what} (first on line {seen[key.value]})"
            seen.setdefault(key.value, line)


def _field_at(node: yaml.MappingNode, mark: yaml.Mark) -> str | None:
    """The top-level field whose text holds ``mark``: the last one that starts at or
    before it."""
    name = None
    for key, _ in node.value:
        if (key.start_mark.line, key.start_mark.column) <= (mark.line, mark.column):
            name = str(key.value)
    return name


def _line(exc: yaml.YAMLError) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + FIRST_LINE if mark is not None else FIRST_LINE


def _problem(exc: yaml.YAMLError) -> str:
    return getattr(exc, "problem", None) or str(exc)

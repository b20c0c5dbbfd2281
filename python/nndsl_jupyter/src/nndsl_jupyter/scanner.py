"""Splits NN DSL text into raw tokens by the kernel's lexical rules (docs/language.md, "Lexical rules").

Whitespace is spaces, tabs, carriage returns (and vertical tab, form feed); ``#`` starts a comment
to the end of the line; a backslash followed only by blanks up to the newline joins two lines;
strings are double-quoted and end on their line; every other run of characters that are not
blanks, ``"``, ``=``, ``,``, ``;``, ``#`` or newlines is a word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

BLANKS = " \t\r\x0b\x0c"
_NOT_WORD = set(BLANKS) | set("\n;#=,\"")
_STRING_ESCAPE = re.compile(r'\\(?:u\{[0-9A-Fa-f]{1,8}\}|["\\nt])')
_CONTINUATION = re.compile(r"\\[ \t\r]*(?=\n)")
INTEGER = re.compile(r"-?[0-9]+(?:_[0-9]+)*\Z")
NUMBER = re.compile(r"-?[0-9]+(?:_[0-9]+)*(?:\.[0-9]+(?:_[0-9]+)*)?(?:[eE][+-]?[0-9]+)?\Z")


@dataclass(frozen=True)
class RawToken:
    """One raw token: its kind, where it starts (character offset) and its text."""

    kind: str  # blank, newline, semicolon, comment, continuation, string, equals, comma, word
    start: int
    text: str


def scan(text: str) -> Iterator[RawToken]:
    """Yields the raw tokens of ``text``; their texts joined give ``text`` back."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in BLANKS:
            j = i
            while j < n and text[j] in BLANKS:
                j += 1
            yield RawToken("blank", i, text[i:j])
        elif c == "\n":
            j = i + 1
            yield RawToken("newline", i, c)
        elif c == ";":
            j = i + 1
            yield RawToken("semicolon", i, c)
        elif c == "=":
            j = i + 1
            yield RawToken("equals", i, c)
        elif c == ",":
            j = i + 1
            yield RawToken("comma", i, c)
        elif c == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            yield RawToken("comment", i, text[i:j])
        elif text.startswith('"""', i):
            # A multi-line string: up to the next unescaped """ (or the end of the text).
            j = i + 3
            while j < n and not text.startswith('"""', j):
                j += 2 if text[j] == "\\" and j + 1 < n else 1
            j = min(n, j + 3)
            yield RawToken("string", i, text[i:j])
        elif c == '"':
            j = i + 1
            while j < n and text[j] not in '"\n':
                j += 2 if text[j] == "\\" and j + 1 < n and text[j + 1] != "\n" else 1
            if j < n and text[j] == '"':
                j += 1
            yield RawToken("string", i, text[i:j])
        elif c == "\\" and (m := _CONTINUATION.match(text, i)):
            j = m.end() + 1  # the newline belongs to the continuation
            yield RawToken("continuation", i, text[i:j])
        else:
            j = i
            while j < n and text[j] not in _NOT_WORD:
                if text[j] == "\\" and _CONTINUATION.match(text, j):
                    break
                j += 1
            yield RawToken("word", i, text[i:j])
        i = j


def string_parts(token_text: str) -> Iterator[tuple[bool, str]]:
    """Splits a string token into (is_escape, text) pieces, quotes included in the plain pieces."""
    pos = 0
    for m in _STRING_ESCAPE.finditer(token_text):
        if m.start() > pos:
            yield False, token_text[pos:m.start()]
        yield True, m.group()
        pos = m.end()
    if pos < len(token_text):
        yield False, token_text[pos:]


def unquote(token_text: str) -> str:
    """The value of a string token (escapes resolved)."""
    body = token_text[1:-1] if len(token_text) >= 2 and token_text.endswith('"') else token_text[1:]

    def replace(m: re.Match) -> str:
        e = m.group()
        if e.startswith("\\u"):
            return chr(int(e[3:-1], 16))
        return {'\\"': '"', "\\\\": "\\", "\\n": "\n", "\\t": "\t"}[e]

    return _STRING_ESCAPE.sub(replace, body)


def statements(text: str) -> Iterator[list[RawToken]]:
    """Yields each statement's significant tokens (no blanks, comments or continuations)."""
    current: list[RawToken] = []
    for token in scan(text):
        if token.kind in ("newline", "semicolon"):
            if current:
                yield current
            current = []
        elif token.kind not in ("blank", "comment", "continuation"):
            current.append(token)
    if current:
        yield current

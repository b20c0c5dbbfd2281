"""A Pygments lexer for the NN DSL, registered as ``nndsl`` through the ``pygments.lexers`` entry point.

It follows the kernel's lexical rules (see ``scanner``) and colours words by their role in the
statement: statement keywords, parameter names, enumeration values and booleans, numbers, strings
and their escapes, metrics, activations in model specs, run names (after ``as``, as positional
arguments and in ``RUN.FIELD`` references), run fields, comments and ``# %%`` cell separators.
The words come from the kernel's own catalog (``vocabulary.json``).
"""
from __future__ import annotations

import re
from typing import Iterator

from pygments.lexer import Lexer
from pygments.token import (Comment, Keyword, Name, Number, Operator, Punctuation, String, Text,
                            Whitespace, _TokenType)

from .scanner import INTEGER, NUMBER, scan, string_parts
from .vocabulary import vocabulary

__all__ = ["NNDSLLexer"]

_CELL_SEPARATOR = re.compile(r"# %%(?:[ \t].*)?\Z")
# Statements whose positional words are run names.
_RUN_ARGUMENTS = {"eval", "show", "compare", "export", "plot"}


class NNDSLLexer(Lexer):
    """Lexer for the NN DSL training language of the nndsl Jupyter kernel."""

    name = "NN DSL"
    aliases = ["nndsl", "nn-dsl"]
    filenames = ["*.nb"]
    mimetypes = ["text/x-nndsl"]

    def __init__(self, **options):
        super().__init__(**options)
        v = vocabulary()
        self._statements = set(v["statements"])
        self._parameters = {k: set(p) for k, p in v["parameters"].items()}
        self._training = set(v["training_parameters"])
        self._values = set(v["values"])
        self._booleans = set(v["booleans"])
        self._activations = set(v["activations"])
        self._metrics = set(v["metrics"])
        self._fields = set(v["fields"])
        self._keywords = set(v["keywords"])

    @staticmethod
    def analyse_text(text: str) -> float:
        """High for text that starts with typical statements (``*.nb`` is also Mathematica's)."""
        if re.search(r"^[ \t]*(load fashion|model [0-9]+-|train( |$)|sweep )", text, re.M):
            return 0.4
        return 0.0

    def get_tokens_unprocessed(self, text: str) -> Iterator[tuple[int, _TokenType, str]]:
        statement: str | None = None  # the keyword of the statement being lexed
        at_start = True  # no word of this statement seen yet
        line_start = True  # only blanks so far on this line
        pending_name = False  # the last word was `as`: a run name follows
        param: str | None = None  # the parameter of the name=value being lexed
        expect_value = False  # after `=`, or after a comma inside a value
        for tok in scan(text):
            kind, pos, value = tok.kind, tok.start, tok.text
            if kind == "blank":
                yield pos, Whitespace, value
                continue
            if kind in ("newline", "semicolon"):
                yield pos, (Whitespace if kind == "newline" else Punctuation), value
                statement, at_start, pending_name, param, expect_value = None, True, False, None, False
                line_start = kind == "newline"
                continue
            if kind == "comment":
                special = line_start and _CELL_SEPARATOR.match(value)
                yield pos, (Comment.Special if special else Comment.Single), value
                continue
            line_start = False
            if kind == "continuation":
                yield pos, Punctuation, value[:1]
                if len(value) > 1:
                    yield pos + 1, Whitespace, value[1:]
                continue
            if kind == "equals":
                expect_value = param is not None
                yield pos, Operator, value
                continue
            if kind == "comma":
                expect_value = param is not None
                yield pos, Punctuation, value
                continue
            if kind == "string":
                for is_escape, part in string_parts(value):
                    yield pos, (String.Escape if is_escape else String.Double), part
                    pos += len(part)
                at_start = expect_value = False
                continue
            # a word
            if at_start:
                at_start = False
                statement = value
                yield pos, (Keyword if value in self._statements else Name), value
                continue
            if expect_value:
                expect_value = False
                yield from self._value(pos, value, param)
                continue
            if self._next_is_equals(text, pos + len(value)):
                param = value
                known = value in self._parameters.get(statement or "", ())
                yield pos, (Name.Attribute if known else Name), value
                continue
            param = None
            if value in self._keywords and statement in ("train", "sweep"):
                pending_name = True
                yield pos, Keyword, value
                continue
            if pending_name:
                pending_name = False
                yield pos, Name.Variable, value
                continue
            yield from self._positional(pos, value, statement)

    @staticmethod
    def _next_is_equals(text: str, index: int) -> bool:
        while index < len(text) and text[index] in " \t":
            index += 1
        return index < len(text) and text[index] == "="

    def _value(self, pos: int, value: str, param: str | None) -> Iterator[tuple[int, _TokenType, str]]:
        """A word after `name=` (or after a comma in its list)."""
        if INTEGER.match(value):
            yield pos, Number.Integer, value
        elif NUMBER.match(value):
            yield pos, Number.Float, value
        elif value in self._booleans:
            yield pos, Keyword.Constant, value
        elif value in self._values:
            yield pos, Name.Constant, value
        elif param == "baseline":
            yield pos, Name.Variable, value
        else:
            yield pos, String.Other, value  # an unquoted path or a word the kernel will check

    def _positional(self, pos: int, value: str, statement: str | None) -> Iterator[tuple[int, _TokenType, str]]:
        """A positional word, coloured by what the statement takes there."""
        if INTEGER.match(value):
            yield pos, Number.Integer, value
        elif NUMBER.match(value):
            yield pos, Number.Float, value
        elif statement == "model":
            yield from self._model_spec(pos, value)
        elif statement == "help":
            yield pos, self._topic(value), value
        elif statement in ("print", "get"):
            yield from self._reference(pos, value)
        elif value in self._metrics and statement == "plot":
            yield pos, Name.Builtin, value
        elif value in self._values:
            yield pos, Name.Constant, value
        elif statement in _RUN_ARGUMENTS:
            yield pos, Name.Variable, value
        else:
            yield pos, Text, value

    def _model_spec(self, pos: int, value: str) -> Iterator[tuple[int, _TokenType, str]]:
        for piece in re.split(r"(-)", value):
            if piece == "-":
                yield pos, Operator, piece
            elif piece.isdigit():
                yield pos, Number.Integer, piece
            elif piece in self._activations:
                yield pos, Name.Builtin, piece
            elif piece:
                yield pos, Text, piece
            pos += len(piece)

    def _topic(self, value: str) -> _TokenType:
        if value in self._statements:
            return Keyword
        if value in self._training:
            return Name.Attribute
        if value in self._metrics:
            return Name.Builtin
        if value in self._fields:
            return Name.Property
        return Name

    def _reference(self, pos: int, value: str) -> Iterator[tuple[int, _TokenType, str]]:
        run, dot, field = value.partition(".")
        if dot:
            yield pos, Name.Variable, run
            yield pos + len(run), Punctuation, dot
            yield pos + len(run) + 1, (Name.Property if field in self._fields else Text), field
        elif value in self._training:
            yield pos, Name.Attribute, value
        else:
            yield pos, Text, value

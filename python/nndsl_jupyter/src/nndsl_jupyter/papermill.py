"""papermill parameters for NN DSL notebooks.

papermill has no entry point for translators, but it loads every ``papermill.engine`` entry point
when it starts; this package's entry point points here, so importing this module registers
``NNDSLTranslator`` for the language ``nndsl`` (any kernelspec name whose language is nndsl).

``papermill nb.ipynb out.ipynb -p epochs 2 -p lr 0.01`` injects, after the cell tagged
``parameters``::

    # Parameters
    set epochs=2
    set lr=0.01

Every later ``train``/``sweep`` inherits these session defaults. Values: integers and floats as
numbers, booleans as ``on``/``off``, strings as words when they are one (``opt=sgd``) and quoted
otherwise, lists as comma lists (which ``set`` refuses with a hint to use ``sweep``). A name that is
not a training parameter is still written, so the kernel rejects the injected cell with its own
diagnostic (``unknown parameter 'epochz' for 'set'`` with a "did you mean") and nothing in it runs.
Values the language has no form for (None, mappings, NaN, infinities, nested lists) stop papermill
before anything runs, naming the parameter. papermill's own path parameters
(``--inject-paths``) become comments: the language has no variables to hold them.
"""
from __future__ import annotations

import math
import re

from papermill.exceptions import PapermillException
from papermill.models import Parameter
from papermill.translators import Translator, papermill_translators

from .scanner import NUMBER, statements, unquote

__all__ = ["NNDSLTranslator"]

LANGUAGE = "nndsl"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.+-]*\Z")
_PAPERMILL_PATHS = ("PAPERMILL_INPUT_PATH", "PAPERMILL_OUTPUT_PATH")


class NNDSLTranslator(Translator):
    """Writes papermill parameters as ``set NAME=VALUE`` statements of the NN DSL."""

    _current = "?"  # the parameter being translated, for error messages

    @classmethod
    def _refuse(cls, what: str) -> PapermillException:
        return PapermillException(
            f"nndsl: cannot pass parameter '{cls._current}': {what}; the language's set takes "
            "numbers, strings, booleans (on/off) and lists")

    @classmethod
    def translate_str(cls, val: str) -> str:
        if _WORD.match(val) and not NUMBER.match(val):
            return val
        out = []
        for ch in val:
            if ch == '"':
                out.append('\\"')
            elif ch == "\\":
                out.append("\\\\")
            elif ch == "\n":
                out.append("\\n")
            elif ch == "\t":
                out.append("\\t")
            elif ord(ch) < 0x20 or ord(ch) == 0x7F:
                out.append("\\u{%X}" % ord(ch))
            else:
                out.append(ch)
        return '"' + "".join(out) + '"'

    @classmethod
    def translate_none(cls, val) -> str:
        raise cls._refuse("None has no value in the language (leave the parameter out for the default)")

    @classmethod
    def translate_bool(cls, val: bool) -> str:
        return "on" if val else "off"

    @classmethod
    def translate_int(cls, val: int) -> str:
        return str(val)

    @classmethod
    def translate_float(cls, val: float) -> str:
        if not math.isfinite(val):
            raise cls._refuse(f"{val} is not a finite number")
        text = repr(val)
        return text if NUMBER.match(text) else f"{val:.17g}"

    @classmethod
    def translate_dict(cls, val) -> str:
        raise cls._refuse("a mapping has no form in the language")

    @classmethod
    def translate_list(cls, val) -> str:
        if not val:
            raise cls._refuse("an empty list has no form in the language")
        if any(isinstance(item, (list, dict)) for item in val):
            raise cls._refuse("lists cannot nest")
        return ",".join(cls.translate(item) for item in val)

    @classmethod
    def comment(cls, cmt_str: str) -> str:
        return f"# {cmt_str}".strip()

    @classmethod
    def assign(cls, name: str, str_val: str) -> str:
        return f"set {name}={str_val}"

    @classmethod
    def codify(cls, parameters: dict, comment: str = "Parameters") -> str:
        lines = [cls.comment(comment)]
        for name, val in parameters.items():
            cls._current = name
            if name in _PAPERMILL_PATHS:
                lines.append(cls.comment(f"{name}: {val}".replace("\n", " ")))
                continue
            if not isinstance(name, str) or not _NAME.match(name):
                raise PapermillException(
                    f"nndsl: cannot pass parameter {name!r}: a parameter name is letters, digits "
                    "and '_' (see `help parameters`)")
            lines.append(cls.assign(name, cls.translate(val)))
        cls._current = "?"
        return "\n".join(lines) + "\n"

    @classmethod
    def inspect(cls, parameters_cell) -> list[Parameter]:
        """The ``set NAME=VALUE`` parameters of the cell tagged ``parameters`` (for
        ``papermill --help-notebook`` and papermill's unknown-parameter warning)."""
        found: dict[str, Parameter] = {}
        source = parameters_cell.get("source", "")
        for statement in statements(source if isinstance(source, str) else "".join(source)):
            if statement[0].kind != "word" or statement[0].text != "set":
                continue
            tokens = statement[1:]
            for name, equals, value in zip(tokens, tokens[1:], tokens[2:]):
                if name.kind == "word" and equals.kind == "equals" and value.kind in ("word", "string"):
                    text = unquote(value.text) if value.kind == "string" else value.text
                    found[name.text] = Parameter(
                        name=name.text, inferred_type_name=_type_name(value.kind, text),
                        default=value.text, help="")
        return list(found.values())


def _type_name(kind: str, text: str) -> str:
    if kind == "string":
        return "str"
    if re.fullmatch(r"-?[0-9_]+", text):
        return "int"
    if NUMBER.match(text):
        return "float"
    if text in ("on", "off", "true", "false"):
        return "bool"
    return "str"


papermill_translators.register(LANGUAGE, NNDSLTranslator)


def __getattr__(name: str):
    # The entry point's object: papermill registers it as an engine named "nndsl", so it must be
    # one; papermill's default nbclient engine runs NN DSL notebooks as they are. Looked up lazily
    # because papermill.engines is still importing when it loads this module.
    if name == "engine":
        from papermill.engines import NBClientEngine

        return NBClientEngine
    raise AttributeError(name)

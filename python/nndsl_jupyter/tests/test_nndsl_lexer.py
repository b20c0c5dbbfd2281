"""The Pygments lexer: found through its entry point, lossless, and each role gets its token."""
from __future__ import annotations

import pytest
from pygments.lexers import find_lexer_class_for_filename, get_lexer_by_name, get_lexer_for_mimetype
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace

from nndsl_jupyter.lexer import NNDSLLexer
from nndsl_jupyter.vocabulary import vocabulary


def tokens(text: str) -> list[tuple[object, str]]:
    return [(t, v) for t, v in NNDSLLexer().get_tokens(text) if t not in (Whitespace, Text.Whitespace)]


def test_found_by_name_and_mimetype_through_the_entry_point():
    assert isinstance(get_lexer_by_name("nndsl"), NNDSLLexer)
    assert isinstance(get_lexer_for_mimetype("text/x-nndsl"), NNDSLLexer)


def test_nb_files_with_statements_are_ours():
    cls = find_lexer_class_for_filename("exp.nb", "load fashion\nmodel 784-128-relu-10\n")
    assert cls is NNDSLLexer


CASES = [
    ("train batch=32 lr=1e-3 opt=adam as baseline",
     [(Keyword, "train"), (Name.Attribute, "batch"), (Operator, "="), (Number.Integer, "32"),
      (Name.Attribute, "lr"), (Operator, "="), (Number.Float, "1e-3"), (Name.Attribute, "opt"),
      (Operator, "="), (Name.Constant, "adam"), (Keyword, "as"), (Name.Variable, "baseline")]),
    ("set zero_grad=off threads=2",
     [(Keyword, "set"), (Name.Attribute, "zero_grad"), (Operator, "="), (Keyword.Constant, "off"),
      (Name.Attribute, "threads"), (Operator, "="), (Number.Integer, "2")]),
    ("sweep lr=0.01, 1e-4 as lr",
     [(Keyword, "sweep"), (Name.Attribute, "lr"), (Operator, "="), (Number.Float, "0.01"),
      (Punctuation, ","), (Number.Float, "1e-4"), (Keyword, "as"), (Name.Variable, "lr")]),
    ("model 784-128-relu-10",
     [(Keyword, "model"), (Number.Integer, "784"), (Operator, "-"), (Number.Integer, "128"),
      (Operator, "-"), (Name.Builtin, "relu"), (Operator, "-"), (Number.Integer, "10")]),
    ("plot grad_sq baseline layer=1 per=step",
     [(Keyword, "plot"), (Name.Builtin, "grad_sq"), (Name.Variable, "baseline"),
      (Name.Attribute, "layer"), (Operator, "="), (Number.Integer, "1"), (Name.Attribute, "per"),
      (Operator, "="), (Name.Constant, "step")]),
    ('print "acc:\\t" baseline.test_acc epochs',
     [(Keyword, "print"), (String.Double, '"acc:'), (String.Escape, "\\t"), (String.Double, '"'),
      (Name.Variable, "baseline"), (Punctuation, "."), (Name.Property, "test_acc"),
      (Name.Attribute, "epochs")]),
    ("load fashion dir=\"/data\" train=600; eval baseline on=train",
     [(Keyword, "load"), (Name.Constant, "fashion"), (Name.Attribute, "dir"), (Operator, "="),
      (String.Double, '"/data"'), (Name.Attribute, "train"), (Operator, "="),
      (Number.Integer, "600"), (Punctuation, ";"), (Keyword, "eval"), (Name.Variable, "baseline"),
      (Name.Attribute, "on"), (Operator, "="), (Name.Constant, "train")]),
    ("compare a,b baseline=a  # note",
     [(Keyword, "compare"), (Name.Variable, "a"), (Punctuation, ","), (Name.Variable, "b"),
      (Name.Attribute, "baseline"), (Operator, "="), (Name.Variable, "a"),
      (Comment.Single, "# note")]),
    ("# %% P1 runs\nhelp train", [(Comment.Special, "# %% P1 runs"), (Keyword, "help"), (Keyword, "train")]),
    ("train bach=16 \\\n  as x",
     [(Keyword, "train"), (Name, "bach"), (Operator, "="), (Number.Integer, "16"),
      (Punctuation, "\\"), (Keyword, "as"), (Name.Variable, "x")]),
    ("trian", [(Name, "trian")]),
]


@pytest.mark.parametrize("source,expected", CASES, ids=[c[0][:30] for c in CASES])
def test_roles(source, expected):
    assert tokens(source) == expected


@pytest.mark.parametrize("source", [
    open(__file__, encoding="utf-8").read(),  # arbitrary text: nothing lost, nothing raised
    'print "unterminated\ntrain as\n', "= , ; # \\", "\\\n\\  \n", "", "load\r\nmodel 1-x-\n",
])
def test_lossless(source):
    pieces = list(NNDSLLexer().get_tokens_unprocessed(source))
    assert "".join(v for _, _, v in pieces) == source
    assert all(source.startswith(v, i) for i, _, v in pieces)


def test_every_statement_is_a_keyword():
    for statement in vocabulary()["statements"]:
        assert tokens(statement)[0] == (Keyword, statement)


def test_multi_line_strings_are_one_string_and_the_next_line_a_statement():
    source = 'text p2 """\n  δ² falls; "quoted" = words\n  """\ntrain as a\n'
    toks = tokens(source)
    strings = [v for t, v in toks if t in String or t is String]
    assert "".join(strings).startswith('"""') and "".join(strings).endswith('"""')
    assert (Keyword, "text") in toks and (Keyword, "train") in toks
    assert not any(v == "words" and t is not String and t not in String for t, v in toks)
    assert "".join(v for _, v in NNDSLLexer().get_tokens(source)) == source

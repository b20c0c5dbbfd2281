"""The papermill translator: registered by papermill's entry-point loading, and what it writes."""
from __future__ import annotations

import pytest

pytest.importorskip("papermill")

import nbformat  # noqa: E402
from papermill.exceptions import PapermillException  # noqa: E402


def translator():
    import papermill.engines  # noqa: F401  (loads the papermill.engine entry points)
    from papermill.translators import papermill_translators

    return papermill_translators.find_translator("any-kernelspec-name", "nndsl")


def test_registered_for_the_language_through_papermill_entry_points():
    from papermill.engines import papermill_engines

    from nndsl_jupyter.papermill import NNDSLTranslator

    assert translator() is NNDSLTranslator
    assert papermill_engines.get_engine("nndsl") is papermill_engines.get_engine(None)


@pytest.mark.parametrize("params,expected", [
    ({"epochs": 2, "lr": 0.01}, "# Parameters\nset epochs=2\nset lr=0.01\n"),
    ({"lr": 1e-05, "momentum": 0.9}, "# Parameters\nset lr=1e-05\nset momentum=0.9\n"),
    ({"zero_grad": False, "x": True}, "# Parameters\nset zero_grad=off\nset x=on\n"),
    ({"opt": "sgd", "device": "cpu"}, "# Parameters\nset opt=sgd\nset device=cpu\n"),
    ({"s": 'a "b"\\\n\x01'}, '# Parameters\nset s="a \\"b\\"\\\\\\n\\u{1}"\n'),
    ({"s": "12"}, '# Parameters\nset s="12"\n'),
    ({"batch": [16, 64]}, "# Parameters\nset batch=16,64\n"),
    ({"epochz": 2}, "# Parameters\nset epochz=2\n"),
    ({"PAPERMILL_INPUT_PATH": "in.ipynb", "epochs": 1},
     "# Parameters\n# PAPERMILL_INPUT_PATH: in.ipynb\nset epochs=1\n"),
])
def test_codify(params, expected):
    assert translator().codify(params) == expected


@pytest.mark.parametrize("params,message", [
    ({"epochs": None}, "'epochs': None"),
    ({"cfg": {"a": 1}}, "'cfg': a mapping"),
    ({"lr": float("nan")}, "'lr': nan is not a finite number"),
    ({"batch": [[1]]}, "'batch': lists cannot nest"),
    ({"batch size": 2}, "'batch size': a parameter name"),
])
def test_refused_values_name_the_parameter(params, message):
    with pytest.raises(PapermillException, match="nndsl: cannot pass parameter " + message):
        translator().codify(params)


def test_inspect_reads_set_statements_of_the_parameters_cell():
    cell = nbformat.v4.new_code_cell('set epochs=10 lr=1e-3  # defaults\nload fashion\nset opt="sgd"; set zero_grad=off')
    found = {p.name: (p.inferred_type_name, p.default) for p in translator().inspect(cell)}
    assert found == {"epochs": ("int", "10"), "lr": ("float", "1e-3"), "opt": ("str", '"sgd"'),
                     "zero_grad": ("bool", "off")}

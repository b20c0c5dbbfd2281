"""Jupyter companion of the NN DSL kernel: a Pygments lexer (``nndsl``) and a papermill parameter
translator for the language ``nndsl``. Both are found through entry points once the package is
installed in the Jupyter environment; nothing needs importing by hand."""

__version__ = "0.1.0"

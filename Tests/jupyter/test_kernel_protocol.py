"""jupyter_kernel_test against the real kernel binary: every test enabled, DSL snippets."""
from __future__ import annotations

import tempfile
import unittest
from pathlib import Path

import jupyter_kernel_test as jkt

from conftest import KERNEL_NAME, write_idx_dataset

DATA = write_idx_dataset(Path(tempfile.mkdtemp(prefix="nndsl-idx-")))


class NNDSLKernelTests(jkt.KernelTests):
    kernel_name = KERNEL_NAME
    language_name = "nndsl"
    file_extension = ".nb"

    code_hello_world = 'print "hello, world"'
    code_stderr = 'print "oops" to=stderr'

    completion_samples = [
        {"text": "trai", "matches": {"train"}},
        {"text": "train ba", "matches": {"batch="}},
    ]

    complete_code_samples = ['print "x"']
    # Statements and strings end at the newline: only a trailing backslash continues a line.
    incomplete_code_samples = ["train batch=16 \\"]
    invalid_code_samples = ["trian", 'print "abc', "train batch=", "sweep batch=16,"]

    code_page_something = "help train"
    code_generate_error = "trian"
    code_execute_result = [{"code": "get epochs", "result": "10"}]
    # jupyter_kernel_test wants every display_data of the cell to carry the mime type, so the
    # run is trained in setUpClass and the cell only plots it.
    setup_code = (f'load fashion dir="{DATA}"\nmodel 784-128-relu-10\n'
                  "train epochs=1 batch=32 as tiny")
    code_display_data = [
        {"code": "plot test_acc", "mime": "image/svg+xml"},
        {"code": "compare", "mime": "text/html"},
    ]

    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "get *"

    code_inspect_sample = "train"
    code_clear_output = "clear"

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        reply = cls.kc.execute_interactive(cls.setup_code, timeout=120, output_hook=lambda msg: None)
        assert reply["content"]["status"] == "ok", reply["content"]


class NNDSLIopubWelcomeTests(jkt.IopubWelcomeTests):
    kernel_name = KERNEL_NAME
    support_iopub_welcome = True


if __name__ == "__main__":
    unittest.main()

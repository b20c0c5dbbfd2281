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
    file_extension = ".nndsl"

    code_hello_world = 'print "hello, world"'
    code_stderr = 'print "oops" to=stderr'

    completion_samples = [
        {"text": "trai", "matches": {"train"}},
        {"text": "train ba", "matches": {"batch="}},
    ]

    complete_code_samples = ['print "x"']
    incomplete_code_samples = ['print "abc']
    invalid_code_samples: list[str] = []

    code_page_something = "help train"
    code_generate_error = "trian"
    code_execute_result = [{"code": "get epochs", "result": "10"}]
    code_display_data = [{
        "code": f'load fashion dir="{DATA}"\nmodel 784-128-relu-10\n'
                f"train epochs=1 batch=32 as tiny\nplot test_acc",
        "mime": "image/svg+xml",
    }]

    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "get *"

    code_inspect_sample = "train"
    code_clear_output = "clear"


class NNDSLIopubWelcomeTests(jkt.IopubWelcomeTests):
    kernel_name = KERNEL_NAME
    support_iopub_welcome = True


if __name__ == "__main__":
    unittest.main()

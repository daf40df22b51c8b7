"""``python -m kg_builder``: the command line of kg_builder/cli/ (its ``__main__`` exits with the code)."""

import runpy

runpy.run_module("kg_builder.cli", run_name="__main__", alter_sys=True)

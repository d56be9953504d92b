"""The optional C accelerator; everything else is declared in pyproject.toml.

``optional=True``: on a machine without a C compiler the install still succeeds and csguard
runs the same checks in pure Python (slower; ``csguard.engine.speedups.AVAILABLE`` says which).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "csguard._scan",
            ["csrc/fold.c", "csrc/automaton.c", "csrc/gates.c", "csrc/module.c"],
            depends=["csrc/scan.h"],
            extra_compile_args=["-O3"],
            optional=True,
        )
    ]
)

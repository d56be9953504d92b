"""The optional C accelerator; everything else is declared in pyproject.toml.

``optional=True``: on a machine without a C compiler the install still succeeds and csguard
runs the same checks in pure Python (slower; ``csguard.engine.speedups.AVAILABLE`` says which).
``CSGUARD_STRICT_BUILD=1`` (set by CI) turns compiler warnings into errors and a failed build
into a failed install, so neither slips by in a build log nobody reads.
"""

import os

from setuptools import Extension, setup

STRICT = os.environ.get("CSGUARD_STRICT_BUILD") == "1"
COMPILE_ARGS = ["-O3", "-Wall", "-Wextra", *(["-Werror"] if STRICT else [])]

setup(
    ext_modules=[
        Extension(
            "csguard._scan",
            ["csrc/fold.c", "csrc/automaton.c", "csrc/gates.c", "csrc/module.c"],
            depends=["csrc/scan.h"],
            extra_compile_args=COMPILE_ARGS,
            optional=not STRICT,  # strict: a failed build fails the install
        ),
        # The learned second opinion's scores (csguard/model/scorer.py has the same in Python).
        Extension(
            "csguard._model",
            ["csrc/model.c"],
            extra_compile_args=COMPILE_ARGS,
            optional=not STRICT,
        ),
    ]
)

"""The one place that loads the optional C extension ``csguard._scan``.

Text (folding, digit runs) is the lowest layer that uses it, so the import lives here and the
engine's scanner set-up (``csguard.engine.speedups``) reaches the module through ``NATIVE``.
Without a C compiler the install still succeeds and every caller falls back to pure Python with
identical results (tests compare both paths).
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from csguard._scan import Folder as Folder  # the type of normalize.FOLDER

NATIVE: ModuleType | None
try:
    import csguard._scan as NATIVE
except ImportError:  # built without a C compiler: the pure-Python paths do the same, slower
    NATIVE = None

AVAILABLE = NATIVE is not None

"""Exhibit modules. Importing this package registers every exhibit.

Every module in this folder is imported; ``placeholders`` first, so that the real exhibit
registered later under the same id replaces its placeholder. A new exhibit module needs no
registration beyond being here.
"""

import importlib
import pkgutil

importlib.import_module(f"{__name__}.placeholders")
for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _module != "placeholders":
        importlib.import_module(f"{__name__}.{_module}")

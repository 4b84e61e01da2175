"""Exhibits: the registry (``registry``), shared chart styling (``charts``) and one module per kind of
evidence, each registering its exhibits when imported. Every module in this folder is imported, so a
new exhibit module needs no registration beyond being here."""

import importlib
import pkgutil

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")

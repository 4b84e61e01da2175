"""`pytest --nbval-lax book/`: the key-result cells expect the last release's outputs, not what the
notebook files hold (roses.site.nbval_kernel)."""

from roses.site.nbval_kernel import pytest_collection_modifyitems  # noqa: F401

"""Exhibit modules. Importing this package registers every exhibit."""

from . import placeholders, published_tables  # noqa: F401  (placeholders first: real ones replace them)

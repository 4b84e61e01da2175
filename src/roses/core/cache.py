"""The one cache policy: keyed on file stamps (path, size, modification time), bounded, returning copies.

A long-lived process (an editions batch, a JupyterLab kernel) must never serve a result computed from
a file that has since changed, must not grow without end, and must not let one caller's edit of a
cached frame reach the next caller.
"""

from __future__ import annotations

import copy
import functools
import os
from collections import OrderedDict
from enum import Enum
from pathlib import Path

import pandas as pd

from roses.core import readlog
from roses.core.stamps import file_stamp, stamps_of


class BoundedCache:
    """A least-recently-used mapping of at most ``maxsize`` entries."""

    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self._entries: OrderedDict = OrderedDict()

    def __contains__(self, key) -> bool:
        return key in self._entries

    def get(self, key):
        self._entries.move_to_end(key)
        return self._entries[key]

    def put(self, key, value) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


def computed_from_files(cache: BoundedCache, key, compute):
    """As ``computed``, but an entry also lasts only while every file ``compute()`` read keeps its
    stamp: one edited file recomputes just the results made from it. ``key`` must name anything
    else the result depends on (e.g. which files exist: ``data_names``)."""
    if key in cache:
        value, files, stamps = cache.get(key)
        if stamps_of(files) == stamps:
            readlog.replay(files)
            return fresh_copy(value)
    with readlog.capture() as opened:
        value = compute()
    files = tuple(name for name in map(os.path.abspath, opened) if not readlog.in_environment(name))
    cache.put(key, (value, files, stamps_of(files)))
    readlog.replay(files)
    return fresh_copy(value)


def computed_from_folder(cache: BoundedCache, key, folder, compute):
    """As ``computed_from_files``, for a result made from the files of ``folder``: it lasts while every
    file read keeps its stamp and no file is added to or removed from the folder."""
    folder = Path(folder)
    names = tuple(sorted(p.name for p in folder.iterdir() if p.is_file())) if folder.is_dir() else ()
    return computed_from_files(cache, (key, str(folder.resolve()), names), compute)


def computed(cache: BoundedCache, key, compute):
    """``compute()`` once per key; every caller gets a copy, and the files it read are logged again
    (``readlog``), so a page's footer lists a file even when its result came from the cache."""
    if key not in cache:
        with readlog.capture() as files:
            value = compute()
        cache.put(key, (value, tuple(files)))
    value, files = cache.get(key)
    readlog.replay(files)
    return fresh_copy(value)


def fresh_copy(value):
    """What a cache hands out: a copy, so callers cannot change each other's results."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy()
    if isinstance(value, tuple):
        return tuple(fresh_copy(v) for v in value)
    if isinstance(value, (str, bytes, int, float, frozenset, Enum)) or value is None:
        return value
    return copy.deepcopy(value)


def cached_on_file(maxsize: int = 16):
    """Cache ``function(path, *args)`` on the file's stamp and the other arguments."""

    def decorate(function):
        cache = BoundedCache(maxsize)

        @functools.wraps(function)
        def wrapper(path, *args):
            return computed(cache, (file_stamp(path), args), lambda: function(path, *args))

        wrapper.cache_clear = cache.clear
        return wrapper

    return decorate

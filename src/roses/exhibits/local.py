"""One authority's view of the exhibits: which parameters a page's ``authority`` means, and which rows
of a frame are a real authority's own.

A page has one ``authority`` parameter. A programme letter (A-K) is highlighted among its anonymised
peers; a real English authority gets its national statistics and, where its own survey exports are in
the data folder, its own rows only (``own_frame``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from roses.core.origin import Origin
from roses.exhibits.registry import Exhibit, Params, get
from roses.national import readers as national_readers
from roses.published.tables import AUTHORITIES
from roses.survey import readers as survey_readers

SURVEYS = ("staff", "parent")


def slug(name: str) -> str:
    """A folder name for an authority: letters, digits and hyphens ('Bristol, City of' -> 'Bristol-City-of')."""
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")


def is_programme_letter(authority: str | None) -> bool:
    return bool(authority and len(authority.strip()) == 1 and authority.strip().upper() in AUTHORITIES)


def params_for(authority: str | None, data_dir: str | Path | None) -> Params:
    """The parameters a page's ``authority`` means (see the module docstring)."""
    folder = Path(data_dir) if data_dir else None
    if not authority or is_programme_letter(authority):
        return Params(data_dir=folder, highlight=authority.strip().upper() if authority else None)
    return Params(data_dir=folder, authority=authority, highlight=local_key(authority, folder))


def local_key(authority: str, data_dir: Path | None) -> str | None:
    """The folder name under ``DATA/surveys/<survey>/`` holding this authority's own exports, if any.

    The folder may be named by the authority's name, its folder slug or its DfE code (any case).
    """
    if data_dir is None:
        return None
    code, name = national_readers.resolve_authority(authority, data_dir)
    wanted = {name.lower(), slug(name).lower(), code}
    for survey in SURVEYS:
        for folder, _, _ in survey_readers.find_exports(Path(data_dir), survey):
            if folder.lower() in wanted:
                return folder
    return None


def own_rows(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Only the authority's own rows (and England's): every other authority and group summary goes."""
    return frame[frame["authority"].astype(str).isin([key, "England"])].reset_index(drop=True)


def own_frame(ex: Exhibit, params: Params) -> pd.DataFrame | None:
    """The exhibit's frame cut to a real authority's local rows, or None if it has none."""
    if ex.origin == Origin.NATIONAL:
        return ex.frame(params)
    if params.highlight is None or ex.origin_for(params) != Origin.LOCAL:
        return None
    frame = ex.frame(params)
    if "authority" not in frame:
        return None
    mine = own_rows(frame, params.highlight)
    return mine if (mine["authority"].astype(str) == params.highlight).any() else None


def shown_in_edition(ex: Exhibit, params: Params) -> bool:
    """Whether a real authority's edition shows ``ex`` (``own_frame`` is not None), computing the frame
    only when the answer depends on it: a national exhibit is always shown, and the chapter's kernel
    computes it (computing it here as well cost an edition 3-5 s)."""
    return ex.origin == Origin.NATIONAL or own_frame(ex, params) is not None


def frame(id: str, authority: str | None = None, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Exhibit ``id``'s frame for a page's ``authority`` (what `roses data ID --authority X` prints)."""

    return get(id).frame(params_for(authority, data_dir))

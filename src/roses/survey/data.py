"""The survey responses an exhibit uses: illustrative, with local exports replacing an authority's data.

``responses("staff", data_dir)`` returns the illustrative responses, except that each authority with
files under ``data_dir/surveys/staff/`` is replaced, all waves at once, by its own exports (origin
"local"). Results are cached on every file they were read from (``roses.core.cache``), so a chapter
pays for reading once and an edited codebook is seen at once.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from roses.core.cache import BoundedCache, computed_from_files
from roses.core.stamps import data_names
from roses.published import tables as published
from roses.survey import cellkey, instruments, readers, synth
from roses.survey.model import Responses, tidy_answers


def groups(data_dir: Path | None = None) -> dict[str, int]:
    """Each authority's progress group (from Table 1.1: the folder's own copy, else the repository's)."""
    return {a: int(g) for a, g in published.groups(data_dir).items()}


def responses(survey: str, data_dir: Path | None = None) -> Responses:
    """Responses of the ``staff`` or ``parent`` survey for ``data_dir``.

    Cached through the one cache policy: a result lasts while every file it was read from keeps its
    stamp (exports, codebooks, codings.csv, invited.csv, waves.csv...) and no file is added to or
    removed from the folder (a new codings.csv changes what is read); every caller gets a copy.
    """
    folder = Path(data_dir).resolve() if data_dir else None
    readers.find_exports(folder, survey)  # a folder that cannot be read is an error every time, never a cache hit
    listing = data_names(folder) if folder else None
    return computed_from_files(_RESPONSES, (survey, str(folder), listing), lambda: _responses(survey, folder))


_RESPONSES = BoundedCache(8)


def _responses(survey: str, data_dir: Path | None) -> Responses:
    base = keyed(synth.staff() if survey == "staff" else synth.parent(), cellkey.PUBLIC_KEY)
    local = readers.read_local(data_dir, instruments.load(survey, data_dir))
    if local is None or data_dir is None:  # no folder, no local exports
        return base
    return merge(base, keyed(local, cellkey.folder_key(data_dir)))


def keyed(responses: Responses, key: str) -> Responses:
    """The responses with each respondent's record key (docs/disclosure.md, rule 3): ``key`` for an
    authority's own exports, the public key for illustrative ones (``roses synth`` folders included)."""
    answers, comments = cellkey.keyed(responses.answers, responses.comments, key, responses.survey)
    if key != cellkey.PUBLIC_KEY:
        public = set(responses.waves.loc[responses.waves["origin"] != "local", "authority"].astype(str))
        if public:
            mine = answers["authority"].astype(str).isin(public)
            answers.loc[mine, cellkey.KEY_COLUMN] = cellkey.record_keys(answers[mine], survey=responses.survey)
            said = comments["authority"].astype(str).isin(public)
            comments.loc[said, cellkey.KEY_COLUMN] = cellkey.comment_keys(comments[said], survey=responses.survey)
    out = Responses(responses.survey, answers, responses.waves, comments)
    out.problems = responses.problems
    return out


def merge(base: Responses, local: Responses) -> Responses:
    """``base`` with every authority present in ``local`` replaced by its local data."""
    mine = set(local.waves["authority"])

    def keep(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[~frame["authority"].astype(str).isin(mine)]

    answers = pd.concat(
        readers.same_categories([keep(base.answers), local.answers], ["authority", "item"]), ignore_index=True
    )
    merged = Responses(
        base.survey,
        tidy_answers(answers),
        pd.concat([keep(base.waves), local.waves], ignore_index=True),
        pd.concat([keep(base.comments), local.comments], ignore_index=True),
    )
    merged.problems = local.problems
    return merged

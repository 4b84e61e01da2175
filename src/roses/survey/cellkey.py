"""Cell-key perturbation of survey results (docs/disclosure.md, "Protection that survives differencing").

The method of the ABS TableBuilder and the ONS's Census 2021 tables, adapted to a report that is
republished whenever an authority's exports change:

- every respondent gets a **record key**: a keyed hash (SipHash-2-4, pandas' ``hash_array``) of the
  survey, authority, wave and a digest of all their answers (not their row or id, which a re-export
  may change). The key is secret
  for an authority's own exports (:func:`folder_key`: a file in the data folder, made on first use,
  never in the repository) and public for the repository's illustrative respondents
  (:data:`PUBLIC_KEY`), so anyone can rebuild the illustrative figures exactly;
- a published row (an authority-wave and statement, dimension or method; a group-wave of comments)
  gets a **cell key**: the sum of the record keys of everyone in it, modulo 2**64. Every statistic
  of the row (agree count, disagree count, sum of answers, ...) draws its noise from that one key,
  so a respondent joining, leaving or being corrected redraws the noise of every value in the row
  at once: the difference of two releases is the respondent's answer plus fresh noise, not the answer;
- the **perturbation table** is uniform over ``-spread..spread`` (:data:`COUNT_NOISE` for counts,
  :data:`SUM_NOISE` answer points for sums of answers); a value moves by two entries, its own and one
  shared by every value of its kind in the row (so pooling a late respondent's 24 statements cannot
  average the noise away); the entries depend only on the cell key and the labels, so the same
  records always publish the same figures, and repeated builds give nothing new. Perturbed values are
  kept inside their possible range (0..base).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import numpy as np
import pandas as pd

from roses.core.errors import RosesError

# SipHash takes a 16-byte key. The illustrative respondents are public, so is their key.
PUBLIC_KEY = "roses-public-key"
KEY_FILE = ".roses-cell-key"
# Each published value moves by the sum of two entries of the table: one drawn for the value itself and
# one shared by every value of its kind in the row (all statements of an authority-wave: "agree|common"),
# so pooling many statements of one late respondent cannot average the noise away.
COUNT_NOISE = 3  # a count moves by two entries of -3..+3: at most 6
SUM_NOISE = 3  # a sum of 1-5 answers moves by two entries of -3..+3 answer points: at most 6
MAX_COUNT_MOVE = 2 * COUNT_NOISE
MAX_SUM_MOVE = 2 * SUM_NOISE
SCORE_STEP = 25  # an SAQ person score moves 25 points per answer point: its total moves in these steps
KEY_COLUMN = "record_key"


def folder_key(data_dir: Path) -> str:
    """The authority's secret key, kept in ``data_dir/.roses-cell-key`` (made on first use, mode 600).

    It never enters the repository (the name is git-ignored; a data folder belongs outside it). Losing
    it changes every perturbed figure once; keeping it keeps them stable from release to release.
    """
    path = Path(data_dir) / KEY_FILE
    if not path.is_file():
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
                handle.write(secrets.token_urlsafe(12) + "\n")  # 16 characters, 96 random bits
        except FileExistsError:  # another process made it first: read theirs
            pass
    key = path.read_text(encoding="ascii").strip()
    if len(key.encode("ascii")) != 16:
        raise RosesError(f"{path}: the cell key must be 16 ASCII characters (delete the file to make a new one)")
    return key


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads every input bit over the output (uint64 in, uint64 out)."""
    x = np.asarray(x, dtype=np.uint64).copy()
    with np.errstate(over="ignore"):
        x ^= x >> np.uint64(30)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(27)
        x *= np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(31)
    return x


def _keyed_hash(text: pd.Series, key: str) -> np.ndarray:
    return pd.util.hash_array(text.astype(str).to_numpy(dtype=object), hash_key=key, categorize=False)


def record_keys(answers: pd.DataFrame, key: str = PUBLIC_KEY, survey: str = "") -> pd.Series:
    """Each answer row's respondent record key (uint64), from all the respondent's answers."""
    if answers.empty:
        return pd.Series(np.zeros(0, dtype=np.uint64), index=answers.index)
    # A respondent is their answers, not their row or id: a re-sorted or re-numbered export of the
    # same people gets the same keys (else each re-export would redraw the noise of unchanged
    # results, and averaging many releases would wear it away). Identical respondents are told
    # apart by their number among equals.
    # Memory: one 8-byte array per answer at a time (a pooled export has millions of answers), the
    # answers' hashes a million at a time.
    codes, people = _people(answers)
    digest = np.zeros(len(people), dtype=np.uint64)
    for start in range(0, len(answers), HASHED_AT_ONCE):
        part = slice(start, start + HASHED_AT_ONCE)
        np.add.at(digest, codes[part], _answer_hashes(answers.iloc[part]))  # modulo 2**64, as the keys of a cell
    people["digest"] = digest
    people["equal"] = people.groupby(["authority", "wave", "digest"], observed=True).cumcount()
    text = survey + _joined(people[["authority", "wave", "digest", "equal"]])
    return pd.Series(_keyed_hash(text, key)[codes], index=answers.index, dtype="uint64", copy=False)


HASHED_AT_ONCE = 1 << 20  # answers hashed at a time (record_keys): 8 MB of hashes, whatever the export's size


def _answer_hashes(answers: pd.DataFrame) -> np.ndarray:
    """Each answer's hash (uint64): its item's hash mixed with the answer."""
    item = answers["item"].astype("category")  # each distinct item hashed once
    item_hash = pd.util.hash_array(item.cat.categories.astype(str).to_numpy(dtype=object))
    value, codes = answers["value"].to_numpy(), item.cat.codes.to_numpy()
    if value.dtype.kind in "iu" and len(value) and value.min() >= -128 and value.max() <= 127 and codes.min() >= 0:
        # an item and an answer of -128..127: hashed once per pair, looked up per answer
        with np.errstate(over="ignore"):
            table = _mix(item_hash[:, None] ^ np.arange(-128, 128).astype(np.int64).astype(np.uint64)[None, :])
        return table.ravel()[codes.astype(np.int32) * 256 + value.astype(np.int32) + 128]
    with np.errstate(over="ignore"):
        return _mix(item_hash[codes] ^ answers["value"].to_numpy(dtype=np.uint64))


def _people(answers: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Each answer's respondent number (in order of first appearance) and the respondents' authority,
    wave and respondent id, one row each (as ``groupby(..., sort=False)`` numbers them)."""
    authority, wave, respondent = (answers[c] for c in ("authority", "wave", "respondent"))
    if isinstance(authority.dtype, pd.CategoricalDtype) and wave.dtype.kind in "iu" and respondent.dtype.kind in "iu":
        place, waves, ids = authority.cat.codes.to_numpy(), wave.to_numpy(), respondent.to_numpy()
        if (
            len(ids)
            and place.min() >= 0
            and waves.min() >= 0
            and waves.max() < 256
            and ids.min() >= 0
            and ids.max() < 2**32
        ):
            # the three as one 64-bit number, numbered in one pass (a groupby on three columns of
            # millions of answers holds several times their size)
            packed = place.astype(np.int64)  # shifted and or-ed in place: one array of 8 bytes per answer
            packed <<= 40
            packed |= np.left_shift(waves, 32, dtype=np.int64)
            packed |= ids
            codes, unique = pd.factorize(packed, sort=False)
            del packed
            people = pd.DataFrame(
                {
                    "authority": pd.Categorical.from_codes(unique >> 40, dtype=authority.dtype),
                    "wave": ((unique >> 32) & 0xFF).astype(wave.dtype),
                    "respondent": (unique & 0xFFFFFFFF).astype(respondent.dtype),
                }
            )
            return codes, people
    grouped = answers.groupby(["authority", "wave", "respondent"], observed=True, sort=False)
    return grouped.ngroup().to_numpy(), grouped.size().index.to_frame(index=False)


def _joined(frame: pd.DataFrame) -> pd.Series:
    """Each row's values as text, each after a '|' (column by column: no Python call per row)."""
    text = pd.Series("", index=frame.index)
    for column in frame.columns:
        text = text + "|" + frame[column].astype(str)
    return text


def comment_keys(comments: pd.DataFrame, key: str = PUBLIC_KEY, survey: str = "") -> pd.Series:
    """Each comment's record key (uint64), from where it was written, to which question, and its text."""
    if comments.empty:
        return pd.Series(np.zeros(0, dtype=np.uint64), index=comments.index)
    parts = comments[["authority", "wave", "question", "text"]].astype(str)
    parts["equal"] = parts.groupby(list(parts.columns)).cumcount().astype(str)
    text = survey + _joined(parts)
    return pd.Series(_keyed_hash(text, key), index=comments.index, dtype="uint64")


def keyed(answers: pd.DataFrame, comments: pd.DataFrame, key: str, survey: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Answers and comments with a ``record_key`` column (copies; the inputs are shared and cached)."""
    answers = answers.assign(**{KEY_COLUMN: record_keys(answers, key, survey)})
    comments = comments.assign(**{KEY_COLUMN: comment_keys(comments, key, survey)})
    return answers, comments


def keys_of(frame: pd.DataFrame, kind: str = "answers") -> pd.Series:
    """The frame's record keys; frames made without them (tests, tools) get the public key's."""
    if KEY_COLUMN in frame:
        return frame[KEY_COLUMN].astype("uint64")
    return record_keys(frame) if kind == "answers" else comment_keys(frame)


def cell_keys(frame: pd.DataFrame, by: list[str], kind: str = "answers", distinct: str | None = None) -> pd.Series:
    """The cell key of each group of ``frame`` by ``by``: the sum of its records' keys (mod 2**64).

    ``distinct``: count each record once per group (for SAQ dimensions, where a respondent answers
    several items of one row, the row's records are the respondents, not their answers).
    """
    keys = frame.assign(_key=keys_of(frame, kind).to_numpy())
    if distinct:
        keys = keys.drop_duplicates(by + [distinct])
    return keys.groupby(by, observed=True)["_key"].sum().astype("uint64")


def noise(cell_key, label, spread: int) -> np.ndarray:
    """The perturbation-table entry (-spread..spread) of the statistic ``label`` in each cell.

    ``label`` names the statistic and what it is of (``"agree|item_id"``), one string or one per
    cell: every statement of an authority-wave has the same respondents, hence the same cell key, and
    must still draw noise of its own (else differencing two statements would cancel it).
    """
    labels = np.broadcast_to(np.asarray(label, dtype=object), np.shape(cell_key))
    salt = pd.util.hash_array(np.asarray(labels, dtype=object).ravel(), categorize=True).reshape(labels.shape)
    index = _mix(np.asarray(cell_key, dtype=np.uint64) ^ salt) % np.uint64(2 * spread + 1)
    return index.astype(np.int64) - spread


def common_label(label):
    """The label of the row-wide entry shared by every value of one kind: 'agree|q7' -> 'agree|common'."""
    if isinstance(label, str):
        return label.split("|")[0] + "|common"
    return (pd.Series(np.asarray(label, dtype=object).ravel()).str.split("|").str[0] + "|common").to_numpy(dtype=object)


def move_distribution(spread: int) -> tuple[np.ndarray, np.ndarray]:
    """The moves a value can make (two table entries) and their probabilities: what an attacker knows."""
    one = np.full(2 * spread + 1, 1 / (2 * spread + 1))
    return np.arange(-2 * spread, 2 * spread + 1), np.convolve(one, one)


def perturb(value, cell_key, label, spread: int, low=0, high=None, step: float = 1) -> np.ndarray:
    """``value`` moved by ``step`` times its own table entry plus its kind's row-wide entry, kept
    inside ``low``..``high``."""
    move = noise(cell_key, label, spread) + noise(cell_key, common_label(label), spread)
    out = np.asarray(value, dtype=float) + step * move
    out = np.maximum(out, np.asarray(low, dtype=float))
    return out if high is None else np.minimum(out, np.asarray(high, dtype=float))

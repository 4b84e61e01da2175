"""Answer coding: labels, or numbers under a declared coding, to the values 1-5."""

from roses.survey.instruments import CODINGS, Instrument, normalise
from roses.survey.readers.folder import CODINGS_FILE

CODEBOOK = "codebook"  # where a file's coding came from: the codebook's numeric_coding


def _how_to_declare(
    instrument: Instrument, authority: str, wave: int, tool: str | None, own_layout: bool = False
) -> str:
    first = instrument.scales["agree"] if "agree" in instrument.scales else next(iter(instrument.scales.values()))
    low, high = first[min(first)][0], first[max(first)][0]
    where = (
        f"a row '{instrument.survey},{authority},{wave},1-5' in surveys/{CODINGS_FILE} "
        f"(columns survey,authority,wave,coding; coding 1-5: 1 = {low} ... 5 = {high}; 5-1: 1 = {high}; "
        f"0-4: 0 = {low}; 4-0: 0 = {high})"
    )
    if tool:
        return (
            f"export the choice text, not the numeric values, from {tool}; or declare the coding in "
            f"{where}, after checking the numbers against the survey's settings in {tool}"
        )
    if own_layout:
        return f"declare the coding in {where}, or as `numeric_coding:` in the codebook"
    return f"declare the coding in {where}"


UNDECLARED = -1.0  # an answer given as a number in a file with no declared coding

# Codes in the grid of answers besides the scale's values (small positive numbers, 1-5 in the codebooks).
NO_ANSWER = -128  # an empty cell, or one of spaces
NUMBER = -127  # a number, in a file with no declared coding
NOT_AN_ANSWER = -126  # neither a label of the item's scale nor a number under the coding


def _expected(
    instrument: Instrument, scale: str, coding: str | None = "1-5", source: str = CODEBOOK, found: str = ""
) -> str:
    labels = ", ".join(instrument.label(scale, v) for v in range(1, 6))
    numbers = coding or "1-5"
    text = f"{numbers} or one of: {labels}"
    if source == CODINGS_FILE:
        text += f" (coding {coding} as declared in surveys/{CODINGS_FILE})"
    elif numbers == "1-5" and found.strip() in ("0", "0.0"):
        text += f"; if the file codes answers 0-4, declare it in surveys/{CODINGS_FILE}"
    return text


def _answer_value(text: str, labels: dict[str, int], coding: str | None = "1-5") -> float:
    """1-5 from a label, or from "4" / "4.0" under ``coding``; NaN if it is neither."""
    try:
        number = float(text)
    except ValueError:
        return float(labels.get(normalise(text), float("nan")))
    if number != number or not number.is_integer():
        return float("nan")
    if coding is None:
        return UNDECLARED
    low, high, to_scale = CODINGS[coding]
    return float(to_scale(int(number))) if low <= number <= high else float("nan")


def _grid_code(value: float) -> int:
    """An answer's value (:func:`_answer_value`) as a code of the grid of answers."""
    if value != value:
        return NOT_AN_ANSWER
    return NUMBER if value == UNDECLARED else int(value)

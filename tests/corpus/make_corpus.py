"""Write the bad and messy input files of the robustness corpus into ``tests/corpus/files/``.

Run ``.venv/bin/python tests/corpus/make_corpus.py`` after changing a case; the files are committed so
each one can be opened and looked at. Every file's expected outcome is in ``cases.yml`` beside it.
The respondents are synthetic; the DfE rows are copied from ``data/dfe`` (real national figures, OGL).
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
REPO = HERE.parents[1]

# Three staff-survey statements asked in wave 4 (wordings from data/instruments/staff_survey.yml).
WORDINGS = [
    "Management usually assumes that a person who makes a mistake is incompetent or not conscientious",
    "I do not feel able to spend enough time in direct work with the family",
    "I think pressure to achieve performance targets takes precedence over time spent with the family",
]
IDS = ["mistake_incompetent", "direct_work_time", "targets_precedence"]
ANSWERS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
COMMENT = "What is working well?"


def rows(n: int = 12, labels: bool = True) -> list[list[str]]:
    """n synthetic respondents: id then one answer per statement (labels or numbers), cycling 1-5."""
    out = []
    for r in range(n):
        values = [(r + k) % 5 + 1 for k in range(3)]
        out.append([f"R{r + 1:03d}"] + [ANSWERS[v - 1] if labels else str(v) for v in values])
    return out


def csv_text(header: list[str], body: list[list[str]], newline: str = "\n") -> str:
    def cell(text: str) -> str:
        return f'"{text}"' if any(c in text for c in ',"\n\r') else text
    return "".join(",".join(cell(c) for c in row) + newline for row in [header, *body])


def staff(body=None, header=None, **kw) -> str:
    return csv_text(header or ["Respondent ID", *WORDINGS], rows() if body is None else body, **kw)


def dfe_lines(count: int = 12) -> list[str]:
    """The header and first local-authority rows of DfE's referrals file (real figures, OGL)."""
    lines = (REPO / "data/dfe/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv").read_text().splitlines()
    return lines[:count]


def published(name: str) -> str:
    return (REPO / "data/published" / name).read_text()


def xlsx(table: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    book.properties.created = book.properties.modified = datetime.datetime(2019, 6, 30)  # same bytes each run
    for row in table:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def files() -> dict[str, bytes | str]:
    body = rows()
    odd = [[r[0]] + [f"  {a.upper() if i % 2 else a.lower()}  " for i, a in enumerate(r[1:])] for r in body]
    scale = [r[:] for r in rows(labels=False)]
    scale[1][1], scale[5][3] = "0", "6"
    duplicate = [r[:] for r in body]
    duplicate[7][0] = duplicate[2][0]
    no_id = [r[:] for r in body]
    no_id[4][0] = no_id[9][0] = ""
    ragged = [r[:] for r in body]
    ragged[3] = ragged[3] + ["Agree"]
    ragged[8] = ragged[8][:2]
    long_answer = [r[:] for r in body]
    long_answer[5][2] = "Agree " + "x" * 200_000
    comments = [r + [f"Synthetic comment {i}"] for i, r in enumerate(body)]
    comments[6][-1] = "Synthetic comment " + "long " * 40_000
    cp1252 = [r + ["Synthetic team meeting at the caf\u00e9" if i == 3 else "Synthetic note"] for i, r in enumerate(body)]
    multiline = [r + ["Synthetic comment\nover two lines" if i == 2 else ""] for i, r in enumerate(body)]
    multiline[6][2] = "Sort of"
    bad_line = [r[:] for r in body]
    bad_line[7][1] = "Agreed"  # line 9 of the file
    mixed_lines = [line.rstrip("\n") + ["\r\n", "\n", "\r"][n % 3]
                   for n, line in enumerate(staff(bad_line).splitlines(keepends=True))]
    blank = staff().splitlines(keepends=True)
    blank.insert(4, ",,,\n")
    blank.insert(9, "\n")
    blank.append(" , , ,\n")
    ofsted = published("table_1_1_ofsted.csv")
    training = published("eip2_training_offer.csv").replace(
        "Days available to each local authority,10,", 'Days available to each local authority,"1,200",', 1)
    c1 = dfe_lines()
    symbols = [c1[0]] + [line for line in c1[1:]]
    # DfE's symbols in numeric columns: c, x, z and low replace four published values.
    for k, symbol in zip(range(3, 7), ["c", "x", "z", "low"]):
        cells = symbols[k].split(",")
        cells[12] = symbol
        symbols[k] = ",".join(cells)
    unknown_symbol = list(c1)
    cells = unknown_symbol[5].split(",")
    cells[13] = "n/a"
    unknown_symbol[5] = ",".join(cells)
    thousands = list(c1)
    cells = thousands[4].split(",")
    cells[11] = '"1,893"'
    thousands[4] = ",".join(cells)
    bad_year = list(c1)
    bad_year[6] = "2O19" + bad_year[6][4:]
    no_la_name = [",".join(c for i, c in enumerate(line.split(",")) if i != 9) for line in c1]
    lait_rows = list(csv.reader(io.StringIO((REPO / "data/dfe/lait_bds_long_csc_subset_2016_2025.csv").read_text())))[:8]
    lait_rows[3][lait_rows[0].index("Values")] = "n/a"
    lait = csv_text(lait_rows[0], lait_rows[1:]).splitlines()
    numbers = [[r[0], *map(int, r[1:])] for r in rows(labels=False)]  # as an XLSX export stores them
    random.seed(8)
    return {
        "staff_utf8_bom.csv": b"\xef\xbb\xbf" + staff().encode(),
        "staff_windows1252.csv": staff(cp1252, ["Respondent ID", *WORDINGS, COMMENT]).encode("cp1252"),
        "staff_utf16_tabs.csv": "\ufeff".encode("utf-16-le") + "".join(
            "\t".join(r) + "\r\n" for r in [["Respondent ID", *WORDINGS], *body]).encode("utf-16-le"),
        "staff_title_row.xlsx": xlsx([["Staff survey wave 4: export 2019-06-30"], ["Respondent ID", *IDS],
                                      *[[r[0], *map(int, r[1:])] for r in rows(labels=False)]]),
        "staff_labels_odd_case.csv": staff(odd),
        "staff_out_of_scale.csv": staff(scale, ["Respondent ID", *IDS]),
        "staff_blank_rows.csv": "".join(blank),
        "staff_duplicate_ids.csv": staff(duplicate),
        "staff_rows_without_id.csv": staff(no_id),
        "staff_valid.csv": staff(),
        "staff_empty.csv": b"",
        "staff_whitespace_only.csv": "  \n\n \r\n",
        "staff_header_only.csv": staff([]),
        "staff_renamed_columns.csv": staff(header=["Respondent ID", "Q1", "Q2", "Q3"]),
        "staff_one_column_renamed.csv": staff(header=["Respondent ID", WORDINGS[0], "Q2 (direct work)", WORDINGS[2]]),
        "staff_truncated_mid_row.csv": staff()[:-14],
        "staff_truncated_in_quotes.csv": csv_text(["Respondent ID", *WORDINGS, COMMENT],
                                                  [r + ["Synthetic, quoted comment"] for r in body])[:-12],
        "staff_binary.csv": bytes(random.randrange(256) for _ in range(2048)) + b"\x00\x00",
        "staff_valid.xlsx": xlsx([["Respondent ID", *IDS], *numbers]),
        "staff_header_only.xlsx": xlsx([["Respondent ID", *IDS]]),
        "staff_duplicate_columns.xlsx": xlsx([["Respondent ID", IDS[0], IDS[1], IDS[0]], *numbers]),
        "staff_xlsx_named_csv.csv": xlsx([["Respondent ID", *IDS], *[[r[0], *map(int, r[1:])] for r in rows(labels=False)]]),
        "staff_semicolons.csv": staff().replace(",", ";"),
        "staff_header_spaces.csv": staff(header=["Respondent ID  ", *(f" {w}   " for w in WORDINGS)]),
        "staff_ragged_rows.csv": staff(ragged),
        "staff_long_answer_cell.csv": staff(long_answer),
        "staff_long_comment.csv": staff(comments, ["Respondent ID", *WORDINGS, COMMENT]),
        "staff_mixed_line_endings.csv": "".join(mixed_lines),
        "staff_multiline_comment_then_bad.csv": staff(multiline, ["Respondent ID", *WORDINGS, COMMENT]),
        "staff_duplicate_columns.csv": staff(header=["Respondent ID", WORDINGS[0], WORDINGS[1], WORDINGS[0]]),
        "staff_blank_lines_above_header.csv": "\n,,,\n" + staff(),
        "parent_labels_odd_case.csv": csv_text(
            ["Respondent ID", "My worker listens to what I have to say", "my worker notices what is going well in my family."],
            [[f"P{i:02d}", " AGREE", "strongly   agree "] for i in range(12)]),
        "invited_not_a_number.csv": "survey,authority,wave,invited\nstaff,E,4,40\nstaff,E,3,forty\n",
        "published_ofsted_bom.csv": b"\xef\xbb\xbf" + ofsted.encode(),
        "published_ofsted_missing_column.csv": "\n".join(
            ",".join(line.split(",")[:-1]) for line in ofsted.splitlines()) + "\n",
        "published_ofsted_renamed_column.csv": ofsted.replace("help_and_protection", "Help & protection", 1),
        "published_ofsted_header_only.csv": ofsted.splitlines()[0] + "\n",
        "published_training_thousands.csv": training,
        "published_ofsted_windows1252.csv": ofsted.replace("Requires Improvement", "Requires Improvement\u2013", 1).encode("cp1252"),
        "dfe_c1_symbols.csv": "\n".join(symbols) + "\n",
        "dfe_c1_unknown_symbol.csv": "\n".join(unknown_symbol) + "\n",
        "dfe_c1_thousands.csv": "\n".join(thousands) + "\n",
        "dfe_c1_bad_year.csv": "\n".join(bad_year) + "\n",
        "dfe_c1_missing_column.csv": "\n".join(no_la_name) + "\n",
        "dfe_c1_empty.csv": b"",
        "dfe_lait_bad_value.csv": "\n".join(lait) + "\n",
    }


def main() -> None:
    FILES.mkdir(exist_ok=True)
    for old in FILES.iterdir():
        old.unlink()
    for name, content in files().items():
        path = FILES / name
        if isinstance(content, str):
            path.write_bytes(content.encode("utf-8"))
        else:
            path.write_bytes(content)
    print(f"wrote {len(files())} files under {FILES}")


if __name__ == "__main__":
    main()

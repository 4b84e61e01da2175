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

from roses.survey.export import stable_zip

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
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n\r') else text

    return "".join(",".join(cell(c) for c in row) + newline for row in [header, *body])


def staff(body=None, header=None, **kw) -> str:
    return csv_text(header or ["Respondent ID", *WORDINGS], rows() if body is None else body, **kw)


def dfe_lines(count: int = 12) -> list[str]:
    """The header and first local-authority rows of DfE's referrals file (real figures, OGL)."""
    lines = (REPO / "data/dfe/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv").read_text().splitlines()
    return lines[:count]


def published(name: str) -> str:
    return (REPO / "data/published" / name).read_text()


def xlsx(table: list[list[object]], edit=None) -> bytes:
    """A workbook of one sheet holding ``table``; ``edit(book)`` may add sheets, tables, merges."""
    book = openpyxl.Workbook()
    book.properties.created = book.properties.modified = datetime.datetime(2019, 6, 30)
    for row in table:
        book.active.append(row)
    if edit:
        edit(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return stable_zip(buffer.getvalue())  # same bytes each run


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
    cp1252 = [
        r + ["Synthetic team meeting at the caf\u00e9" if i == 3 else "Synthetic note"] for i, r in enumerate(body)
    ]
    multiline = [r + ["Synthetic comment\nover two lines" if i == 2 else ""] for i, r in enumerate(body)]
    multiline[6][2] = "Sort of"
    bad_line = [r[:] for r in body]
    bad_line[7][1] = "Agreed"  # line 9 of the file
    mixed_lines = [
        line.rstrip("\n") + ["\r\n", "\n", "\r"][n % 3]
        for n, line in enumerate(staff(bad_line).splitlines(keepends=True))
    ]
    blank = staff().splitlines(keepends=True)
    blank.insert(4, ",,,\n")
    blank.insert(9, "\n")
    blank.append(" , , ,\n")
    ofsted = published("table_1_1_ofsted.csv")
    training = published("eip2_training_offer.csv").replace(
        "Days available to each local authority,10,", 'Days available to each local authority,"1,200",', 1
    )
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
    lait_rows = list(csv.reader(io.StringIO((REPO / "data/dfe/lait_bds_long_csc_subset_2016_2025.csv").read_text())))[
        :8
    ]
    lait_rows[3][lait_rows[0].index("Values")] = "n/a"
    lait = csv_text(lait_rows[0], lait_rows[1:]).splitlines()
    numbers = [[r[0], *map(int, r[1:])] for r in rows(labels=False)]  # as an XLSX export stores them
    random.seed(8)
    return {
        "staff_utf8_bom.csv": b"\xef\xbb\xbf" + staff().encode(),
        "staff_windows1252.csv": staff(cp1252, ["Respondent ID", *WORDINGS, COMMENT]).encode("cp1252"),
        "staff_utf16_tabs.csv": "\ufeff".encode("utf-16-le")
        + "".join("\t".join(r) + "\r\n" for r in [["Respondent ID", *WORDINGS], *body]).encode("utf-16-le"),
        "staff_title_row.xlsx": xlsx(
            [
                ["Staff survey wave 4: export 2019-06-30"],
                ["Respondent ID", *IDS],
                *[[r[0], *map(int, r[1:])] for r in rows(labels=False)],
            ]
        ),
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
        "staff_truncated_in_quotes.csv": csv_text(
            ["Respondent ID", *WORDINGS, COMMENT], [r + ["Synthetic, quoted comment"] for r in body]
        )[:-12],
        "staff_binary.csv": bytes(random.randrange(256) for _ in range(2048)) + b"\x00\x00",
        "staff_valid.xlsx": xlsx([["Respondent ID", *IDS], *numbers]),
        "staff_header_only.xlsx": xlsx([["Respondent ID", *IDS]]),
        "staff_duplicate_columns.xlsx": xlsx([["Respondent ID", IDS[0], IDS[1], IDS[0]], *numbers]),
        "staff_xlsx_named_csv.csv": xlsx(
            [["Respondent ID", *IDS], *[[r[0], *map(int, r[1:])] for r in rows(labels=False)]]
        ),
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
            [
                "Respondent ID",
                "My worker listens to what I have to say",
                "my worker notices what is going well in my family.",
            ],
            [[f"P{i:02d}", " AGREE", "strongly   agree "] for i in range(12)],
        ),
        "invited_not_a_number.csv": "survey,authority,wave,invited\nstaff,E,4,40\nstaff,E,3,forty\n",
        "published_ofsted_bom.csv": b"\xef\xbb\xbf" + ofsted.encode(),
        "published_ofsted_missing_column.csv": "\n".join(",".join(line.split(",")[:-1]) for line in ofsted.splitlines())
        + "\n",
        "published_ofsted_renamed_column.csv": ofsted.replace("help_and_protection", "Help & protection", 1),
        "published_ofsted_header_only.csv": ofsted.splitlines()[0] + "\n",
        "published_training_thousands.csv": training,
        "published_ofsted_windows1252.csv": ofsted.replace(
            "Requires Improvement", "Requires Improvement\u2013", 1
        ).encode("cp1252"),
        "dfe_c1_symbols.csv": "\n".join(symbols) + "\n",
        "dfe_c1_unknown_symbol.csv": "\n".join(unknown_symbol) + "\n",
        "dfe_c1_thousands.csv": "\n".join(thousands) + "\n",
        "dfe_c1_bad_year.csv": "\n".join(bad_year) + "\n",
        "dfe_c1_missing_column.csv": "\n".join(no_la_name) + "\n",
        "dfe_c1_empty.csv": b"",
        "dfe_lait_bad_value.csv": "\n".join(lait) + "\n",
    }


SAQ_WORDING = None  # filled from the codebook below


def tool_files() -> dict[str, bytes | str]:
    """Files shaped like survey tools' exports and real workbook and folder mistakes (issue 19)."""
    import yaml

    codebook = yaml.safe_load((REPO / "data/instruments/staff_survey.yml").read_text())
    saq = next(i for i in codebook["items"] if i["waves"] == [3, 4] and i.get("section") == "saq")
    body = rows()
    numbers = rows(labels=False)
    # Qualtrics: ids, question text, ImportId; two extra rows (a preview and an unfinished response).
    q_ids = [
        "StartDate",
        "EndDate",
        "Status",
        "IPAddress",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "RecordedDate",
        "ResponseId",
        "Q1_1",
        "Q1_2",
        "Q1_3",
    ]
    q_text = [
        "Start Date",
        "End Date",
        "Response Type",
        "IP Address",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "Recorded Date",
        "Response ID",
    ] + [f"How much do you agree with each statement? - {w}" for w in WORDINGS]
    q_import = [
        '{"ImportId":"startDate","timeZone":"Europe/London"}',
        '{"ImportId":"endDate"}',
        '{"ImportId":"status"}',
        '{"ImportId":"ipAddress"}',
        '{"ImportId":"progress"}',
        '{"ImportId":"duration"}',
        '{"ImportId":"finished"}',
        '{"ImportId":"recordedDate"}',
        '{"ImportId":"_recordId"}',
        '{"ImportId":"QID1_1"}',
        '{"ImportId":"QID1_2"}',
        '{"ImportId":"QID1_3"}',
    ]

    def qualtrics(answers, extra=True):
        out = [q_text, q_import]
        for r in answers:
            out.append(
                [
                    "2019-06-01 09:00:00",
                    "2019-06-01 09:10:00",
                    "IP Address",
                    "",
                    "100",
                    "600",
                    "True",
                    "2019-06-01 09:10:00",
                    f"R_{r[0]}",
                    *r[1:],
                ]
            )
        if extra:
            out.append(
                [
                    "2019-06-01 08:00:00",
                    "2019-06-01 08:01:00",
                    "Survey Preview",
                    "",
                    "100",
                    "60",
                    "True",
                    "2019-06-01 08:01:00",
                    "R_preview",
                    "Strongly agree",
                    "Strongly agree",
                    "Strongly agree",
                ]
            )
            out.append(
                [
                    "2019-06-02 08:00:00",
                    "2019-06-02 08:01:00",
                    "IP Address",
                    "",
                    "40",
                    "60",
                    "False",
                    "2019-06-09 08:01:00",
                    "R_partial",
                    "Strongly agree",
                    "",
                    "",
                ]
            )
        return csv_text(q_ids, out)

    skewed = [[f"R{r + 1:03d}", "1", "1" if r % 4 else "2", "5"] for r in range(12)]  # mostly 1: coding matters
    zero_based = [[r[0], *(str(int(v) - 1) for v in r[1:])] for r in numbers]
    # SurveyMonkey: the question over a grid's first column only, then "Response" or each statement.
    sm_header = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "How much do you agree with each statement?",
        "",
        "",
    ]
    sm_second = ["", "", "", "", "", "", "", "", *WORDINGS]
    sm_body = [[r[0][1:], "123456", "06/01/2019", "06/01/2019", "", "", "", "", *r[1:]] for r in body]
    # Google Forms: a timestamp and a grid, "Question [Statement]", its punctuation changed.
    changed = [
        "Management usually assumes, that a person who makes a mistake is incompetent - or not conscientious!",
        WORDINGS[1] + ".",
        "I think \u201cpressure\u201d to achieve performance targets takes precedence over time spent with the family?",
    ]
    grid = [f"How far do you agree? [{w}]" for w in WORDINGS]
    stamps = [f"01/06/2019 09:{i:02d}:00" for i in range(12)]
    # Microsoft Forms and SmartSurvey metadata columns before the questions.
    ms_header = ["ID", "Start time", "Completion time", "Email", "Name", *WORDINGS]
    ms_body = [[str(i + 1), "6/1/19 9:00:00", "6/1/19 9:10:00", "anonymous", "", *r[1:]] for i, r in enumerate(body)]
    smart_header = ["UserID", "UserNo", "Name", "Email", "IP Address", "Unique ID", "Started", "Ended", *WORDINGS]
    smart_body = [
        [str(9000 + i), str(i + 1), "", "", "", "", "01/06/2019 09:00", "01/06/2019 09:10", *r[1:]]
        for i, r in enumerate(body)
    ]
    as_numbers = [[r[0], *map(int, r[1:])] for r in numbers]

    def hidden_first(book):
        visible = book.create_sheet("Responses")
        for row in [["Respondent ID", *IDS], *as_numbers]:
            visible.append(row)
        book.active.title = "Old export"
        book.active.sheet_state = "hidden"
        book.active = 1

    def second_sheet(book):
        more = book.create_sheet("Responses (2)")
        for row in [["Respondent ID", *IDS], *[[f"S{r[0]}", *r[1:]] for r in as_numbers]]:
            more.append(row)

    def total_row(book):
        from openpyxl.worksheet.table import Table

        sheet = book.active
        sheet.append(["Total", "=SUBTOTAL(101,Table1[mistake_incompetent])", None, None])
        table = Table(displayName="Table1", ref=f"A1:D{len(as_numbers) + 2}", totalsRowCount=1)
        sheet.add_table(table)

    def merged(book):
        book.active.insert_rows(1)
        book.active["B1"] = "Constant statements"
        book.active.merge_cells("B1:D1")

    def formula(book):
        book.active["C6"] = "=B6+1"

    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    encrypted = ole + "EncryptionInfo".encode("utf-16-le") + bytes(512) + "EncryptedPackage".encode("utf-16-le")
    ods = b"PK\x03\x04" + bytes(26) + b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet" + bytes(200)
    cr_text = staff(
        [r + ["Synthetic note at the caf\u00e9" if i == 5 else "Synthetic note"] for i, r in enumerate(body)],
        ["Respondent ID", *WORDINGS, COMMENT],
        newline="\r",
    )
    c1 = dfe_lines(200)
    sn = (REPO / "data/dfe/sn_model_2025_wide.csv").read_text(encoding="utf-8-sig").splitlines()
    sn_old = [sn[0].replace("old_la_code", "LA_Code").replace("SN_", "Neighbour_")] + sn[1:40]
    no_coding = (REPO / "data/instruments/staff_survey.yml").read_text().replace("numeric_coding: 1-5\n", "")
    return {
        "staff_qualtrics_labels.csv": qualtrics(body),
        "staff_qualtrics_numbers.csv": qualtrics(numbers, extra=False),
        "staff_qualtrics_skewed_numbers.csv": qualtrics(skewed, extra=False),
        "staff_skewed_numbers.csv": staff(skewed, ["Respondent ID", *IDS]),
        "staff_zero_to_four.csv": staff(zero_based, ["Respondent ID", *IDS]),
        "codings_qualtrics_reversed.csv": "survey,authority,wave,coding\nstaff,E,4,5-1\n",
        "codings_zero_to_four.csv": "survey,authority,wave,coding\nstaff,E,4,0-4\n",
        "codings_bad_value.csv": "survey,authority,wave,coding\nstaff,E,4,1=strongly agree\n",
        "staff_codebook_without_coding.yml": no_coding,
        "staff_surveymonkey.csv": csv_text(sm_header, [sm_second, *sm_body]),
        "staff_google_forms_punctuation.csv": csv_text(
            ["Timestamp", *changed], [[t, *r[1:]] for t, r in zip(stamps, body)]
        ),
        "staff_google_forms_grid.csv": csv_text(["Timestamp", *grid], [[t, *r[1:]] for t, r in zip(stamps, body)]),
        "staff_google_forms_unknown_grid_row.csv": csv_text(
            ["Timestamp", *grid[:2], "How far do you agree? [My manager thanks me for my work]"],
            [[t, *r[1:]] for t, r in zip(stamps, body)],
        ),
        "staff_microsoft_forms.csv": csv_text(ms_header, ms_body),
        "staff_microsoft_forms_us_dates.csv": csv_text(
            ms_header,
            [[r[0], f"3/{i + 2}/25 9:00:00", f"3/{i + 2}/25 9:10:00", *r[3:]] for i, r in enumerate(ms_body)],
        ),
        "staff_smartsurvey.csv": csv_text(smart_header, smart_body),
        "staff_metadata_columns.csv": csv_text(
            ["Respondent ID", "IP Address", "Collector", *WORDINGS], [[r[0], "", "Web link", *r[1:]] for r in body]
        ),
        "staff_hidden_first_sheet.xlsx": xlsx(
            [["Respondent ID", *IDS], *[[r[0], 5, 5, 5] for r in as_numbers]], hidden_first
        ),
        "staff_two_sheets.xlsx": xlsx([["Respondent ID", *IDS], *as_numbers], second_sheet),
        "staff_table_total_row.xlsx": xlsx([["Respondent ID", *IDS], *as_numbers], total_row),
        "staff_merged_header.xlsx": xlsx([["Respondent ID", *IDS], *as_numbers], merged),
        "staff_formula_no_value.xlsx": xlsx([["Respondent ID", *IDS], *as_numbers], formula),
        "staff_xls_renamed.xlsx": ole,
        "staff_password_protected.xlsx": encrypted,
        "staff_ods_renamed.xlsx": ods,
        "staff_sep_line.csv": "sep=,\n" + staff(),
        "staff_cr_only_windows1252.csv": cr_text.encode("cp1252"),
        "staff_saq_in_wave_2.csv": staff(header=["Respondent ID", WORDINGS[0], WORDINGS[1], saq["wording"]]),
        "invited_fewer_than_respondents.csv": "survey,authority,wave,invited\nstaff,E,4,10\n",
        "invited_matches_nothing.csv": "survey,authority,wave,invited\nstaff,E,4,40\nstaff,F,4,40\n",
        "invited_bad_wave.csv": "survey,authority,wave,invited\nstaff,E,4,40\nstaff,E,four,40\n",
        "dfe_sn_other_vintage.csv": "\n".join(sn_old) + "\n",
        "dfe_c1_new_authority.csv": "\n".join(
            c1 + [c1[-1].replace(c1[-1].split(",")[7], "999", 1).replace(c1[-1].split(",")[9], "New Authority", 1)]
        )
        + "\n",
    }


def strict_open_xml(workbook: bytes) -> bytes:
    """The same workbook in Excel's 'Strict Open XML Spreadsheet' namespaces."""
    import zipfile

    source, buffer = zipfile.ZipFile(io.BytesIO(workbook)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith((".xml", ".rels")):
                data = data.replace(
                    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                    b"http://purl.oclc.org/ooxml/spreadsheetml/main",
                ).replace(
                    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                    b"http://purl.oclc.org/ooxml/officeDocument/relationships",
                )
            out.writestr(info, data)
    return buffer.getvalue()


def analyst_files() -> dict[str, bytes | str]:
    """Exports as analysts hand them over (issue 29): metadata deleted, waves merged, rows added,
    sorted, filtered; layouts the tools write that roses once refused or misread."""
    import yaml

    codebook = yaml.safe_load((REPO / "data/instruments/staff_survey.yml").read_text())
    methods = list(codebook["methods"].values())[:3]
    body = rows()
    reversed_numbers = [[r[0], *(str(6 - ANSWERS.index(a) - 1) for a in r[1:])] for r in body]  # 1 = Strongly agree
    waves = [r + ["3" if i < 6 else "4"] for i, r in enumerate(body)]
    stated = [r + ["3" if i in (2, 7) else "4"] for i, r in enumerate(body)]
    average = body + [["Average", "3.4", "3.1", "2.9"]]
    no_answers = body[:5] + [["R090", "", "", ""], ["R091", "", "", ""]] + body[5:]
    all_blank = [[r[0], "", "", ""] for r in body]
    in_order = sorted(ANSWERS.index(r[2]) for r in body)
    sorted_alone = [[r[0], r[1], ANSWERS[v], r[3]] for r, v in zip(body, in_order)]  # ids stay in their order
    use = ["Never", "Rarely", "Sometimes", "Often", "Always"]
    confidence = [
        "Not at all confident",
        "Slightly confident",
        "Moderately confident",
        "Very confident",
        "Extremely confident",
    ]
    matrices = [f"How often do you do each of these? [{m}]" for m in methods] + [
        f"How confident do you feel doing each of these? [{m}]" for m in methods
    ]
    matrix_body = [
        [
            f"2024-03-{i + 4:02d} 10:{i:02d}:00",
            *(use[(i + k) % 5] for k in range(3)),
            *(confidence[(i + k) % 5] for k in range(3)),
        ]
        for i in range(12)
    ]
    # SurveyMonkey with "one column per choice": the question over its first choice, the choices below.
    choice_header = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        WORDINGS[0],
        *[""] * 4,
        WORDINGS[1],
        *[""] * 4,
    ]
    choice_second = ["", "", "", "", *ANSWERS, *ANSWERS]
    choice_body = []
    for i, r in enumerate(body):
        cells = [str(11_400_000_000 + i), "431", "03/11/2025 09:00", "03/11/2025 09:05"]
        for answer in r[1:3]:
            cells += [answer if a == answer else "" for a in ANSWERS]
        choice_body.append(cells)
    # Qualtrics loop and merge: each loop writes its own copy of the questions.
    loop_ids = [
        "StartDate",
        "EndDate",
        "Status",
        "Progress",
        "Finished",
        "RecordedDate",
        "ResponseId",
        "1_Q1_1",
        "1_Q1_2",
        "2_Q1_1",
        "2_Q1_2",
    ]
    loop_text = ["Start Date", "End Date", "Response Type", "Progress", "Finished", "Recorded Date", "Response ID"] + [
        f"How much do you agree with each statement? - {w}" for w in WORDINGS[:2] * 2
    ]
    loop_body = [
        [
            "2025-03-10 09:00:00",
            "2025-03-10 09:09:00",
            "IP Address",
            "100",
            "True",
            "2025-03-10 09:09:00",
            f"R_{r[0]}",
            *r[1:3],
            *r[2:0:-1],
        ]
        for r in body
    ]

    def hidden_rows(book):
        for row in (3, 5):
            book.active.row_dimensions[row].hidden = True
        book.active.auto_filter.ref = f"A1:D{len(body) + 1}"

    def summary_first(book):
        summary = book.active
        summary.title = "Summary"
        responses = book.create_sheet("Responses")
        for row in summary.iter_rows(values_only=True):
            responses.append(row)
        summary.delete_rows(1, summary.max_row)
        summary.append(["Statement", "% agree", "Respondents"])
        for w in WORDINGS:
            summary.append([w, 40, 12])

    labels_table = [["Respondent ID", *WORDINGS], *body]
    return {
        "staff_surveymonkey_numbers_metadata_deleted.csv": staff(reversed_numbers),
        "staff_google_forms_scale_no_timestamp.csv": staff([r[1:] for r in reversed_numbers], WORDINGS),
        "staff_merged_waves.csv": staff(waves, ["Respondent ID", *WORDINGS, "Wave"]),
        "staff_wave_column_contradicts.csv": staff(stated, ["Respondent ID", *WORDINGS, "Wave"]),
        "staff_year_column_contradicts.csv": staff(
            [r + ["2018" if i in (3, 10) else "2019"] for i, r in enumerate(body)], ["Respondent ID", *WORDINGS, "Year"]
        ),
        "staff_average_row.csv": staff(average),
        "staff_rows_without_answers.csv": staff(no_answers),
        "staff_all_blank_wave.csv": staff(all_blank),
        "staff_sorted_column.csv": staff([[r[0][1:], *r[1:]] for r in sorted_alone]),
        "staff_filtered_rows.xlsx": xlsx(labels_table, hidden_rows),
        "staff_summary_sheet_first.xlsx": xlsx(labels_table, summary_first),
        "staff_strict_open_xml.xlsx": strict_open_xml(xlsx(labels_table)),
        "staff_numbers_table_name.csv": "Table 1\n" + staff(),
        "staff_methods_two_matrices.csv": csv_text(["Timestamp", *matrices], matrix_body),
        "staff_surveymonkey_choice_columns.csv": csv_text(choice_header, [choice_second, *choice_body]),
        "staff_qualtrics_loop_and_merge.csv": csv_text(loop_ids, [loop_text, *loop_body]),
    }


def main() -> None:
    FILES.mkdir(exist_ok=True)
    for old in FILES.iterdir():
        old.unlink()
    for name, content in {**files(), **tool_files(), **analyst_files()}.items():
        path = FILES / name
        if isinstance(content, str):
            path.write_bytes(content.encode("utf-8"))
        else:
            path.write_bytes(content)
    print(f"wrote {len(files()) + len(tool_files()) + len(analyst_files())} files under {FILES}")


if __name__ == "__main__":
    main()

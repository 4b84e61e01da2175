"""Read respondent-level survey exports (CSV or XLSX) from a local data folder.

Layout (see docs/survey-data.md)::

    DATA/surveys/staff/<AUTHORITY>/wave-<N>.csv   (or .xlsx)
    DATA/surveys/parent/<AUTHORITY>/wave-<N>.csv  (or .xlsx; round-<N> also accepted)
    DATA/surveys/invited.csv                      survey,authority,wave,invited  (optional)

An export has one row per respondent. Columns are named by item id or by the question's wording
(any wave's; case, spacing and punctuation ignored); answers are labels such as "Strongly agree",
or numbers under a declared coding (the codebook's ``numeric_coding``, or ``surveys/codings.csv``
per file: never guessed). Survey tools' own layouts are recognised (Qualtrics' three header rows
and preview/incomplete responses, SurveyMonkey's two header rows, Google Forms' grid columns,
Microsoft Forms and SmartSurvey metadata). Columns the codebook does not know (timestamps, IP
addresses...) are ignored and listed; a column of answers the codebook does not know is an error.
Every bad cell is reported with its file, row and column; nothing is dropped silently, and nothing
in the folder is skipped silently either: an unknown authority folder, two folders for one
authority, a file with another name, a folder or broken link named like an export, or two files
for one wave stop the reading. Workbooks: only visible sheets are read, and a hidden sheet, a
second sheet of respondents, an Excel table's total row, a formula or a merged header cell is
never read as answers.

The package is split by job: ``formats`` (file names, formats, which tool wrote an export),
``folder`` (which files are exports, which authority a folder names), ``workbook`` (an XLSX file's
sheet of respondents), ``headers`` (which item a column name means), ``table`` (a file's cells as
text, a tool's layout as one header row), ``answers`` (labels and numeric codings), ``rows`` (one
file's answers and comments) and ``local`` (every export of a survey, with invited.csv and
codings.csv). The public names are importable from ``roses.survey.readers``.
"""

from roses.survey.readers.answers import CODEBOOK, UNDECLARED
from roses.survey.readers.dates import WAVES_FILE, parse_dates, response_date
from roses.survey.readers.folder import (
    CODINGS_FILE,
    NOT_READ,
    PROGRAMME,
    SYNTHETIC_MARK,
    authority_key,
    authority_problem,
    find_exports,
    survey_files,
)
from roses.survey.readers.formats import FILE_NAME, FILE_NAMES, MAX_FILE_BYTES, OTHER_FORMATS
from roses.survey.readers.headers import HEADER_SEARCH_ROWS
from roses.survey.readers.local import (
    SURVEY_NAMES,
    invited_problems,
    local_authorities,
    read_codings,
    read_invited,
    read_local,
    read_wave_dates,
    same_categories,
)
from roses.survey.readers.rows import MAX_COMMENT, RESPONDENT_COLUMNS, read_export
from roses.survey.readers.table import NOT_FINISHED, QUALTRICS_EXCLUDED_STATUS, read_table
from roses.survey.readers.workbook import read_workbook

__all__ = [
    "CODEBOOK",
    "CODINGS_FILE",
    "FILE_NAME",
    "FILE_NAMES",
    "HEADER_SEARCH_ROWS",
    "MAX_COMMENT",
    "MAX_FILE_BYTES",
    "NOT_FINISHED",
    "NOT_READ",
    "OTHER_FORMATS",
    "PROGRAMME",
    "QUALTRICS_EXCLUDED_STATUS",
    "RESPONDENT_COLUMNS",
    "SURVEY_NAMES",
    "SYNTHETIC_MARK",
    "UNDECLARED",
    "WAVES_FILE",
    "authority_key",
    "authority_problem",
    "find_exports",
    "invited_problems",
    "parse_dates",
    "local_authorities",
    "read_codings",
    "read_export",
    "read_invited",
    "read_local",
    "read_table",
    "read_wave_dates",
    "response_date",
    "same_categories",
    "read_workbook",
    "survey_files",
]

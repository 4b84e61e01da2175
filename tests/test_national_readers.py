"""Readers of the national files: suppression kept as missing-with-reason, clear errors, lookups, caching."""

from __future__ import annotations

import csv
import shutil

import pandas as pd
import pytest

from roses.core.errors import DataError, RosesError
from roses.core.paths import DATA_DIR
from roses.exhibits.local import frame
from roses.national import readers

C4 = DATA_DIR / "dfe" / readers.C4


def _first_suppressed_cell():
    with open(C4, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            for column in ("Section47", "ICPC"):
                if row[column] in readers.SYMBOLS and row["geographic_level"] == "Local authority":
                    return row, column


def test_suppressed_cells_become_missing_with_their_symbol_never_zero():
    row, column = _first_suppressed_cell()
    frame_ = readers.read_tidy(C4)
    found = frame_[
        (frame_["old_la_code"] == row["old_la_code"])
        & (frame_["year"] == int(row["time_period"]))
        & (frame_["measure"] == column)
    ]
    assert len(found) == 1
    assert found["value"].isna().all() and found["symbol"].iloc[0] == row[column]
    published = frame_[frame_["symbol"].isna()]
    assert published["value"].notna().all()


def test_text_in_a_value_column_names_file_row_and_column(tmp_path):
    lines = C4.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[5].split(",")
    cells[header.index("ICPC")] = "n/a"
    lines[5] = ",".join(cells)
    bad = tmp_path / "dfe" / readers.C4
    bad.parent.mkdir()
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        readers.read_tidy(bad)
    message = str(caught.value)
    assert readers.C4 in message and "row 6" in message and "column 'ICPC'" in message and "'n/a'" in message


def test_data_folder_without_national_files_falls_back_to_the_repository(tmp_path):
    (tmp_path / "published").mkdir()
    assert readers.dfe_dir(tmp_path) == DATA_DIR / "dfe"
    copy = tmp_path / "other"
    shutil.copytree(DATA_DIR / "dfe", copy / "dfe")
    assert readers.dfe_dir(copy) == copy / "dfe"


def test_files_are_parsed_once_per_process_and_callers_get_their_own_copy(monkeypatch):
    first = readers.tidy(readers.C1)
    monkeypatch.setattr(readers.pd, "read_csv", lambda *a, **k: pytest.fail("parsed again"))
    monkeypatch.setattr(readers, "read_csv_text", lambda *a, **k: pytest.fail("parsed again"))
    again = readers.tidy(readers.C1)
    pd.testing.assert_frame_equal(first, again)
    again.loc[:, "value"] = -1  # one caller's edit never reaches the next caller
    pd.testing.assert_frame_equal(first, readers.tidy(readers.C1))


def test_lait_dash_is_not_available_not_zero():
    lait = readers.tidy(readers.LAIT)
    derby = lait[
        (lait["old_la_code"] == "831") & (lait["measure"] == "Work_Force_AvgNumCase_SW") & (lait["year"] == 2016)
    ]
    assert derby["value"].isna().all() and derby["symbol"].iloc[0] == "x"
    assert set(lait.loc[lait["la_name"] == "England", "level"]) == {"National"}


def test_ofsted_csv_and_ods_agree_and_join_on_the_old_code():
    from_csv, from_ods = readers.ofsted(), readers.ofsted(source="ods")
    assert from_csv.fillna("").astype(str).equals(from_ods.fillna("").astype(str))
    derby = from_csv[from_csv["old_la_code"] == "831"]
    assert not derby.empty and set(derby["la_name"]) == {"Derby"}
    assert from_csv["overall"].isin(["Outstanding", "Good", "Requires improvement to be good", "Inadequate"]).all()


def test_population_and_neighbours():
    population = readers.population()
    england_2018 = population[(population["level"] == "National") & (population["year"] == 2018)]["value"]
    assert england_2018.iloc[0] > 11_000_000
    for model in (2025, 2021):
        ten = readers.neighbours(model=model).query("old_la_code == '831'")
        assert list(ten["neighbour_rank"]) == list(range(1, 11)) and "831" not in set(ten["neighbour_code"])


@pytest.mark.parametrize("query", ["Derby", "derby", " DERBY ", "831"])
def test_authorities_are_found_by_name_or_code(query):
    assert readers.resolve_authority(query) == ("831", "Derby")


def test_unknown_authority_and_programme_letters_are_refused():
    with pytest.raises(RosesError, match=r"Close matches: .*Derbyshire \(830\)"):
        readers.resolve_authority("Derbyshir")
    with pytest.raises(RosesError, match="anonymised"):
        readers.resolve_authority("H")


def test_core_data_set_takes_from_dfe_what_dfe_publishes():
    core = frame("section-4.6-core-data-set-national", authority="Leeds")
    local = core[core["status"] == "needs the authority's own records"]
    assert set(local["item"]) == {"Cases progressed and managed through family support (early help)"}
    elsewhere = core[core["status"].str.startswith("DfE publishes")]
    assert "Children adopted (as relevant to jurisdictions)" in set(elsewhere["item"])
    assert elsewhere["note"].str.contains("Children looked after in England").all()
    assert pd.concat([local, elsewhere])["value"].isna().all()
    in_care = core.set_index("item").loc[["Children brought into care", "Children in out of home care"]]
    assert list(in_care["indicator"]) == ["cla_start_rate", "cla_rate"] and in_care["value"].notna().all()
    referred = core.set_index("item").loc["Cases referred to children's services"]
    indicators = frame("indicators", authority="Leeds")
    latest = indicators[indicators["indicator"] == "referral_rate"].iloc[-1]
    assert referred["value"] == latest["value"] and referred["year"] == latest["year"]
    # For a programme letter only England's figures appear.
    letter = frame("section-4.6-core-data-set-national", authority="E")
    national = letter[letter["status"] == "national statistics"]
    assert (national["value"] == national["england"]).all()


def test_a_national_file_in_a_data_folder_replaces_only_that_file(tmp_path):
    """--data DIR with only dfe/indicators.yml: its definitions, and every DfE file from the repository."""
    from roses.national import indicators

    (tmp_path / "dfe").mkdir()
    text = (DATA_DIR / "dfe" / "indicators.yml").read_text(encoding="utf-8")
    (tmp_path / "dfe" / "indicators.yml").write_text(
        text.replace("label: Children looked after at 31 March", "label: Looked-after children"), encoding="utf-8"
    )
    assert indicators.get("cla_rate", tmp_path).label == "Looked-after children"
    assert indicators.problems(tmp_path) == []
    mine = indicators.values("cla_rate", tmp_path)
    assert mine.equals(indicators.values("cla_rate"))  # the DfE files are the repository's
    assert readers.dfe_file(readers.C1, tmp_path) == DATA_DIR / "dfe" / readers.C1

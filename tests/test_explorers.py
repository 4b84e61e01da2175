"""The explorers (roses.pages.explorers): their computations, and their live ipywidgets driven in a real kernel."""

from __future__ import annotations

import json
import os
import textwrap

import pytest


def test_self_assessment_places_a_profile_among_table_7_1():
    from roses.pages import explorers

    def total(scores):
        return explorers.assess(scores).set_index("factor").loc["total"]

    top, bottom = total([3] * 8), total([1] * 8)
    assert (top["score"], top["programme_at_or_below"], top["closest_group"]) == (24, 10, "1")
    assert (bottom["score"], bottom["programme_at_or_below"], bottom["closest_group"]) == (8, 0, "3")
    middle = explorers.assess([2] * 8)
    assert "A total of 16 out of 24" in explorers.assessment_text(middle)
    assert middle.set_index("factor").at["collaborative_audit", "closest_group"] == "1 or 2"  # a tie named as such
    with pytest.raises(ValueError):
        explorers.assess([4] * 8)


def test_self_assessment_data_holds_no_letters():
    """The static face carries the programme's scores per factor, never which authority had which."""
    from roses.pages import explorers

    text = json.dumps(explorers.self_assessment_data())
    assert '"authority"' not in text and len(explorers.self_assessment_data()["total"]["programme"]) == 10


def test_indicator_comparison_names_ten_neighbours():
    from roses.national import indicators, readers
    from roses.pages import explorers

    data = explorers.indicator_data()
    code, name = readers.resolve_authority("Derby")
    result = explorers.compare(code, "caseload", data)
    assert result["name"] == name and len(result["neighbours"]) == 10
    table = indicators.authority_table("Derby").query("indicator == 'caseload'").set_index("year")
    for row in result["rows"]:
        if row["value"] is not None:
            assert row["value"] == pytest.approx(table.at[row["year"], "value"])
            assert row["neighbour_median"] == pytest.approx(table.at[row["year"], "neighbour_median"])


def test_static_explorers_start_disabled_and_carry_their_data():
    from roses.pages import explorers

    for name in explorers.EXPLORERS:
        text = explorers.show(name)._repr_html_()
        assert f'{explorers.MARK}="{name}"' in text and " disabled>" in text and "make lab" in text
        payload = text.split('class="roses-explorer-data">')[1].split("</script>")[0]
        assert json.loads(payload.replace("<\\/", "</"))


@pytest.fixture(scope="module")
def kernel():
    from roses.engine.execute import Kernel

    started = Kernel(env={**os.environ, "ROSES_WIDGETS": "live", "JPY_SESSION_NAME": "test.ipynb"})
    yield started.client
    started.shutdown()


def _run(client, code: str) -> str:
    """Execute ``code`` in the kernel; returns what it printed (fails on an error)."""
    reply = client.execute_interactive(textwrap.dedent(code), timeout=120, output_hook=_collect.hook)
    assert reply["content"]["status"] == "ok", _collect.text
    text, _collect.text = _collect.text, ""
    return text


class _collect:
    text = ""

    @staticmethod
    def hook(msg):
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":  # stderr: import warnings
            _collect.text += msg["content"]["text"]
        elif msg["msg_type"] == "error":
            _collect.text += "\n".join(msg["content"]["traceback"])


def test_self_assessment_widget_updates_in_a_kernel(kernel):
    out = _run(
        kernel,
        """
        import os
        from roses.pages.chapter import Chapter
        page = Chapter("findings")
        box = page.explorer("self-assessment")
        print(type(box).__name__, len(box.sliders))
        before = box.children[-1].value
        for slider in box.sliders:
            slider.value = 3
        after = box.children[-1].value
        print(before != after, "A total of 24 out of 24: 10 of the programme" in after)
    """,
    )
    assert out.split() == ["VBox", "8", "True", "True"]


def test_indicator_widget_updates_in_a_kernel(kernel):
    out = _run(
        kernel,
        """
        from roses.pages import explorers
        box = explorers.show("indicators")
        before = box.children[-1].value
        box.authority.label = "Leeds"
        after_authority = box.children[-1].value
        box.indicator.value = "turnover"
        after_indicator = box.children[-1].value
        print(before != after_authority, "Leeds" in after_authority, after_indicator != after_authority)
    """,
    )
    assert out.split() == ["True", "True", "True"]

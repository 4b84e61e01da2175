"""The explorers' static face on the built site (no kernel): roses-explorers.js connects the controls,
and what a choice shows is exactly what the Python side computes for it (roses.pages.explorers)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from .conftest import present

pytestmark = pytest.mark.browser


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def text_of(markup: str) -> str:
    """What a browser's ``textContent`` gives for this HTML."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def _explorer(page, name: str):
    figure = present(page.locator(f'figure[data-roses-explorer="{name}"]'), f"the {name} explorer")
    figure.first.scroll_into_view_if_needed()
    page.wait_for_function(
        "(f) => !f.querySelector('select').disabled", arg=figure.first.element_handle(), timeout=10_000
    )
    return figure.first


def test_self_assessment_works_without_a_kernel(open_page):
    from roses.pages import explorers

    page, log = open_page("book/findings.html")
    figure = _explorer(page, "self-assessment")
    result = figure.locator(".roses-explorer-result")
    assert result.text_content() == text_of(explorers._assessment_result_html([2] * 8))  # the page's start
    for scores in ([3] * 8, [1] * 8, [3, 1, 2, 3, 1, 2, 3, 1]):
        for index, score in enumerate(scores):
            figure.locator(f'select[data-index="{index}"]').select_option(str(score))
        assert result.text_content() == text_of(explorers._assessment_result_html(scores)), scores
    assert "A total of" in result.inner_text()
    assert not log.problems(), log.problems()


def test_indicator_explorer_works_without_a_kernel(open_page):
    from roses.national import readers
    from roses.pages import explorers

    page, log = open_page("book/data-and-methods.html")
    figure = _explorer(page, "indicators")
    data = explorers.indicator_data()
    for authority, indicator in (("Leeds", "turnover"), ("Cornwall", "caseload"), ("Derby", "absence")):
        code, name = readers.resolve_authority(authority)
        figure.locator("#roses-ind-authority").select_option(code)
        figure.locator("#roses-ind-indicator").select_option(indicator)
        shown = figure.locator(".roses-explorer-result").text_content()
        assert shown == text_of(explorers._comparison_html(code, indicator, data)), (authority, indicator)
        assert name in shown and "statistical neighbours" in shown
    assert not log.problems(), log.problems()


def test_explorer_controls_are_disabled_until_connected(open_page):
    """Without its script an explorer is plainly inert (disabled), never a control that does nothing."""
    page, _log = open_page("book/findings.html", java_script_enabled=False)
    selects = present(page.locator("figure[data-roses-explorer] select"), "the findings page's explorer")
    assert all(selects.nth(i).is_disabled() for i in range(selects.count()))

"""Search finds exhibits: an exhibit's number or title leads first to the exhibit itself, and the
result's snippet is readable text (no menu options or table cells run together)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

RESULTS = "#search-results ul.search li"


@pytest.mark.parametrize(
    ("query", "target"),
    [("Figure 7.8", "book/findings.html#figure-7-8-exhibit"), ("Table 7.1", "book/findings.html#table-7-1-exhibit")],
)
def test_an_exhibits_number_leads_to_the_exhibit(open_page, query, target):
    page, log = open_page(f"search.html?q={query.replace(' ', '+')}")
    page.wait_for_selector(RESULTS, timeout=30_000)
    first = page.locator(RESULTS).first
    assert first.locator("a").first.get_attribute("href").endswith(target), first.inner_text()
    page.wait_for_function(f"document.querySelector('{RESULTS} p.context')", timeout=30_000)
    snippet = first.locator("p.context").inner_text()
    assert "Authority AAuthority" not in snippet and "Save PNG" not in snippet, snippet
    assert log.page_errors == []

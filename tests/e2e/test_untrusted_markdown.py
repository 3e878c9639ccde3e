"""Text from a share link is shown as written: no remote image fetched, no link made, no formula
rendered (a link is anyone's text, and every visitor's browser would obey it)."""

from __future__ import annotations

from urllib.parse import urlencode

from playwright.sync_api import expect

TRAP = "http://127.0.0.1:9"  # nothing listens there; any request to it is the markup obeyed


def test_markdown_and_latex_in_a_link_show_as_text_and_fetch_nothing(app_url, page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    link = [
        ("source", f"![]({TRAP}/p.png)"),
        ("speaker", f"[Session expired – log in]({TRAP}/login)"),
        ("hedge", "$x^2$"),
    ]
    page.goto(f"{app_url}/?{urlencode(link)}")
    expect(page.get_by_text("Click a place on the map, or pick one above")).to_be_visible(
        timeout=90_000
    )
    notices = page.get_by_test_id("stAlert")
    expect(notices.filter(has_text="Session expired – log in")).to_have_count(1)
    # Shown as written (an invisible word joiner after "http:" keeps it from becoming a link).
    expect(notices.filter(has_text="[Session expired – log in](http:")).to_have_count(1)
    expect(notices.filter(has_text="![](http:")).to_have_count(1)
    expect(notices.filter(has_text="$x^2$")).to_have_count(1)
    found = notices.locator("a, img, .katex")
    assert found.count() == 0, [
        found.nth(i).evaluate("e => e.outerHTML") for i in range(found.count())
    ]
    assert not [url for url in requests if url.startswith(TRAP)]

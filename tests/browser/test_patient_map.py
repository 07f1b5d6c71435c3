"""The patient's map: under a facility answer in the widget (two languages) and on /zones, drawn
from this server only, with the markers numbered as the list."""
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import PHONE
from tests.browser.helpers import bot_messages, open_widget, send

pytestmark = pytest.mark.integration

# Not NLU training examples (tests/nlu/test_heldout.py checks).
FRENCH = "J'habite à Givet : dans quel hôpital belge puis-je me faire soigner ?"
GERMAN = "Ich wohne in Givet. Welches belgische Krankenhaus darf ich nutzen?"
LOCAL = {"127.0.0.1", "localhost"}


def record_requests(page) -> list:
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    page.on("websocket", lambda socket: urls.append(socket.url))
    return urls


def assert_local(urls):
    assert urls, "no request recorded"
    assert [u for u in urls if urlsplit(u).hostname not in LOCAL] == []


def listed_numbers(message) -> dict:
    """{number: text} of the reply's numbered list, as the browser numbers it (ol start + position)."""
    return message.evaluate("""m => { const out = {};
        m.querySelectorAll('.msg-body ol').forEach(ol => Array.from(ol.children).forEach((li, i) => {
          out[String(ol.start + i)] = li.textContent; }));
        return out; }""")


def marker_titles(message) -> dict:
    return message.evaluate("""m => { const out = {};
        m.querySelectorAll('.msg-map .mark-facility').forEach(g => {
          out[g.querySelector('.mark-number').textContent] = g.querySelector('title').textContent; });
        return out; }""")


@pytest.mark.parametrize("language, message", [("fr", FRENCH), ("de", GERMAN)])
def test_a_facility_answer_shows_a_map_numbered_as_its_list(page, stack, screenshot, language, message):
    urls = record_requests(page)
    page.set_viewport_size(PHONE)
    open_widget(page, stack, f"?lang={language}")
    page.select_option("#language", language)
    send(page, message)
    answer = bot_messages(page).filter(has=page.locator(".msg-map")).last
    answer.locator(".msg-map .mark-facility").first.wait_for(timeout=30_000)
    answer.locator(".msg-map .mark-territory").first.wait_for(timeout=30_000)
    text = answer.locator(".msg-body").inner_text()
    assert "CHU UCL Namur Dinant" in text and "Givet" in text
    listed, markers = listed_numbers(answer), marker_titles(answer)
    assert markers and set(markers) == set(listed), (markers, listed)
    for number, title in markers.items():
        name = title.split(". ", 1)[1].split(" – ")[0]
        assert name in listed[number], (number, title, listed[number])
    svg = answer.locator(".msg-map svg")
    assert svg.get_attribute("role") == "img"
    assert svg.locator("title").first.text_content() and "Givet" in svg.locator("desc").text_content()
    assert answer.locator(".msg-map .mark-patient title").text_content() == "Givet"
    assert answer.locator(".msg-map .mark-domestic").count() == 1
    assert answer.locator(".map-note").count() >= 1            # the approximate part of the territory is said
    # Readable on a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # A reload redraws the map from the stored conversation.
    page.reload()
    open_widget(page, stack)
    bot_messages(page).filter(has=page.locator(".msg-map")).last.locator(".mark-facility").first.wait_for()
    assert not page.errors, page.errors
    assert_local(urls)
    screenshot(page, f"widget-map-{language}-phone")


def test_zones_finds_a_town_typed_with_a_typo_and_draws_its_hospitals(page, stack, screenshot):
    urls = record_requests(page)
    page.set_viewport_size(PHONE)
    page.goto(f"{stack.url}/")
    page.click("#zones-link")
    page.wait_for_selector("#zone-list")
    page.select_option("#lang", "nl")
    page.fill("#place", "Givett")
    page.click("form.zones-form button[type=submit]")
    page.wait_for_selector("#place-result[data-status=found]")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("#zone-detail").get_attribute("data-zone") == "ardennes"
    page.wait_for_selector("#zone-map .mark-hospital")
    numbers = page.locator("#zone-map .mark-hospital .mark-number").all_text_contents()
    listed = page.locator(".zone-hospitals li").evaluate_all("items => items.map(li => li.dataset.n)")
    assert sorted(numbers, key=int) == sorted(listed, key=int)
    assert page.locator("#zone-map .mark-territory").count() > 10
    assert page.locator(".zone-sources a").count() >= 8
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not page.errors, page.errors
    assert_local(urls)
    screenshot(page, "zones-phone", full_page=True)

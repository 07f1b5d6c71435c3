"""The report of a `make retrain` run, opened once in Chromium from disk: the decision is what the
operator sees first, every plot loads, and the page asks nothing of any server (no services started)."""
from assistant.operations.retrain import render_report
from tests.browser.conftest import DESKTOP, SCREENSHOTS
from tests.operations.sample_run import write_sample_run


def test_the_report_opens_with_the_decision_on_top_and_every_plot(browser, tmp_path):
    config, run_dir = write_sample_run(tmp_path / "reports")
    page_file = render_report(config, run_dir)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(page_file.as_uri())
        decision = page.locator("#decision")
        assert decision.locator("h1").inner_text() == "Kept what is in service"
        assert decision.bounding_box()["y"] < 50                     # at the top, no scrolling
        assert "crossval_f1 [lb]" in decision.inner_text()
        page.wait_for_function("[...document.images].every(i => i.complete)")
        widths = page.eval_on_selector_all("img", "images => images.map(i => i.naturalWidth)")
        assert len(widths) == 5 and all(w > 300 for w in widths), widths
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "retrain-report.png"), full_page=True)
    finally:
        context.close()
    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests

"""The report of a run is written with its plots, from fixed figures (drawn in the Rasa env)."""
import re

from assistant.operations.retrain import render_report
from tests.operations.sample_run import write_sample_run

PNG = b"\x89PNG\r\n\x1a\n"


def test_report_html_with_the_decision_first_and_its_plots(tmp_path):
    config, run_dir = write_sample_run(tmp_path / "reports")
    page = render_report(config, run_dir)
    assert page == run_dir / "index.html"
    text = page.read_text(encoding="utf-8")
    body = text.split("<body>", 1)[1]
    assert body.lstrip().startswith('<section class="decision kept" id="decision">\n<h1>Kept what is in service</h1>')
    assert "crossval_f1 [lb]: 0.800 vs 0.870 in service (-0.070, tolerance 0.02)" in body
    assert '<td class="worse">0.800<br><small>0.870</small></td>' in body     # the regression is marked
    images = re.findall(r'<img src="([^"]+)"', body)
    assert images == ["f1.png", "heldout.png", "retrieval.png", "confusion.png", "trend.png"]
    for name in images:
        assert (run_dir / name).read_bytes().startswith(PNG), name
        assert (run_dir / name).stat().st_size > 5_000, name
    assert '<a href="logs/train.log">' in body
    assert (config.reports_dir / "latest").resolve() == run_dir.resolve()

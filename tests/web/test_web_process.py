"""The web app holds no retrieval model: the console asks the action server (one retrieval path)."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "sentence_transformers", "faiss", "transformers", "spacy", "sklearn", "numpy", "rank_bm25")


def test_the_web_app_imports_no_retrieval_stack():
    code = ("import json, sys\n"
            "import assistant.web.__main__, assistant.web.app, assistant.web.console, assistant.web.agent_api\n"
            f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []

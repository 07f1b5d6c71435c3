"""The speed-ups of Rasa itself (assistant/rasa_patches.py) keep Rasa's behaviour, and the log redaction
is installed with them: run in the Rasa env."""
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RASA_PYTHON = ROOT / ".venv" / "rasa" / "bin" / "python"

CHECK = """
import assistant.nlu  # what the Rasa server imports with the model
from assistant import rasa_patches
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
assert RemoteAction._validate_action_result is rasa_patches._validate_action_result, "patch not installed"
action = RemoteAction("action_x", None)
assert action._validate_action_result({"events": [{"event": "slot", "name": "a", "value": 1}],
                                       "responses": [{"text": "hi"}]})
for bad in ({"events": "not a list"}, {"events": [{"no_event_key": 1}]}, {"responses": [1]}):
    try:
        action._validate_action_result(bad)
    except ValidationError as error:
        assert "Failed to validate Action server response" in error.message
    else:
        raise SystemExit(f"accepted an invalid reply: {bad}")
# The same import installs the log redaction (assistant/log_redaction.py) in the Rasa process.
import io, logging
out = io.StringIO()
logging.getLogger("rasa.core.processor").addHandler(logging.StreamHandler(out))
logging.getLogger("rasa.core.processor").warning("Received user message '%s'", "NISS 85.07.30-033.28")
assert out.getvalue().strip() == "Received user message 'NISS [NISS]'", out.getvalue()
print("ok")
"""


def test_action_replies_are_validated_as_rasa_does():
    result = subprocess.run([str(RASA_PYTHON), "-c", CHECK], cwd=ROOT, capture_output=True, text=True,
                            timeout=300, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.stdout.strip().endswith("ok"), result.stderr[-2000:]

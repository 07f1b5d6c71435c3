"""Rasa's own checks of the training data, domain and config pass."""
import re
import subprocess
from pathlib import Path

from assistant.services import service_environment
from assistant.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
RASA = ROOT / ".venv" / "rasa" / "bin" / "rasa"


def responses_uttered_by_code():
    """Responses that forms and custom actions utter, which Rasa's validator cannot see."""
    domain = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "domain").glob("*.yml")))
    names = set(re.findall(r'"(utter_\w+)"', "".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "actions").glob("*.py"))))
    names |= {f"utter_ask_{slot}" for slot in re.findall(r"^\s+-\s+(\w+)$", domain, re.M)}
    return names


def test_rasa_data_validate_passes_without_unexplained_warnings():
    env = service_environment(load_settings())
    result = subprocess.run([str(RASA), "data", "validate", "--domain", "domain"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    warnings = [line for line in output.splitlines() if "UserWarning:" in line]
    allowed = responses_uttered_by_code()
    unexplained = [
        line for line in warnings
        if not any(f"The utterance '{name}' is not used" in line for name in allowed)
    ]
    assert not unexplained, "\n".join(unexplained)

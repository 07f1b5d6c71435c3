"""What is in service, and putting another model and index version in service without a restart.

In service means what `make run` serves: the newest complete model in models/ (assistant.services.
latest_model, by modification time; Rasa's own `rasa train` compares with the newest too) and the
version the index's ``current`` pointer names. Switching therefore moves or touches the model file and
swaps the pointer; a running Rasa server is told through its HTTP API (``PUT /model``), and a running
action server notices the pointer by itself (assistant/knowledge/search.py).
"""
from __future__ import annotations

import dataclasses
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

from assistant.knowledge.index import _swap_pointer, current_name
from assistant.knowledge.index import prune as prune_index
from assistant.operations.promotion import to_delete
from assistant.services import ServiceError, latest_model
from assistant.settings import Settings

# Loading a model in the Rasa server takes a few seconds (it answers the messages that came in
# meanwhile right after); allow for a loaded machine.
LOAD_TIMEOUT_S = 300


class DeployError(RuntimeError):
    """The switch could not be made; nothing in service changed."""


@dataclass(frozen=True)
class Deployment:
    settings: Settings          # models_dir, the Rasa server's URL
    token: str                  # the Rasa HTTP API token (assistant.settings.rasa_auth_token)
    index_dir: Path             # the knowledge index the action server reads (knowledge.yml, index_dir)

    def in_service(self) -> Dict[str, Optional[str]]:
        try:
            model = self.newest_model(self.settings.models_dir).name
        except ServiceError:
            model = None
        return {"model": model, "index": current_name(self.index_dir)}

    def newest_model(self, directory: Path) -> Path:
        """The newest complete model in ``directory``, as `make run` chooses in models/."""
        return latest_model(dataclasses.replace(self.settings, models_dir=directory))

    def _api(self, method: str, path: str, body: Optional[dict] = None, timeout: float = 10) -> Optional[dict]:
        """The Rasa HTTP API; None when no server answers at the settings' URL."""
        url = f"{self.settings.rasa_url}{path}?{urllib.parse.urlencode({'token': self.token})}"
        request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body else None,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                text = response.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")[:500]
            raise DeployError(f"the Rasa server at {self.settings.rasa_url} answered {method} {path} with "
                              f"{error.code}: {detail} (is RASA_AUTH_TOKEN the server's token?)") from error
        except (urllib.error.URLError, ConnectionError, OSError):
            return None
        return json.loads(text) if text else {}

    def running_model(self) -> Optional[str]:
        """The model file a Rasa server at the settings' URL runs, None when none answers."""
        status = self._api("GET", "/status")
        return None if status is None else status.get("model_file")

    def switch(self, model: Path, index_version: Optional[Path]) -> List[str]:
        """Puts ``model`` (moved into models/ if it is elsewhere) and ``index_version`` (moved into the
        index dir if elsewhere) in service; returns what it did. A Rasa server that refuses the model
        raises DeployError with everything left as it was."""
        before = self.in_service()
        target = self.settings.models_dir / model.name
        moved = model.resolve() != target.resolve()
        if moved:
            os.replace(model, target)
        os.utime(target)                 # the newest model is the one in service
        done = [f"model in service: {target.name}"]
        try:
            if self.running_model() is not None:
                self._api("PUT", "/model", {"model_file": str(target.resolve())}, timeout=LOAD_TIMEOUT_S)
                if self.running_model() != target.name:
                    raise DeployError(f"the Rasa server at {self.settings.rasa_url} did not load {target.name}")
                done.append(f"the Rasa server at {self.settings.rasa_url} loaded it without a restart")
        except BaseException:
            if moved:
                os.replace(target, model)
            if before["model"]:
                os.utime(self.settings.models_dir / before["model"])
            raise
        if index_version is not None:
            try:
                if index_version.parent.resolve() != self.index_dir.resolve() and \
                        not (self.index_dir / index_version.name).exists():
                    os.replace(index_version, self.index_dir / index_version.name)
                # The index's own atomic pointer swap: a running action server loads it at its next question.
                _swap_pointer(self.index_dir, index_version.name)
            except OSError as error:
                # The model is in service already: say so, so that the run is recorded and can be rolled back.
                raise DeployError(f"{'; '.join(done)}; but the index {index_version.name} could not be put in "
                                  f"service ({error}): the previous index stays") from error
            done.append(f"index in service: {index_version.name}")
        return done

    def prune(self, keep: int, candidates_dir: Path) -> List[str]:
        """Deletes models (in service and candidates) and index versions beyond the newest ``keep``,
        never the ones in service."""
        service = self.in_service()
        removed = []
        for directory in (self.settings.models_dir, candidates_dir):
            models = sorted(directory.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
            for path in to_delete(models, keep, protect=[self.settings.models_dir / str(service["model"])]):
                path.unlink()
                removed.append(path.name)
        return removed + prune_index(self.index_dir, keep)

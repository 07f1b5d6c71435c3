"""What is in service, and putting another model and index version in service without a restart.

In service means what `make run` serves: the newest complete model in models/ (assistant.services.
latest_model, by modification time; Rasa's own `rasa train` compares with the newest too) and the
version the index's ``current`` pointer names. Switching therefore moves or touches the model file and
swaps the pointer; a running Rasa server is told through its HTTP API (``PUT /model``), and a running
action server notices the pointer by itself (assistant/knowledge/search.py).
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

from assistant.knowledge.index import BuildError, _swap_pointer, build_lock, current_name
from assistant.knowledge.index import prune as prune_index
from assistant.operations.promotion import to_delete
from assistant.services import ServiceError, latest_model
from assistant.settings import Settings

# Loading a model in the Rasa server takes a few seconds (it answers the messages that came in
# meanwhile right after); allow for a loaded machine. Read at each call (the tests shorten them).
LOAD_TIMEOUT_S = 300
STATUS_TIMEOUT_S = 10
# `make index` holds the index's build lock while it embeds (a minute or two on shared cores).
INDEX_LOCK_TIMEOUT_S = 600


class DeployError(RuntimeError):
    """The switch could not be made; its message says what is in service."""


class NoAnswer(DeployError):
    """A Rasa server listens but did not answer in time."""


class StillLoading(DeployError):
    """A load the server did not finish in twice the timeout: it may still end, or never."""


class Refused(DeployError):
    """The Rasa server answered with an error (a model it cannot load, a wrong token)."""


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

    def _api(self, method: str, path: str, body: Optional[dict] = None,
             timeout: Optional[float] = None) -> Optional[dict]:
        """The Rasa HTTP API; None only when nothing listens at the settings' URL. A server that does
        not answer in time is not "no server": it raises, so that nothing is switched behind its back."""
        timeout = STATUS_TIMEOUT_S if timeout is None else timeout
        url = f"{self.settings.rasa_url}{path}?{urllib.parse.urlencode({'token': self.token})}"
        request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body else None,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                text = response.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")[:500]
            raise Refused(f"the Rasa server at {self.settings.rasa_url} answered {method} {path} with "
                          f"{error.code}: {detail} (is RASA_AUTH_TOKEN the server's token?)") from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, ConnectionRefusedError):
                return None
            raise NoAnswer(f"no answer from the Rasa server at {self.settings.rasa_url} to {method} {path}: "
                           f"{error.reason}") from error
        except ConnectionRefusedError:
            return None
        except OSError as error:         # a timeout while reading, a reset connection
            raise NoAnswer(f"no answer from the Rasa server at {self.settings.rasa_url} to {method} {path} "
                           f"within {timeout:.1f} s: {error}") from error
        try:
            return json.loads(text) if text else {}
        except ValueError as error:
            raise DeployError(f"the Rasa server at {self.settings.rasa_url} answered {method} {path} with "
                              f"something that is not JSON") from error

    def _status(self) -> Optional[dict]:
        return self._api("GET", "/status")

    def running_model(self) -> Optional[str]:
        """The model file a Rasa server at the settings' URL runs, None when none answers."""
        status = self._status()
        return None if status is None else status.get("model_file")

    def _load(self, model: Path) -> None:
        try:
            self._api("PUT", "/model", {"model_file": str(model.resolve())}, timeout=LOAD_TIMEOUT_S)
        except NoAnswer as no_answer:
            # The server goes on loading after the client gave up: a slow load is not a failed one. Wait
            # for it to settle, as long again, rather than switch the files back under a loading server.
            deadline = time.monotonic() + LOAD_TIMEOUT_S
            while self.running_model() != model.name and time.monotonic() < deadline:
                time.sleep(0.2)
            if self.running_model() != model.name:
                raise StillLoading(f"the Rasa server at {self.settings.rasa_url} did not load {model.name} "
                                   f"within {2 * LOAD_TIMEOUT_S:g} s") from no_answer
            return
        if self.running_model() != model.name:
            raise DeployError(f"the Rasa server at {self.settings.rasa_url} did not load {model.name}")

    def switch(self, model: Path, index_version: Optional[Path]) -> List[str]:
        """Puts ``model`` (moved into models/ if it is elsewhere) and ``index_version`` (moved into the
        index dir if elsewhere) in service; returns what it did. Both or neither: when a step fails,
        what it already changed is undone (the server gets the model it ran before again) and
        DeployError says what failed, and what is in service when undoing failed too."""
        before = self.in_service()
        status = self._status()
        server = status is not None
        # What the server runs, which may not be the newest file (a `make train` while it runs).
        was_running = status.get("model_file") if status else None
        target = self.settings.models_dir / model.name
        moved = model.resolve() != target.resolve()
        if moved and target.exists():
            raise DeployError(f"{target} exists already and is another file; nothing changed")
        with contextlib.ExitStack() as stack:
            if index_version is not None:
                index_version = self._index_in_place(index_version, stack)
            try:
                if moved:
                    os.replace(model, target)
                os.utime(target)                 # the newest model is the one in service
            except OSError as error:
                raise DeployError(f"the model {model.name} could not be put into {self.settings.models_dir} "
                                  f"({error}); nothing changed") from error
            done = [f"model in service: {target.name}"]

            def undo(reason: Exception, reload: bool) -> DeployError:
                if moved:
                    os.replace(target, model)
                if before["model"]:
                    os.utime(self.settings.models_dir / before["model"])
                if not (server and reload):
                    return DeployError(f"{reason}; nothing changed")
                if not was_running:
                    return DeployError(f"{reason}; the Rasa server ran no model before, so none was put back: "
                                       "check `GET /status`")
                try:
                    # Always, not only when /status names the candidate: the load may have ended since.
                    self._load(self.settings.models_dir / was_running)
                except DeployError as error:
                    return DeployError(f"{reason}; and {was_running}, which the Rasa server ran before, could not "
                                       f"be loaded again ({error}): check `GET /status`")
                if isinstance(reason, StillLoading):     # Rasa cannot be told to give up a load
                    return DeployError(f"{reason}; the Rasa server runs {was_running} again, but the load of "
                                       f"{target.name} may still end: check `GET /status`")
                return DeployError(f"{reason}; the Rasa server runs {was_running} again: nothing changed")

            try:
                if server:
                    self._load(target)
                    done.append(f"the Rasa server at {self.settings.rasa_url} loaded it without a restart")
            except Refused as error:        # the server kept the model it had
                raise undo(error, reload=False) from error
            except DeployError as error:
                raise undo(error, reload=True) from error
            if index_version is not None and index_version.name != before["index"]:
                try:
                    # Atomic: a running action server loads the new version at its next question.
                    _swap_pointer(self.index_dir, index_version.name)
                except OSError as error:
                    raise undo(DeployError(f"the index {index_version.name} could not be put in service "
                                           f"({error})"), reload=True) from error
            if index_version is not None:
                done.append(f"index in service: {index_version.name}")
        return done

    def _index_in_place(self, index_version: Path, stack: contextlib.ExitStack) -> Path:
        """The index version moved beside the others (not yet in service), under the index's build lock,
        held until the switch ends: `make index` writes the same pointer."""
        try:
            stack.enter_context(build_lock(self.index_dir, timeout_s=INDEX_LOCK_TIMEOUT_S))
            if index_version.parent.resolve() != self.index_dir.resolve() and \
                    not (self.index_dir / index_version.name).exists():
                os.replace(index_version, self.index_dir / index_version.name)
        except (OSError, BuildError) as error:
            raise DeployError(f"the index {index_version.name} could not be put beside the others in "
                              f"{self.index_dir} ({error}); nothing changed") from error
        return self.index_dir / index_version.name

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

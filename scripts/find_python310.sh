#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 needs Python < 3.11), or
# explains on stderr what is missing and exits 1.
set -u
for candidate in "${PYTHON310:-}" python3.10 \
    "$(PYENV_VERSION=3.10.13 pyenv which python3.10 2>/dev/null)" \
    "$(pyenv prefix 3.10.13 2>/dev/null)/bin/python3.10"; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if "$path" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
echo "Python 3.10 not found: Rasa 3.6 needs it. Install it (e.g. 'pyenv install 3.10.13') or set PYTHON310=/path/to/python3.10." >&2
exit 1

# Shared set-up for scripts/build, scripts/serve, scripts/test and scripts/bench (sourced).
# Creates .venv, installs the pinned Python packages (requirements.lock) and the pinned npm
# packages (package-lock.json). Idempotent: a stamp holding the lock files' hashes skips both
# steps when nothing changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
if ! command -v "$PY" >/dev/null 2>&1; then
  echo "setup: python3 is missing: install Python 3.11 or newer (Debian package python3-venv)." >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "setup: npm is missing: install Node.js 20 or newer with npm (Debian package npm)." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
py_stamp=".venv/.memore-stamp"
py_hash="$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)"
if [ "$(cat "$py_stamp" 2>/dev/null || true)" != "$py_hash" ]; then
  echo "setup: installing pinned Python packages"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
  # The project itself, editable and without dependencies: gives the memore-toolbox command.
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
  echo "$py_hash" > "$py_stamp"
fi
npm_stamp="node_modules/.memore-stamp"
npm_hash="$(cat package-lock.json | sha256sum | cut -c1-16)"
if [ "$(cat "$npm_stamp" 2>/dev/null || true)" != "$npm_hash" ]; then
  echo "setup: installing pinned npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$npm_hash" > "$npm_stamp"
fi
export PATH="$ROOT/.venv/bin:$PATH"

#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this script):
#   1. a virtualenv in .venv with the package and the test tools,
#   2. Stoplight Prism serving spec/ on 127.0.0.1 (needs Node.js and npm),
#   3. ruff, mypy --strict, pytest on this Python,
#   4. tox environments: the lowest supported dependency versions, and other Pythons.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k replay`.
# TOX_ENVS overrides the tox environments (empty: none).
set -euo pipefail
cd "$(dirname "$0")/.."

# Make every pyenv-installed Python visible to tox as python3.9 ... python3.13 (tox's interpreter
# discovery does not go through pyenv's shims); harmless without pyenv.
pythons_dir="$(mktemp -d)"
for interpreter in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.*/bin/python3.*; do
  case "$interpreter" in *-config | *.py | *t) continue ;; esac
  [ -x "$interpreter" ] && ln -sf "$interpreter" "$pythons_dir/$(basename "$interpreter")"
done
export PATH="$pythons_dir:$PATH"
python_bin="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
  "$python_bin" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e . -r test-requirements.txt tox

if [ -f .ci/prism.sh ]; then
  # shellcheck source=/dev/null
  source .ci/prism.sh
fi

echo "== ruff"
.venv/bin/ruff check py_logto test scripts examples benchmarks
.venv/bin/ruff format --check py_logto test scripts examples benchmarks
echo "== mypy --strict"
.venv/bin/mypy --strict py_logto
.venv/bin/mypy --strict test/typing_usage.py examples/quickstart.py benchmarks

echo "== pytest ($(.venv/bin/python --version))"
.venv/bin/python -m pytest "$@"

for env in ${TOX_ENVS-lowest py39 py313}; do
  echo "== tox -e $env"
  .venv/bin/tox -e "$env" -- -q -p no:cacheprovider "$@"
done

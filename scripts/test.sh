#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this script):
#   1. which Pythons tox can use (3.9 ... 3.13); a tox environment whose Python is missing is
#      skipped with a line saying so, except in CI (CI=true), where that is a failure,
#   2. a virtualenv in .venv with the package (editable) and the test tools,
#   3. Stoplight Prism serving both contracts on 127.0.0.1 (needs Node.js and npm),
#   4. ruff, mypy --strict, and pytest on this Python; pytest includes the packaging check (the
#      wheel and the sdist built, installed into new virtualenvs outside the repository, and used),
#   5. the source distribution built and extracted, and the suite run from it by tox: the lowest
#      supported dependency versions (Python 3.9), Python 3.9 with the newest, and Python 3.13.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k replay`.
# TOX_ENVS overrides the tox environments (empty: none).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

ci=false
case "$(printf '%s' "${CI:-}" | tr '[:upper:]' '[:lower:]')" in "" | 0 | false | no) ;; *) ci=true ;; esac

tmp="$(mktemp -d)"
cleanup() {
  if [ -f .ci/prism.sh ]; then bash .ci/prism.sh stop; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Make every pyenv-installed Python visible to tox as python3.9 ... python3.13 (tox's interpreter
# discovery does not go through pyenv's shims); harmless without pyenv.
mkdir "$tmp/bin"
for interpreter in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.*/bin/python3.*; do
  case "$interpreter" in *-config | *.py | *t) continue ;; esac
  [ -x "$interpreter" ] && ln -sf "$interpreter" "$tmp/bin/$(basename "$interpreter")"
done
export PATH="$tmp/bin:$PATH"
python_bin="${PYTHON:-python3}"

# The Python each tox environment runs on: lowest -> python3.9, py313 -> python3.13.
interpreter_for() {
  case "$1" in
    lowest) echo python3.9 ;;
    py3*) echo "python3.${1#py3}" ;;
    *) echo "$python_bin" ;;
  esac
}

read -r -a tox_envs <<<"${TOX_ENVS-lowest py39 py313}"
echo "== interpreters"
found=() missing=()
for minor in 9 10 11 12 13; do
  if command -v "python3.$minor" >/dev/null; then
    found+=("python3.$minor ($("python3.$minor" -c 'import platform; print(platform.python_version())'))")
  else
    missing+=("python3.$minor")
  fi
done
echo "found: ${found[*]:-none}"
echo "missing: ${missing[*]:-none}"
runnable=()
for env in "${tox_envs[@]}"; do
  interpreter="$(interpreter_for "$env")"
  if command -v "$interpreter" >/dev/null; then
    runnable+=("$env")
  elif $ci; then
    echo "FAILED: tox -e $env needs $interpreter, which is not installed (CI must have every one)" >&2
    exit 1
  else
    echo "SKIPPED: tox -e $env needs $interpreter, which is not installed (e.g. pyenv install 3.${interpreter#python3.})"
  fi
done
echo "python for .venv: $("$python_bin" --version)"

if [ ! -x .venv/bin/python ]; then
  "$python_bin" -m venv .venv
fi
# A virtualenv made before the package was published as logto-user-api holds it under its old name.
if .venv/bin/python -m pip show --quiet py-logto >/dev/null 2>&1; then
  .venv/bin/python -m pip uninstall --quiet --yes py-logto
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e . -r test-requirements.txt tox

if [ -f .ci/prism.sh ]; then
  # shellcheck source=/dev/null
  source .ci/prism.sh
  trap cleanup EXIT  # prism.sh set its own trap, which only stops Prism
fi

echo "== ruff"
.venv/bin/ruff check py_logto test scripts examples benchmarks setup.py
.venv/bin/ruff format --check py_logto test scripts examples benchmarks setup.py
echo "== mypy --strict"
.venv/bin/mypy --strict py_logto
.venv/bin/mypy --strict test/typing_usage.py examples/quickstart.py benchmarks

echo "== pytest ($(.venv/bin/python --version))"
.venv/bin/python -m pytest "$@"

if [ "${#runnable[@]}" -gt 0 ]; then
  echo "== sdist: build it, and run the suite from the extracted archive"
  .venv/bin/python -m build --sdist --outdir "$tmp/dist" . >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
  tar -xzf "$tmp"/dist/*.tar.gz -C "$tmp/dist"
  sdist_dir="$(echo "$tmp"/dist/*/)"
  echo "extracted $(basename "$tmp"/dist/*.tar.gz) into $sdist_dir ($(find "$sdist_dir" -type f | wc -l) files)"
  for env in "${runnable[@]}"; do
    echo "== tox -e $env (from the sdist)"
    # The packaging check ran above; the environments live in .tox/ so later runs reuse them.
    (cd "$sdist_dir" && "$root/.venv/bin/tox" --workdir "$root/.tox" -e "$env" -- \
      -q -p no:cacheprovider -m "not packaging" "$@")
  done
fi

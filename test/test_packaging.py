"""The distributions as users get them.

The wheel and the sdist build without a warning and pass ``twine check``; their metadata names the
package, its license and its dependencies; the long description's links all land somewhere on the
package index; the sdist holds the whole test suite; and each distribution, installed into a new
virtualenv outside the repository, runs the quickstart and passes ``mypy --strict`` on user code.
An editable install is visible to mypy too. The tests marked ``packaging`` take about a minute and
need the package index (or pip's cache) for the virtualenvs.

Under ``tox -e lowest`` (which sets PY_LOGTO_PINNED_VERSIONS), the installed dependencies must be
exactly the pins of constraints-lowest.txt.
"""

from __future__ import annotations

import email
import email.message
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set, Tuple

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

import py_logto

ROOT = Path(__file__).resolve().parent.parent
DISTRIBUTION = "logto-user-api"


def _declared_dependencies() -> List[str]:
    """The ``dependencies`` of pyproject.toml's ``[project]`` table."""
    found = re.search(r"^dependencies = \[(.*?)^\]", (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M | re.S)
    assert found is not None, "pyproject.toml lists no dependencies"
    return re.findall(r'"([^"]+)"', found.group(1))


#: Folders the test suite reads, and the files beside them it needs: all must be in the sdist.
SUITE_FOLDERS = ("test", "spec", "docs", "examples", "benchmarks", "scripts", ".ci")
SUITE_FILES = (
    "README.md",
    "CHANGELOG.md",
    "LICENSE",
    "MANIFEST.in",
    "pyproject.toml",
    "setup.py",
    "tox.ini",
    "requirements.txt",
    "test-requirements.txt",
    "constraints-lowest.txt",
)
_NOT_SOURCE = re.compile(r"(^|/)(__pycache__|\.prism|node_modules|\.hypothesis|\.mypy_cache)(/|$)|\.py[cod]$")

#: Code a user writes, type-checked against each installed distribution.
USER_CODE = """\
import py_logto
from py_logto.testing import LogtoSandbox


def password_record(api: py_logto.VerificationsApi, password: str) -> str:
    request = py_logto.CreateVerificationByPasswordRequest(password=password)
    record = api.create_verification_by_password(request, _request_timeout=5)
    return record.verification_record_id


with LogtoSandbox() as sandbox:
    user = sandbox.add_user(password="s3cret-pass")
    configuration = py_logto.Configuration(host=sandbox.url)
    configuration.access_token = sandbox.issue_token(user)
    with py_logto.ApiClient(configuration) as client:
        print("record", password_record(py_logto.VerificationsApi(client), "s3cret-pass"))
"""


def _run(args: List[str], cwd: Optional[Path] = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    # Without the variables that would let the code under test come from the checkout, or
    # stop the build from compiling (it then prints a warning that says nothing about us).
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH", "PYTHONDONTWRITEBYTECODE")}
    env = {k: v for k, v in env.items() if not k.startswith("LOGTO_")}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"{' '.join(result.args)}\n{result.stdout}\n{result.stderr}"
    return result.stdout


class Dists:
    def __init__(self, folder: Path, log: str) -> None:
        (self.wheel,) = folder.glob("*.whl")
        (self.sdist,) = folder.glob("*.tar.gz")
        self.log = log

    def wheel_metadata(self) -> email.message.Message:
        with zipfile.ZipFile(self.wheel) as wheel:
            (name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
            return email.message_from_bytes(wheel.read(name))

    def sdist_names(self) -> Set[str]:
        with tarfile.open(self.sdist) as sdist:
            return {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Dists:
    folder = tmp_path_factory.mktemp("dist")
    result = _run([sys.executable, "-m", "build", "--outdir", str(folder), str(ROOT)])
    return Dists(folder, _ok(result) + result.stderr)


def _new_venv(folder: Path) -> Path:
    """A new virtualenv (outside the repository) and its Python."""
    _ok(_run([sys.executable, "-m", "venv", str(folder)]))
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _pip_install(python: Path, *args: str) -> None:
    _ok(_run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args]))


def _mypy_strict(python: Path, workdir: Path, *files: str) -> None:
    """``mypy --strict`` on user files, finding py_logto only where ``python`` would import it."""
    result = _run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(workdir / ".mypy_cache"),
            "--python-executable",
            str(python),
            *files,
        ],
        cwd=workdir,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _user_project(tmp_path: Path) -> Path:
    workdir = tmp_path / "user-project"
    workdir.mkdir()
    (workdir / "app.py").write_text(USER_CODE, encoding="utf-8")
    shutil.copy(ROOT / "examples" / "quickstart.py", workdir / "quickstart.py")
    return workdir


# -- building -------------------------------------------------------------------------------------


@pytest.mark.packaging
def test_wheel_and_sdist_build_without_a_warning(dists: Dists) -> None:
    file_operation = re.compile(r"(copying|adding|creating|writing|removing|hard linking|reading) ")
    warnings = [
        line
        for line in dists.log.splitlines()
        if re.search(r"warn|deprecat", line, re.IGNORECASE) and not file_operation.match(line)
    ]
    assert warnings == []


@pytest.mark.packaging
def test_twine_check_passes(dists: Dists) -> None:
    _ok(_run([sys.executable, "-m", "twine", "check", "--strict", str(dists.wheel), str(dists.sdist)]))


@pytest.mark.packaging
def test_the_metadata_names_the_package_its_license_and_its_dependencies(dists: Dists) -> None:
    meta = dists.wheel_metadata()
    assert meta["Name"] == DISTRIBUTION
    assert meta["Version"] == py_logto.__version__
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    assert meta["License"] is None  # the deprecated field, replaced by License-Expression
    assert meta["Requires-Python"] == ">=3.9"
    assert meta["Author"]
    # No project URL is known; an invented one would be worse than none.
    assert meta.get_all("Project-URL") is None
    assert meta["Home-page"] is None
    classifiers = meta.get_all("Classifier") or []
    for minor in range(9, 14):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    assert "Typing :: Typed" in classifiers
    assert not [c for c in classifiers if c.startswith("License ::")]  # superseded by the expression
    requires = _requirements(meta.get_all("Requires-Dist") or [])
    assert requires == _requirements(_declared_dependencies())


@pytest.mark.packaging
def test_the_wheel_holds_the_package_and_nothing_else(dists: Dists) -> None:
    with zipfile.ZipFile(dists.wheel) as wheel:
        names = wheel.namelist()
    top = {name.split("/", 1)[0] for name in names}
    assert top == {"py_logto", f"logto_user_api-{py_logto.__version__}.dist-info"}
    assert "py_logto/py.typed" in names
    assert "py_logto/testing/__init__.py" in names  # the sandbox ships with the package
    assert f"logto_user_api-{py_logto.__version__}.dist-info/licenses/LICENSE" in names
    assert not [n for n in names if _NOT_SOURCE.search(n)]


@pytest.mark.packaging
def test_the_sdist_holds_the_whole_test_suite(dists: Dists) -> None:
    names = dists.sdist_names()
    needed = {name for name in SUITE_FILES if (ROOT / name).is_file()}
    for folder in SUITE_FOLDERS:
        for path in (ROOT / folder).rglob("*"):
            relative = path.relative_to(ROOT).as_posix()
            if path.is_file() and not _NOT_SOURCE.search(relative):
                needed.add(relative)
    for path in (ROOT / "py_logto").rglob("*.py"):
        needed.add(path.relative_to(ROOT).as_posix())
    assert sorted(needed - names) == []
    assert "test/fixtures/traffic.jsonl" in names
    assert not [n for n in names if _NOT_SOURCE.search(n)]


# -- the long description ---------------------------------------------------------------------------


class _Anchors(HTMLParser):
    """The link targets and element ids of an HTML page, and the text of each heading."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: List[str] = []
        self.ids: Set[str] = set()
        self.headings: Dict[str, str] = {}  # id -> text
        self._heading: Optional[Tuple[str, List[str]]] = None

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("href") is not None:
            self.hrefs.append(str(values["href"]))
        if re.fullmatch(r"h[1-6]", tag) and values.get("id"):
            self._heading = (str(values["id"]), [])

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings[self._heading[0]] = "".join(self._heading[1]).strip()
            self._heading = None


def _rendered_description(dists: Dists) -> _Anchors:
    from readme_renderer.markdown import render

    meta = dists.wheel_metadata()
    assert meta["Description-Content-Type"] == "text/markdown"
    html = render(str(meta.get_payload()), variant="GFM")
    assert html is not None, "the package index could not render the long description"
    anchors = _Anchors()
    anchors.feed(html)
    return anchors


def _page_title(page: Path) -> str:
    first = next(line for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    return first.lstrip("#").strip().replace("*", "").replace("`", "")


@pytest.mark.packaging
def test_every_link_of_the_long_description_lands_on_the_package_index(dists: Dists) -> None:
    anchors = _rendered_description(dists)
    broken = [
        href
        for href in anchors.hrefs
        if not re.match(r"(https?|mailto):", href) and not (href.startswith("#") and href[1:] in anchors.ids)
    ]
    assert broken == []
    # Renderers that give headings no id (older ones) rely on the explicit anchors alone.
    markdown = str(dists.wheel_metadata().get_payload())
    explicit = set(re.findall(r'<a id="([^"]+)"></a>', markdown))
    assert sorted(set(re.findall(r"\]\(#([^)]*)\)", markdown)) - explicit) == []


@pytest.mark.packaging
def test_every_docs_page_is_in_the_long_description_and_linked(dists: Dists) -> None:
    anchors = _rendered_description(dists)
    linked = {href[1:] for href in anchors.hrefs if href.startswith("#")}
    by_title: Dict[str, List[str]] = {}
    for anchor, text in anchors.headings.items():
        by_title.setdefault(text, []).append(anchor)
    pages = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "CHANGELOG.md"]
    assert ROOT / "docs" / "Sandbox.md" in pages
    unreachable = [p.name for p in pages if not set(by_title.get(_page_title(p), [])) & linked]
    assert unreachable == []


def _relative_links(page: Path) -> Iterator[str]:
    in_fence = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence:
            for target in re.findall(r"\]\(([^()\s]+)\)", re.sub(r"`[^`]*`", "", line)):
                if not re.match(r"[a-z][a-z0-9+.-]*:|#", target):
                    yield target


def test_every_relative_link_of_the_readme_and_docs_points_to_a_file() -> None:
    missing = []
    for page in [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in _relative_links(page):
            if not (page.parent / target.split("#")[0]).exists():
                missing.append(f"{page.relative_to(ROOT)}: {target}")
    assert missing == []


# -- installed, outside the repository ---------------------------------------------------------------


@pytest.mark.packaging
@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_the_installed_distribution_runs_the_quickstart_and_type_checks(
    kind: str, dists: Dists, tmp_path: Path
) -> None:
    python = _new_venv(tmp_path / "venv")
    _pip_install(python, str(dists.wheel if kind == "wheel" else dists.sdist))
    workdir = _user_project(tmp_path)

    where = _ok(_run([str(python), "-c", "import py_logto; print(py_logto.__file__, py_logto.__version__)"], workdir))
    location, version = where.split()
    assert Path(location).is_relative_to(tmp_path / "venv")
    assert not Path(location).is_relative_to(ROOT)
    assert version == py_logto.__version__

    quickstart = _ok(_run([str(python), "quickstart.py"], workdir, timeout=120))
    assert quickstart.startswith("Started the Logto sandbox at http://127.0.0.1:")
    assert quickstart.count("   verified: record ") == 5
    assert _ok(_run([str(python), "app.py"], workdir)).startswith("record ")

    _mypy_strict(python, workdir, "app.py", "quickstart.py")


@pytest.mark.packaging
def test_an_editable_install_is_visible_to_mypy_outside_the_repository(tmp_path: Path) -> None:
    python = _new_venv(tmp_path / "venv")
    _pip_install(python, "--editable", str(ROOT))
    workdir = _user_project(tmp_path)
    where = _ok(_run([str(python), "-c", "import py_logto; print(py_logto.__file__)"], workdir))
    assert Path(where.strip()) == ROOT / "py_logto" / "__init__.py"
    _mypy_strict(python, workdir, "app.py")


# -- dependency versions -----------------------------------------------------------------------------


def _requirements(lines: List[str]) -> Dict[str, SpecifierSet]:
    parsed = [Requirement(line) for line in lines]
    return {canonicalize_name(r.name): r.specifier for r in parsed}


def _pins() -> Dict[str, str]:
    text = (ROOT / "constraints-lowest.txt").read_text(encoding="utf-8")
    return {canonicalize_name(name): version for name, version in re.findall(r"^([\w.-]+)==(\S+)", text, re.M)}


def test_the_lowest_pins_are_the_declared_lower_bounds() -> None:
    declared = _requirements(_declared_dependencies())
    lower_bounds = {
        name: Version(s.version) for name, specifiers in declared.items() for s in specifiers if s.operator == ">="
    }
    assert {name: Version(version) for name, version in _pins().items()} == lower_bounds
    listed = (ROOT / "requirements.txt").read_text(encoding="utf-8").split()
    assert _requirements(listed) == declared


@pytest.mark.skipif(
    not os.environ.get("PY_LOGTO_PINNED_VERSIONS"), reason="only under tox -e lowest (PY_LOGTO_PINNED_VERSIONS)"
)
def test_the_lowest_environment_runs_exactly_the_pins() -> None:
    assert Path(os.environ["PY_LOGTO_PINNED_VERSIONS"]).resolve() == (ROOT / "constraints-lowest.txt").resolve()
    installed = {name: metadata.version(name) for name in _pins()}
    assert installed == _pins()

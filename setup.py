"""The one piece of metadata pyproject.toml cannot state: the package index's long description.

The package index shows the long description and serves no other file of the project, so a
relative link in README.md (``docs/Sandbox.md``) would lead nowhere there. The long description
is therefore README.md followed by a Documentation section holding every page it links to, every
page under docs/ and the changelog, with each relative link turned into a link to the heading it
means inside the description. A link to a file that is not a page (``examples/quickstart.py``)
keeps its text and loses the link. Heading anchors are named as GitHub and the package index's
renderer name them (lower case, punctuation dropped, spaces to hyphens, ``-1``, ``-2``... for
repeats), and each heading also carries its anchor explicitly, for renderers that name none.
test/test_packaging.py renders the result as the index does and follows every link.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Dict, List, Optional, Tuple

from setuptools import setup

ROOT = Path(__file__).resolve().parent
README = PurePosixPath("README.md")
EXTRA_PAGES = ("CHANGELOG.md",)

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
# [text](target): the text may hold one level of brackets ("[[Back to top]](#)").
_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(([^()\s]*)\)")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
_EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _outside_fences(lines: List[str]) -> List[bool]:
    """For each line, whether it is Markdown text rather than the inside of a fenced block."""
    flags = []
    fence: Optional[str] = None
    for line in lines:
        opened = _FENCE.match(line)
        if fence is None:
            flags.append(opened is None)
            if opened:
                fence = opened.group(1)
        else:
            flags.append(False)
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
    return flags


def _heading_text(markdown: str) -> str:
    """The text a heading shows: links by their text, no HTML tags, emphasis or code marks."""
    text = _LINK.sub(lambda link: link.group(1), markdown)
    text = re.sub(r"<[^>]*>", "", text)
    return text.replace("`", "").replace("*", "")


def _slug(text: str) -> str:
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def _anchored(heading: str, anchor: str) -> str:
    """The heading line with an explicit anchor, for renderers that give headings no id. (Those
    that do derive the same name from the heading's text, and the empty anchor adds none.)"""
    hashes, _, text = heading.lstrip(" ").partition(" ")
    return f'{hashes} <a id="{anchor}"></a>{text}'


class _Slugs:
    """Anchors of one rendered document: a repeated heading gets ``-1``, ``-2``..."""

    def __init__(self) -> None:
        self.taken: Dict[str, None] = {}

    def add(self, text: str) -> str:
        base = _slug(text)
        anchor, repeat = base, 0
        while anchor in self.taken:
            repeat += 1
            anchor = f"{base}-{repeat}"
        self.taken[anchor] = None
        return anchor


class _Page:
    def __init__(self, path: PurePosixPath) -> None:
        self.path = path
        self.lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
        self.text_lines = _outside_fences(self.lines)
        self.headings: List[Tuple[int, str]] = []  # (line index, shown text)
        for index, line in enumerate(self.lines):
            found = _HEADING.match(line) if self.text_lines[index] else None
            if found:
                self.headings.append((index, _heading_text(found.group(2) or "")))
        # As GitHub anchors them when the page is shown alone; links inside the project use these.
        local = _Slugs()
        self.local_anchors = [local.add(text) for _, text in self.headings]
        self.anchors: List[str] = []  # in the long description, filled in by _Description

    @property
    def title(self) -> str:
        return self.headings[0][1] if self.headings else self.path.stem

    def links(self) -> List[str]:
        found: List[str] = []
        for index, line in enumerate(self.lines):
            if self.text_lines[index]:
                found.extend(link.group(2) for link in _LINK.finditer(_CODE_SPAN.sub("", line)))
        return found


class _Description:
    def __init__(self) -> None:
        self.pages: Dict[PurePosixPath, _Page] = {}
        docs = sorted(PurePosixPath(p.relative_to(ROOT).as_posix()) for p in (ROOT / "docs").glob("*.md"))
        # README first, then the pages in the order links reach them, then any page nothing links to.
        for start in [README, *(PurePosixPath(p) for p in EXTRA_PAGES), *docs]:
            pending = [start]
            while pending:
                page = self._add(pending.pop(0))
                if page is not None:
                    pending.extend(path for path, _ in (self._target(page, link) for link in page.links()) if path)
        # The docs pages first, then other pages (benchmarks/README.md), the changelog last.
        readme = self.pages.pop(README)
        others = sorted(self.pages.values(), key=lambda p: (str(p.path) in EXTRA_PAGES, p.path.parts[0] != "docs"))
        self.pages = {README: readme, **{page.path: page for page in others}}
        self.toc_heading = "Documentation"
        anchors = _Slugs()
        readme.anchors = [anchors.add(text) for _, text in readme.headings]
        self.toc_anchor = anchors.add(self.toc_heading)
        for page in others:
            page.anchors = [anchors.add(text) for _, text in page.headings]

    def _add(self, path: PurePosixPath) -> Optional[_Page]:
        if path in self.pages or path.suffix != ".md" or not (ROOT / path).is_file():
            return None
        page = self.pages[path] = _Page(path)
        return page

    @staticmethod
    def _target(page: _Page, link: str) -> Tuple[Optional[PurePosixPath], str]:
        """The project file a relative link points to (None for external and in-page links)."""
        if _EXTERNAL.match(link) or link.startswith("#"):
            return None, link.partition("#")[2]
        path, _, fragment = link.partition("#")
        parts: List[str] = []
        for part in (page.path.parent / path).parts:
            if part == "..":
                if parts:
                    parts.pop()
            elif part != ".":
                parts.append(part)
        return PurePosixPath(*parts), fragment

    @staticmethod
    def _anchor(page: _Page, fragment: str) -> Optional[str]:
        """Where a link to ``page#fragment`` lands: that heading, or the top of the page."""
        if not page.anchors:
            return None
        if fragment.lower() in page.local_anchors:
            return page.anchors[page.local_anchors.index(fragment.lower())]
        return page.anchors[0]

    def _rewrite(self, page: _Page, link: re.Match[str]) -> str:
        text, target = link.group(1), link.group(2)
        if _EXTERNAL.match(target):
            return link.group(0)
        path, fragment = self._target(page, target)
        linked = page if path is None else self.pages.get(path)
        anchor = None if linked is None else self._anchor(linked, fragment)
        return text if anchor is None else f"[{text}](#{anchor})"

    def _render(self, page: _Page) -> str:
        anchors = {line: anchor for (line, _), anchor in zip(page.headings, page.anchors)}
        out = []
        for index, line in enumerate(page.lines):
            if page.text_lines[index]:
                pieces, last = [], 0
                for span in _CODE_SPAN.finditer(line):  # links in code spans are code, not links
                    pieces += [_LINK.sub(lambda m: self._rewrite(page, m), line[last : span.start()]), span.group(0)]
                    last = span.end()
                line = "".join([*pieces, _LINK.sub(lambda m: self._rewrite(page, m), line[last:])])
            if index in anchors:
                line = _anchored(line, anchors[index])
            out.append(line)
        return "\n".join(out).strip("\n")

    def render(self) -> str:
        readme, *others = self.pages.values()
        parts = [self._render(readme), _anchored(f"## {self.toc_heading}", self.toc_anchor)]
        parts.append(
            "The rest of this page holds the project's other documents, as in the source distribution: "
            "the API reference, a page per model and the guides (`docs/`), and the changelog."
        )
        parts.append("\n".join(f"- [{page.title}](#{page.anchors[0]})" for page in others if page.anchors))
        for page in others:
            parts.extend(["---", self._render(page)])
        return "\n\n".join(parts) + "\n"


setup(long_description=_Description().render(), long_description_content_type="text/markdown")

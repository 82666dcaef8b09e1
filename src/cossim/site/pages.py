"""What a reader must never meet on a page, found in its HTML (the tests run these on every page
of the site and every executed notebook).

Each detector takes a parsed page (BeautifulSoup) and returns the offending texts or links; an
empty list is a clean page.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

TABLE_RULE = re.compile(r"\|\s*:?-{3,}:?\s*\|")
TABLE_LINE = re.compile(r"^\s*\|.*\|\s*$")
NAN = re.compile(r"(?<![.\w])nan\b")
PLACEHOLDER = re.compile(r"<[^<>/]+>")
BRACES = re.compile(r"\{([^{}]*)\}")
INVISIBLE = ("script", "style", "template", "noscript")
CODE = ("code", "pre")
LIST_GLUE = re.compile(r"[\s,;/]*(?:or|and)?[\s,;/]*")


def parse(html: str) -> BeautifulSoup:
    """A page parsed with the standard library's parser."""
    return BeautifulSoup(html, "html.parser")


def visible_text(soup: BeautifulSoup) -> list[str]:
    """The text nodes a reader sees (not scripts, styles or templates)."""
    return [text for text in soup.find_all(string=True)
            if not any(parent.name in INVISIBLE for parent in text.parents) and text.strip()]


def tables_as_text(soup: BeautifulSoup) -> list[str]:
    """Markdown tables rendered as text: a paragraph or text holding ``| --- |``, or two lines of
    ``| a | b |``."""
    found = []
    for element in soup.find_all(["p", "div", "span", "li", "td"]):
        if element.find(["p", "div", "table", "pre"]):
            continue
        text = element.get_text()
        if element.find_parent(["pre", "code"]):
            continue
        lines = [line for line in text.splitlines() if TABLE_LINE.match(line)]
        if TABLE_RULE.search(text) or len(lines) >= 2:
            found.append(text.strip()[:120])
    return found


def nan_shown(soup: BeautifulSoup) -> list[str]:
    """Visible texts that show ``nan`` (as Python prints an undefined number) to the reader; code
    (``np.nan``, a literal ``nan`` in a sentence about input files) is not a shown value."""
    return [text.strip()[:120] for text in visible_text(soup)
            if NAN.search(text) and not any(parent.name in CODE for parent in text.parents)]


def is_internal(url: str) -> bool:
    """Whether a link stays inside the site (no scheme, no host, not a bare anchor)."""
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and bool(parts.path)


def broken_links(soup: BeautifulSoup, page: Path, root: Path, ids=None) -> list[str]:
    """Internal links, images, stylesheets and scripts of ``page`` whose target is not a file
    under ``root``, or whose ``#anchor`` is no element of the target page (as written or decoded,
    as a browser looks it up).

    Parameters
    ----------
    soup : BeautifulSoup
        The page parsed.
    page : Path
        Its file.
    root : Path
        The folder no link may leave (the site, or the results).
    ids : callable, optional
        ``ids(path) -> set of str``: the element ids of an HTML file (cached by the caller).
    """
    ids = ids or page_ids
    broken = []
    own = {element["id"] for element in soup.find_all(id=True)}
    for element, attribute in itertools.chain(
        ((e, "href") for e in soup.find_all(["a", "link"], href=True)),
        ((e, "src") for e in soup.find_all(["img", "script"], src=True)),
    ):
        url = element[attribute]
        parts = urlsplit(url)
        if not parts.scheme and not parts.netloc and not parts.path and parts.fragment:
            if not {parts.fragment, unquote(parts.fragment)} & own:
                broken.append(url)
            continue
        if not is_internal(url):
            continue
        target = (page.parent / unquote(parts.path)).resolve()
        if not target.is_relative_to(root.resolve()) or not target.is_file() or parts.fragment and target.suffix == ".html" and not {parts.fragment, unquote(parts.fragment)} & ids(target):
            broken.append(url)
    return broken


def page_ids(path: Path) -> set[str]:
    """The element ids of an HTML file."""
    return {element["id"] for element in parse(path.read_text(encoding="utf-8")).find_all(id=True)}


def network_assets(soup: BeautifulSoup) -> list[str]:
    """Scripts, stylesheets and images the page would load from the network."""
    urls = [e.get("src") for e in soup.find_all(["script", "img"], src=True)]
    urls += [e.get("href") for e in soup.find_all("link", href=True) if "stylesheet" in (e.get("rel") or [])
             or e.get("as") in ("script", "style", "font")]
    return [url for url in urls if urlsplit(url).scheme in ("http", "https") or url.startswith("//")]


def concrete_paths(text: str) -> list[str]:
    """A path as written in prose made concrete: ``<name>`` placeholders filled, ``{a,b}`` and
    ``{1..50}`` expanded (to their first and last member)."""
    text = PLACEHOLDER.sub("x", text)
    match = BRACES.search(text)
    if not match:
        return [text]
    inner = match[1]
    members = inner.split("..") if ".." in inner else inner.split(",")
    if "," not in inner and ".." not in inner:  # a Snakemake wildcard
        members = ["x"]
    return [path for member in (members[0], members[-1])
            for path in concrete_paths(text[: match.start()] + member + text[match.end():])]


def registered_path(path: str) -> bool:
    """Whether ``path`` is a file or folder of the registry (a folder: one that holds some
    registered path), or ``results/README.md``."""
    from ..paths import RESULTS_README, is_registered, pattern_regex, studies

    path = path.rstrip("/")
    if path == RESULTS_README or is_registered(path):
        return True
    prefixes = {"/".join(pattern.split("/")[:depth]) for s in studies() for pattern in s.files.values()
                for depth in range(1, pattern.count("/") + 1)}
    return any(pattern_regex(prefix).fullmatch(path) for prefix in prefixes)


def unknown_names(soup: BeautifulSoup, rules: set[str], is_registered=registered_path) -> list[str]:
    """Code texts naming a rule the workflow does not have (after the word "rule", or in a
    column headed "rule"), or a file under ``results/`` that the registry does not know."""
    unknown = []
    for code in soup.find_all("code"):
        text = code.get_text().strip()
        for word in re.findall(r"(?:^|\s)(results/\S+)", text):
            word = word.rstrip(".,;:)`'\"")
            if not all(is_registered(path) for path in concrete_paths(word)):
                unknown.append(word)
        if re.fullmatch(r"[a-z][a-z0-9_]*", text) and (rule_context(code) and text not in rules):
            unknown.append(f"rule {text}")
    return unknown


def rule_context(code) -> bool:
    """Whether a code element stands where a rule's name does: after the word "rule(s)" (or in a
    list of names that follows it), or in a table column headed "rule"."""
    before = code.previous_sibling
    while before is not None and (getattr(before, "name", None) == "code"
                                  or isinstance(before, str) and LIST_GLUE.fullmatch(before)):
        before = before.previous_sibling  # a list of names: `a`, `b` or `c`
    if isinstance(before, str) and re.search(r"\brules?\W{0,3}$", before, re.I):
        return True
    cell = code.find_parent(["td", "th"])
    if cell is None or cell.find_parent("table") is None:
        return False
    table = cell.find_parent("table")
    header = [th.get_text().strip().lower() for th in table.find_all("th")]
    row = cell.find_parent("tr")
    index = row.find_all(["td", "th"]).index(cell) if row else -1
    return 0 <= index < len(header) and header[index] == "rule"


def workflow_rules(source_tree: Path) -> set[str]:
    """The names of the workflow's rules (``rule <name>:`` in its Snakefile and rule files)."""
    workflow = Path(source_tree) / "workflow"
    texts = [path.read_text(encoding="utf-8") for path in [workflow / "Snakefile", *sorted(workflow.glob("rules/*.smk"))]]
    return {name for text in texts for name in re.findall(r"^(?:rule|checkpoint) (\w+)", text, re.M)}


def page_problems(path: Path, root: Path, rules: set[str], ids=None) -> list[str]:
    """Every problem of one HTML page, one line each, naming the page."""
    soup = parse(path.read_text(encoding="utf-8"))
    name = path.relative_to(root).as_posix()
    found = [f"{name}: markdown table as text: {t!r}" for t in tables_as_text(soup)]
    found += [f"{name}: nan shown: {t!r}" for t in nan_shown(soup)]
    found += [f"{name}: broken link {u}" for u in broken_links(soup, path, root, ids)]
    found += [f"{name}: loads {u} from the network" for u in network_assets(soup)]
    found += [f"{name}: unknown {n}" for n in unknown_names(soup, rules)]
    return found

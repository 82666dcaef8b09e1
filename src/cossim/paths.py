"""The one registry of artifact paths: every file the workflow writes is named here, once.

Each study declares its artifacts in ``cossim/<study>/artifacts.py`` as a :class:`Study`; this
module finds them all (:func:`studies`). The rules read their inputs and outputs from it, and
so do ``make clean`` (``python -m cossim.paths clean``), the tests and the generated
``results/README.md`` (``python -m cossim.paths readme``). It imports only the standard library,
so that parsing the workflow needs nothing but Snakemake.

Paths are relative to the working directory, which is the clone (or the directory of a workflow
that uses this one as a Snakemake module). Patterns hold Snakemake wildcards such as
``{dataset}``; :meth:`Study.at` fills them in, and :meth:`Study.bind` fills some of them for a
whole study.

Every result of a data set lives under that data set's name, ``results/<dataset>/``, so that the
simulation, MovieLens and your own data coexist; the matrices every data set is made of (also the
seeds of the recovery study) lie in ``results/data/<dataset>/`` and ``results/fits/<dataset>/``.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

RESULTS = "results"
LOGS = f"{RESULTS}/logs"
RESULTS_README = f"{RESULTS}/README.md"


@dataclass(frozen=True)
class Study:
    """The artifacts of one study.

    Attributes
    ----------
    name : str
        The study's name: its rule file ``workflow/rules/<name>.smk``, its scripts folder, its
        report captions folder, its notebook and its library sub-package all carry it, and so
        does its target rule (``snakemake <name>``).
    order : int
        Position in the workflow (rule files are included in this order).
    summary : str
        One line: what the study makes.
    files : dict
        ``{key: path pattern}`` of every file the study writes.
    final : tuple of str
        Keys of the files that are the study's results (its target, and part of the default
        target); the others are intermediate.
    simulated_only : bool
        The study re-simulates Section 4's data, so it is left out on your own data.
    per_dataset : bool
        The study's files and logs are per data set (``{dataset}`` in its patterns and logs).
    directories : tuple of str
        Keys of the artifacts that are directories (a rule's ``directory()`` output): every file
        under one belongs to it.
    """

    name: str
    order: int
    summary: str
    files: dict = field(default_factory=dict)
    final: tuple = ()
    simulated_only: bool = False
    per_dataset: bool = True
    directories: tuple = ()

    def __post_init__(self):
        reserved = {name for name in dir(type(self)) if not name.startswith("_")} | set(self.__dataclass_fields__)
        clashes = sorted(set(self.files) & reserved)
        if clashes:
            raise ValueError(f"study {self.name!r}: artifact keys {clashes} clash with Study's own attributes")
        unknown = sorted((set(self.final) | set(self.directories)) - set(self.files))
        if unknown:
            raise ValueError(f"study {self.name!r}: final keys {unknown} are not artifacts")

    def __getattr__(self, key: str) -> str:
        files = object.__getattribute__(self, "files")
        if key in files:
            return files[key]
        raise AttributeError(f"study {object.__getattribute__(self, 'name')!r} has no artifact {key!r}")

    def at(self, key: str, **wildcards) -> str:
        """The path of artifact ``key`` with its wildcards filled in."""
        return self.files[key].format(**wildcards)

    def bind(self, **values) -> Study:
        """This study with the wildcards named in ``values`` filled in every pattern and log.

        E.g. ``study("recovery").bind(dataset="paper")``: a study that only ever runs on one data
        set reads its paths from the bound copy; the other wildcards stay patterns.
        """
        bound = {key: _fill(pattern, values) for key, pattern in self.files.items()}
        return _BoundStudy(self.name, self.order, self.summary, bound, self.final, self.simulated_only,
                           self.per_dataset, self.directories, values)

    def final_paths(self) -> list[str]:
        """The study's results, in declaration order."""
        return [self.files[key] for key in self.final]

    def log(self, name: str) -> str:
        """A log path of this study's rules: ``results/logs/{dataset}/<study>/<name>.log``
        (``results/logs/<study>/<name>.log`` for a study that is not per data set)."""
        return f"{LOGS}/{{dataset}}/{self.name}/{name}.log" if self.per_dataset else f"{LOGS}/{self.name}/{name}.log"


@dataclass(frozen=True)
class _BoundStudy(Study):
    """A :class:`Study` with some wildcards filled in (:meth:`Study.bind`)."""

    values: dict = field(default_factory=dict)

    def log(self, name: str) -> str:
        return _fill(super().log(name), self.values)


def _fill(pattern: str, values: dict) -> str:
    """``pattern`` with the wildcards ``{name}`` named in ``values`` replaced, the others kept."""
    for name, value in values.items():
        pattern = pattern.replace(f"{{{name}}}", str(value))
    return pattern


def pattern_regex(pattern: str) -> re.Pattern:
    """A path pattern as a regular expression: each wildcard ``{name}`` matches one path part or less."""
    parts = re.split(r"(\{[A-Za-z_][A-Za-z0-9_]*\})", pattern)
    return re.compile("".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts))


def is_registered(path: str) -> bool:
    """Whether ``path`` (relative to the working directory) is a file some study declares, a file
    under a directory some study declares, or a log."""
    if path == LOGS or path.startswith(LOGS + "/"):
        return True
    for s in studies():
        for key, pattern in s.files.items():
            if key in s.directories:
                pattern += "/"
                if pattern_regex(pattern).match(path) or pattern_regex(pattern[:-1]).fullmatch(path):
                    return True
            elif pattern_regex(pattern).fullmatch(path):
                return True
    return False


def studies() -> list[Study]:
    """Every study of the library, in workflow order (found from ``cossim/<study>/artifacts.py``)."""
    package = Path(__file__).resolve().parent
    found = []
    for module in pkgutil.iter_modules([str(package)]):
        if module.ispkg and (package / module.name / "artifacts.py").exists():
            found.append(importlib.import_module(f"{__package__}.{module.name}.artifacts").STUDY)
    return sorted(found, key=lambda study: study.order)


def study(name: str) -> Study:
    """The study called ``name``."""
    for candidate in studies():
        if candidate.name == name:
            return candidate
    raise KeyError(f"no study {name!r}; studies: {', '.join(s.name for s in studies())}")


def final_outputs(dataset: str, own_data: bool = False) -> list[str]:
    """Every study's results on data set ``dataset`` (on own data, without the simulated-only ones)."""
    return [
        _fill(path, {"dataset": dataset})
        for s in studies()
        if not (own_data and s.simulated_only)
        for path in s.final_paths()
    ]


def clean(root: Path = Path(".")) -> list[str]:
    """Delete every output of the workflow under ``root`` (and Snakemake's ``.snakemake``); keep the rest.

    Returns
    -------
    list of str
        The paths removed, relative to ``root``: each file a study declares (any data set) and
        the logs, then the folders left empty under ``results/``.
    """
    results = root / RESULTS
    removed = []
    files = sorted(path for path in results.rglob("*") if path.is_file()) if results.is_dir() else []
    for path in files:
        relative = path.relative_to(root).as_posix()
        if relative != RESULTS_README and is_registered(relative):
            path.unlink()
            removed.append(relative)
    for folder in sorted((p for p in results.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()
    if (root / ".snakemake").is_dir():
        shutil.rmtree(root / ".snakemake")
        removed.append(".snakemake")
    return removed


def results_readme() -> str:
    """``results/README.md``: the layout of ``results/``, study by study, from the registry."""
    lines = [
        "# results/",
        "",
        "Everything here is written by the workflow (`snakemake`), never by hand, and nothing but this",
        "file is committed. Generated from the artifact registry by `python -m cossim.paths readme`;",
        "`make clean` removes every path listed. Each data set's results lie under its name,",
        "`results/<dataset>/`: the simulation (config key `dataset`), `movielens`, or your own data.",
        "Wildcards: `{dataset}` is the data set (`<dataset>-seed<N>` in the recovery study's seeds),",
        "`{objective}` is `eq1` or `eq2`, `{reading}` and `{seed}` name a cell of the fidelity grid.",
        "",
    ]
    for s in studies():
        lines += [f"## {s.name}", "", s.summary + ("  (simulated data only)" if s.simulated_only else ""), ""]
        lines += ["| artifact | path | kind |", "| --- | --- | --- |"]
        for key, pattern in s.files.items():
            kind = ("result" if key in s.final else "intermediate") + (" (a directory)" if key in s.directories else "")
            lines.append(f"| `{key}` | `{pattern}{'/' if key in s.directories else ''}` | {kind} |")
        lines.append("")
    lines += [f"Logs of every rule: `{LOGS}/<dataset>/<study>/...` (`{LOGS}/provenance/...` for the manifest).", ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """``python -m cossim.paths readme [--check]`` or ``python -m cossim.paths clean``."""
    if argv[:1] == ["clean"]:
        for removed in clean():
            print(f"removed {removed}")
        return 0
    if argv[:1] == ["readme"]:
        text, target = results_readme(), Path(RESULTS_README)
        if "--check" in argv:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                print(f"{target} is stale: run python -m cossim.paths readme", file=sys.stderr)
                return 1
            return 0
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return 0
    print("usage: python -m cossim.paths {readme [--check] | clean}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

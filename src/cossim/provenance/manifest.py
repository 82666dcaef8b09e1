"""The manifest of a run: every artifact with its sha256, provenance and the software used.

``results/MANIFEST.json`` is written by rule ``manifest`` after every final artifact exists;
``snakemake verify`` recomputes the hashes with :func:`verify_manifest` and fails, naming the
file, when an artifact was changed or is missing. The manifest holds no time stamps and no
absolute paths, so the same configuration gives the same manifest in any directory.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import platform
from pathlib import Path

from ..checking import CheckFailed

MANIFEST_FORMAT = 1


class ManifestMismatch(CheckFailed):
    """Artifacts on disk differ from ``results/MANIFEST.json``; the message names each file."""


def sha256_of(path, chunk_bytes: int = 1 << 20) -> str:
    """Hex sha256 of a file's bytes; of a directory (a ``directory()`` output), of its sorted
    ``<relative path> <sha256>`` lines."""
    path = Path(path)
    if path.is_dir():
        lines = [f"{file.relative_to(path).as_posix()} {sha256_of(file)}\n"
                 for file in sorted(path.rglob("*")) if file.is_file()]
        return hashlib.sha256("".join(lines).encode()).hexdigest()
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_bytes):
            digest.update(chunk)
    return digest.hexdigest()


def package_versions() -> dict[str, str]:
    """Python's version and every installed distribution's version, by lower-case name."""
    packages = {
        dist.metadata["Name"].lower(): dist.version
        for dist in importlib.metadata.distributions()
        if dist.metadata["Name"]
    }
    return {"python": platform.python_version(), "packages": dict(sorted(packages.items()))}


def json_safe(value):
    """``value`` with tuples, Snakemake's named lists and other objects made JSON-serialisable."""
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def build_manifest(provenance: dict, config: dict, root=".") -> dict:
    """The manifest of the artifacts listed in ``provenance``.

    Parameters
    ----------
    provenance : dict
        ``{path: {"rule": ..., "notebook": ... or None, "wildcards": {...}, "params": {...},
        "final": bool}}``, paths relative to ``root``.
    config : dict
        The validated workflow configuration the artifacts were made with.
    root : path-like
        The working directory the paths are relative to.
    """
    artifacts = []
    for path in sorted(provenance):
        entry = dict(json_safe(provenance[path]))
        file = Path(root, path)
        size = sum(f.stat().st_size for f in file.rglob("*") if f.is_file()) if file.is_dir() else file.stat().st_size
        entry.update(path=path, sha256=sha256_of(file), bytes=size)
        artifacts.append(dict(sorted(entry.items())))
    return {
        "format": MANIFEST_FORMAT,
        "config": json_safe(config),
        "software": package_versions(),
        "artifacts": artifacts,
    }


def load_manifest(path) -> dict:
    """Read a manifest written by :func:`build_manifest`.

    Raises
    ------
    ManifestMismatch
        Naming the manifest, when it is not valid JSON (e.g. truncated) or not a manifest.
    """
    rerun = "rerun the workflow (snakemake --cores all) to rewrite it"
    try:
        manifest = json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ManifestMismatch(f"{path}: not valid JSON ({error}), e.g. truncated; {rerun}") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("artifacts"), list) or not all(
        isinstance(entry, dict) and {"path", "sha256", "rule"} <= set(entry) for entry in manifest["artifacts"]
    ) or not isinstance(manifest.get("config"), dict):
        raise ManifestMismatch(f"{path}: valid JSON but not a manifest of this workflow (no list of artifacts); {rerun}")
    return manifest


def changed_config_keys(recorded: dict, current: dict, prefix: str = "") -> list[str]:
    """Dotted names of the configuration keys whose values differ between two configs."""
    keys = []
    for key in sorted(set(recorded) | set(current)):
        name = f"{prefix}{key}"
        old, new = recorded.get(key), current.get(key)
        if isinstance(old, dict) and isinstance(new, dict):
            keys += changed_config_keys(old, new, f"{name}.")
        elif old != new:
            keys.append(name)
    return keys


def manifest_problems(manifest: dict, root=".", config: dict | None = None) -> list[str]:
    """Every way the files under ``root`` disagree with ``manifest``, one line each.

    A file is reported when it is missing or its sha256 differs from the recorded one. When
    ``config`` is given, a manifest made with another configuration is reported too (the
    artifacts are then out of date, even if intact).
    """
    problems = []
    for artifact in manifest["artifacts"]:
        file = Path(root, artifact["path"])
        if not file.exists():
            problems.append(f"{artifact['path']}: missing (made by rule {artifact['rule']})")
            continue
        found = sha256_of(file)
        if found != artifact["sha256"]:
            problems.append(
                f"{artifact['path']}: changed (sha256 {found}, manifest records {artifact['sha256']}; "
                f"made by rule {artifact['rule']})"
            )
    if config is not None:
        changed = changed_config_keys(manifest["config"], json_safe(config))
        if changed:
            problems.append(
                "the manifest was made with another configuration (differs in "
                f"{', '.join(changed)}): run snakemake to bring the results up to date"
            )
    return problems


def verify_manifest(manifest_path, root=".", config: dict | None = None) -> int:
    """Check every artifact of a manifest; return how many were checked.

    Raises
    ------
    ManifestMismatch
        Naming every missing or changed file (and a configuration change, see
        :func:`manifest_problems`).
    """
    manifest_path = Path(manifest_path)
    if not manifest_path.is_file():
        raise ManifestMismatch(f"{manifest_path}: missing; run snakemake to produce the results first")
    manifest = load_manifest(manifest_path)
    problems = manifest_problems(manifest, root, config)
    if problems:
        raise ManifestMismatch(
            f"{len(problems)} problem(s) against {manifest_path}:\n  - " + "\n  - ".join(problems)
        )
    return len(manifest["artifacts"])

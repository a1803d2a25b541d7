"""Is a build's output already up to date? Answered before any library is imported.

A build records a *stamp* in its manifest: one digest of everything its output depends on (the
caller's fingerprint of the inputs' content, the config, the source of the Python packages that
compute and write it, and the installed distributions). A later build with the same stamp whose
listed files all still have their recorded size and sha256 has nothing to do, like cargo's
"Fresh": ``codeintel build`` then answers in about a tenth of a second instead of loading
Hamilton, polars and pyarrow (~0.5 s) and asking Hamilton's cache about every node.

This does not replace Hamilton's cache, it stands in front of it: anything that changed (one
file, one config value, an edited node, an upgraded package) changes the stamp, and the build
runs through the Hamilton cache, which recomputes only what the change reaches.

Stdlib only, on purpose: importing this module must cost nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import sys
import sysconfig
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from orchestration.cachedir import holds_only

STAMP_KEY = "stamp"
STAMP_PARTS_KEY = "stamp_parts"
MANIFEST_FILE = "manifest.json"
_DISTRIBUTION_SUFFIXES = (".dist-info", ".egg-info")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _package_sources(package: str) -> list[tuple[str, bytes]]:
    """Every ``.py`` file of an importable package, by path relative to it (not imported)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"{package!r} is not an importable package")
    sources: list[tuple[str, bytes]] = []
    for location in spec.submodule_search_locations:
        base = Path(location)
        sources += [
            (f"{package}/{path.relative_to(base).as_posix()}", path.read_bytes())
            for path in base.rglob("*.py")
        ]
    return sorted(sources)


def _installed_distributions(*, extra_paths: Sequence[str] = ()) -> list[str]:
    """Names of the interpreter's installed distributions' metadata folders (name and version).

    One directory listing of site-packages instead of ``importlib.metadata`` (~50 ms), and
    enough: installing, upgrading or removing a package renames or removes its folder. Only the
    interpreter's own folders (plus ``extra_paths``): ``sys.path`` also holds the current
    directory, which must not change a stamp.
    """
    paths = sysconfig.get_paths()
    names: set[str] = set()
    for folder in sorted({paths["purelib"], paths["platlib"], *extra_paths}):
        with contextlib.suppress(OSError):
            names.update(
                name for name in os.listdir(folder) if name.endswith(_DISTRIBUTION_SUFFIXES)
            )
    return sorted(names)


def code_parts(*, packages: Sequence[str], site_paths: Sequence[str] = ()) -> dict[str, Any]:
    """What a build's code is, part by part (``code_digest`` makes the stamp's one digest of
    it): the Python version, the sha256 of each source file of these packages (by its path in
    the package) and the installed distributions. A manifest records them, so that two builds
    that disagree name what moved.

    ``site_paths``: more folders whose installed distributions count (the interpreter's
    site-packages always do).
    """
    return {
        "python": sys.version,
        "sources": {
            relative: hashlib.sha256(content).hexdigest()
            for package in sorted(packages)
            for relative, content in _package_sources(package)
        },
        "distributions": _installed_distributions(extra_paths=site_paths),
    }


def code_digest(parts: Mapping[str, Any]) -> str:
    """One digest of ``code_parts``: the stamp's ``code``."""
    digest = hashlib.sha256()
    digest.update(str(parts["python"]).encode())
    for relative, source_digest in parts["sources"].items():
        digest.update(relative.encode() + b"\0" + bytes.fromhex(source_digest))
    for name in parts["distributions"]:
        digest.update(name.encode() + b"\0")
    return digest.hexdigest()


def stamp_parts(
    *,
    inputs_fingerprint: str,
    config: Mapping[str, Any],
    inputs: Mapping[str, Any],
    code: Mapping[str, Any],
) -> dict[str, Any]:
    """Everything a build's output depends on, by name (``code``: ``code_parts``): what
    ``build_stamp`` digests, recorded in the manifest beside the stamp."""
    return {
        "code": dict(code),
        "config": dict(config),
        "inputs": dict(inputs),
        "inputs_fingerprint": inputs_fingerprint,
    }


def build_stamp(parts: Mapping[str, Any]) -> str:
    """The digest a build's manifest records, of its ``stamp_parts``: equal stamps mean equal
    outputs."""
    document = {**parts, "code": code_digest(parts["code"])}
    encoded = json.dumps(document, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def fresh_manifest(*, out_dir: Path, stamp: str) -> dict[str, Any] | None:
    """The previous build's manifest when it has ``stamp`` and all its files are intact, else None.

    Every file the manifest lists is checked (size, then sha256), so an output edited, truncated
    or deleted by hand makes the build run again. Any unreadable or unexpected manifest is "not
    fresh", never an error: the build that follows rewrites it.
    """
    out = Path(out_dir)
    try:
        manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get(STAMP_KEY) != stamp:
        return None
    assets = manifest.get("assets")
    if not isinstance(assets, dict):
        return None
    root = out.resolve()
    if all(listed_file_intact(root=root, entry=entry) for entry in assets.values()):
        return manifest
    return None


def is_build_output(out_dir: Path) -> bool:
    """Whether ``out_dir`` holds a manifest a build wrote (its stamp and plan signature keys) and
    nothing beside it but the files it lists, in their folders (``cachedir.holds_only``: also
    the temporaries of writes): the folder is a build's output, ``cachedir.tag_folder``'s
    ``ours``. A user's file beside them (``--out docs``, ``--out .``) makes it the user's."""
    try:
        manifest = json.loads((Path(out_dir) / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not (isinstance(manifest, dict) and STAMP_KEY in manifest and "plan_signature" in manifest):
        return False
    assets = manifest.get("assets")
    listed = {
        str(entry["file"])
        for entry in (assets.values() if isinstance(assets, dict) else ())
        if isinstance(entry, dict) and "file" in entry
    }
    folders = {parent for file in listed for parent in _parent_folders(file)}

    def ours(relative: str, is_folder: bool) -> bool:
        if is_folder:
            return relative in folders
        return relative == MANIFEST_FILE or relative in listed

    return holds_only(Path(out_dir), ours)


def _parent_folders(relative: str) -> list[str]:
    """``a/b/c.parquet`` -> ``a``, ``a/b``."""
    parts = relative.split("/")[:-1]
    return ["/".join(parts[: index + 1]) for index in range(len(parts))]


def listed_file_intact(*, root: Path, entry: Any) -> Path | None:
    """The file a manifest ``entry`` lists under ``root`` (resolved), when it is a plain file
    inside the root with the entry's size and sha256 (checked in that order: a size differs
    cheaply); None otherwise, also for an entry that is no mapping of those keys."""
    try:
        listed = root / str(entry["file"])
        path = listed.resolve()
        if listed.is_symlink() or root not in path.parents:
            return None
        if path.stat().st_size != int(entry["bytes"]) or file_sha256(path) != entry["sha256"]:
            return None
    except (OSError, KeyError, TypeError, ValueError):
        return None
    return path

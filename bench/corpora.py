"""Real code nobody here wrote, fetched from the package registries and cached on disk.

These corpora serve the oracle tests (``tests/test_oracle_*.py``) and the benchmarks:

- ``dagster_corpus()``: a copy of the installed ``dagster`` package source (Python). It is copied
  out of the venv so that a ``make setup`` re-installing packages never changes the files under a
  running test; the copy is keyed by the installed version.
- ``tokio_corpus()``: Debian's ``librust-tokio-dev`` (+ ``-macros``, ``-util``, ``-stream``) crate
  sources (Rust), from ``apt-get download`` + ``dpkg-deb -x``. Returns the cargo registry folder
  holding the ``tokio-*`` crates.
- ``tokio_dependency_registry()``: the tokio packages above and every ``librust-*`` package
  they depend on, recursively (``apt-cache depends --recurse``), unpacked together: the cargo
  directory source the Rust oracle's scratch build compiles the tokio crates from, offline
  (``bench.oracles.rust_compiler_calls``). Returns its ``usr/share/cargo/registry`` folder.
- ``rxjs_corpus()``: ``npm pack rxjs@RXJS_VERSION`` (TypeScript). The tarball ships its
  TypeScript sources under ``package/src``; that folder is returned.
- ``openjdk_corpus()``: the ``java/util`` subtree (``java.base``) of the JDK sources (Java), from
  Debian's ``openjdk-17-source`` (``apt-get download`` + ``dpkg-deb -x``), which ships them as
  ``src.zip``; only that subtree is unpacked. Returns the ``java/util`` folder.
- ``webpack_corpus()``: ``npm pack webpack@WEBPACK_VERSION`` (JavaScript): its ``package/lib``,
  the plain-JavaScript (CommonJS, ES classes, prototypes) sources of the bundler; that folder is
  returned.
- ``golang_net_corpus()``: Debian's ``golang-golang-x-net-dev`` (Go), from ``apt-get download`` +
  ``dpkg-deb -x``. Returns the ``golang.org/x/net`` module folder.
- ``typescript_compiler()``: ``npm pack typescript@TYPESCRIPT_VERSION``, not a corpus but the
  oracle for TypeScript call resolution (``bench/ts_resolve.js``), cached the same way.

The cache root is ``$CODEINTEL_CORPORA_DIR`` or ``<repository>/.corpora`` (git-ignored). Every fetch
is idempotent and atomic: it populates a temporary folder beside the final one and renames it into
place, so a corpus folder that exists is complete. A fetch that cannot complete (no network, tool
missing) raises ``CorpusUnavailableError`` with the reason; ``python -m bench.corpora`` fetches all.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePosixPath

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPORA_DIR_ENV = "CODEINTEL_CORPORA_DIR"

# Pinned so that the oracle figures and benchmarks in bench/RESULTS.md are reproducible; npm keeps
# every published version.
RXJS_VERSION = "7.8.2"
# The TypeScript compiler, the oracle for our TypeScript CALLS resolution (bench/ts_resolve.js).
TYPESCRIPT_VERSION = "5.9.3"
# Debian packages holding the tokio crates' sources; the version is whatever the distribution's
# index offers (recorded in the corpus folder's VERSIONS file).
TOKIO_DEBIAN_PACKAGES = (
    "librust-tokio-dev",
    "librust-tokio-macros-dev",
    "librust-tokio-util-dev",
    "librust-tokio-stream-dev",
)
# JavaScript corpus: webpack's `lib/` (~560 hand-written .js files; the package's `schemas/` are
# generated validators and are left out).
WEBPACK_VERSION = "5.99.9"
# Go corpus: the golang.org/x/net module's sources as Debian packages them (version in VERSIONS).
GOLANG_NET_DEBIAN_PACKAGE = "golang-golang-x-net-dev"

# Java: the JDK 17 sources from Debian (the package name pins the JDK release line; the exact
# Debian version is recorded in the corpus folder's VERSIONS file). Only ``java.base``'s
# ``java/util`` is unpacked: 354 files covering the collections (deep generics, nested and
# anonymous iterator/spliterator classes), ``concurrent`` (nested classes, lambdas), ``function``
# (functional interfaces with default methods), ``stream`` (generic pipelines, lambdas) and
# ``regex`` (many nested node classes); the whole ``src.zip`` has 15k files.
OPENJDK_DEBIAN_PACKAGE = "openjdk-17-source"
OPENJDK_SRC_ZIP = "usr/lib/jvm/openjdk-17/lib/src.zip"
OPENJDK_SUBTREE = "java.base/java/util/"


class CorpusUnavailableError(RuntimeError):
    """A corpus is not cached and could not be fetched; the message says why."""


def corpora_root() -> Path:
    """The folder holding every cached corpus."""
    configured = os.environ.get(CORPORA_DIR_ENV)
    return Path(configured).resolve() if configured else REPO_ROOT / ".corpora"


def corpus_files(*, root: Path, suffixes: Iterable[str]) -> list[Path]:
    """Regular files under ``root`` with one of ``suffixes``, sorted by their relative path."""
    wanted = tuple(suffixes)
    return sorted(
        (path for path in root.rglob("*") if path.suffix in wanted and path.is_file()),
        key=lambda path: path.relative_to(root).as_posix(),
    )


def install_atomically(*, final: Path, populate: Callable[[Path], None]) -> Path:
    """Create ``final`` by populating a temporary sibling folder, then renaming it into place."""
    if final.is_dir():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    try:
        populate(staging)
        staging.chmod(0o755)  # mkdtemp creates it owner-only
        try:
            staging.rename(final)
        except OSError:
            # Another process installed the same corpus first: theirs is complete, keep it.
            if not final.is_dir():
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return final


def _run(*, argv: Sequence[str], cwd: Path, what: str) -> subprocess.CompletedProcess[str]:
    """Run a fetch tool; a missing tool or a failure becomes a CorpusUnavailableError."""
    if shutil.which(argv[0]) is None:
        raise CorpusUnavailableError(f"{what}: `{argv[0]}` is not installed (needed: {argv!r})")
    completed = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        tail = (completed.stderr or completed.stdout).strip().splitlines()[-5:]
        raise CorpusUnavailableError(
            f"{what}: `{' '.join(argv)}` exited {completed.returncode}: " + " | ".join(tail)
        )
    return completed


def dagster_corpus() -> Path:
    """A private copy of the installed ``dagster`` package (the folder named ``dagster``)."""
    spec = importlib.util.find_spec("dagster")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise CorpusUnavailableError("dagster corpus: the dagster package is not installed")
    installed = Path(next(iter(spec.submodule_search_locations)))
    version = importlib.metadata.version("dagster")

    def populate(staging: Path) -> None:
        shutil.copytree(
            installed,
            staging / "dagster",
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            symlinks=True,  # never follow a link out of the package
        )

    return install_atomically(final=corpora_root() / f"dagster-{version}", populate=populate) / (
        "dagster"
    )


def _apt_download(*, packages: Sequence[str], cwd: Path, corpus: str) -> None:
    """``apt-get download``; with no package index yet, run ``apt-get update`` once (as root)."""
    what = f"{corpus} (apt-get download)"
    try:
        _run(argv=["apt-get", "download", *packages], cwd=cwd, what=what)
    except CorpusUnavailableError as first_failure:
        if shutil.which("apt-get") is None or os.geteuid() != 0:
            raise
        _run(argv=["apt-get", "update", "-qq"], cwd=cwd, what=f"{corpus} (apt-get update)")
        try:
            _run(argv=["apt-get", "download", *packages], cwd=cwd, what=what)
        except CorpusUnavailableError as second_failure:
            raise second_failure from first_failure


def _extract_debian_packages(*, packages: Sequence[str], staging: Path, corpus: str) -> None:
    """``apt-get download`` the packages and ``dpkg-deb -x`` them into ``staging`` (no install
    scripts run), recording the downloaded file names, which hold the versions, in VERSIONS."""
    downloads = staging / "debs"
    downloads.mkdir()
    _apt_download(packages=packages, cwd=downloads, corpus=f"{corpus} corpus")
    versions: list[str] = []
    for deb in sorted(downloads.glob("*.deb")):
        _run(argv=["dpkg-deb", "-x", str(deb), str(staging)], cwd=staging, what=f"{corpus} corpus")
        versions.append(deb.name)
    shutil.rmtree(downloads)
    (staging / "VERSIONS").write_text("\n".join(versions) + "\n", encoding="utf-8")


def tokio_corpus() -> Path:
    """The cargo registry folder of Debian's tokio crate packages (``tokio-<version>/`` etc.)."""

    def populate(staging: Path) -> None:
        _extract_debian_packages(packages=TOKIO_DEBIAN_PACKAGES, staging=staging, corpus="tokio")
        registry = staging / "usr/share/cargo/registry"
        if not any(registry.glob("tokio-*")):
            raise CorpusUnavailableError(f"tokio corpus: no tokio-* crate in {registry}")

    return (
        install_atomically(final=corpora_root() / "tokio-debian", populate=populate)
        / "usr/share/cargo/registry"
    )


CARGO_REGISTRY = "usr/share/cargo/registry"


def _apt_rust_dependencies(*, packages: Sequence[str], cwd: Path) -> list[str]:
    """``packages`` and the ``librust-*`` packages they depend on, recursively (Depends and
    PreDepends only); with no package index yet, run ``apt-get update`` once (as root)."""
    argv = [
        "apt-cache",
        "depends",
        "--recurse",
        "--no-recommends",
        "--no-suggests",
        "--no-conflicts",
        "--no-breaks",
        "--no-replaces",
        "--no-enhances",
        *packages,
    ]
    what = "tokio dependencies (apt-cache depends)"
    try:
        listing = _run(argv=argv, cwd=cwd, what=what).stdout.splitlines()
    except CorpusUnavailableError:
        listing = []  # no package index yet: "No packages found"
    if len(listing) <= 1:
        if shutil.which("apt-get") is None or os.geteuid() != 0:
            raise CorpusUnavailableError(f"{what}: apt knows no {packages} (run apt-get update)")
        _run(argv=["apt-get", "update", "-qq"], cwd=cwd, what="tokio dependencies (apt-get update)")
        listing = _run(argv=argv, cwd=cwd, what=what).stdout.splitlines()
    # top-level lines name packages (indented lines are their relations); `<virtual>` ones are
    # provided by a real package that is listed too
    found = sorted({line for line in listing if line.startswith("librust-")})
    missing = sorted(set(packages) - set(found))
    if missing:
        raise CorpusUnavailableError(f"tokio dependencies: apt-cache knows no {missing}")
    return found


def tokio_dependency_registry() -> Path:
    """The cargo registry folder holding Debian's tokio crates and their dependencies' crates."""

    def populate(staging: Path) -> None:
        packages = _apt_rust_dependencies(packages=TOKIO_DEBIAN_PACKAGES, cwd=staging)
        _extract_debian_packages(packages=packages, staging=staging, corpus="tokio dependencies")
        if not any((staging / CARGO_REGISTRY).glob("tokio-[0-9]*")):
            raise CorpusUnavailableError(f"tokio dependencies: no tokio crate in {CARGO_REGISTRY}")

    return (
        install_atomically(
            final=corpora_root() / "tokio-crates-dependencies-debian", populate=populate
        )
        / CARGO_REGISTRY
    )


def _unzip_subtree(*, archive: Path, prefix: str, suffix: str, into: Path) -> int:
    """Unpack the ``suffix`` files under ``prefix`` of a zip archive; returns how many.

    A member path that is absolute or holds ``..`` is refused (CorpusUnavailableError) rather
    than skipped: the archive is then not what we pinned.
    """
    count = 0
    with zipfile.ZipFile(archive) as opened:
        for member in opened.infolist():
            if member.is_dir() or not member.filename.startswith(prefix):
                continue
            relative = PurePosixPath(member.filename)
            if relative.is_absolute() or ".." in relative.parts or "\\" in member.filename:
                raise CorpusUnavailableError(f"{archive.name}: unsafe member {member.filename!r}")
            if relative.suffix != suffix:
                continue
            target = into.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with opened.open(member) as source, target.open("wb") as written:
                shutil.copyfileobj(source, written)
            count += 1
    return count


def openjdk_corpus() -> Path:
    """The ``java/util`` folder of the JDK 17 sources (``java.base``), from Debian."""

    def populate(staging: Path) -> None:
        # The package is unpacked beside the corpus and dropped once src.zip's subtree is out.
        unpacked = staging / "deb"
        unpacked.mkdir()
        _extract_debian_packages(
            packages=(OPENJDK_DEBIAN_PACKAGE,), staging=unpacked, corpus="openjdk"
        )
        archive = unpacked / OPENJDK_SRC_ZIP
        if not archive.is_file():
            raise CorpusUnavailableError(
                f"openjdk corpus: {OPENJDK_DEBIAN_PACKAGE} has no {OPENJDK_SRC_ZIP}"
            )
        count = _unzip_subtree(
            archive=archive, prefix=OPENJDK_SUBTREE, suffix=".java", into=staging / "src"
        )
        if count == 0:
            raise CorpusUnavailableError(f"openjdk corpus: no .java file under {OPENJDK_SUBTREE}")
        (unpacked / "VERSIONS").rename(staging / "VERSIONS")
        shutil.rmtree(unpacked)

    return (
        install_atomically(final=corpora_root() / "openjdk-17-debian", populate=populate)
        / "src"
        / OPENJDK_SUBTREE
    )


def rxjs_corpus() -> Path:
    """The TypeScript sources (``package/src``) of ``npm pack rxjs@RXJS_VERSION``."""
    package = _npm_package(name="rxjs", version=RXJS_VERSION, what="rxjs corpus", required="src")
    return package / "src"


# ---- Go corpus ----
GOLANG_NET_MODULE = "usr/share/gocode/src/golang.org/x/net"


def golang_net_corpus() -> Path:
    """The ``golang.org/x/net`` module folder of Debian's ``golang-golang-x-net-dev``."""

    def populate(staging: Path) -> None:
        _extract_debian_packages(
            packages=(GOLANG_NET_DEBIAN_PACKAGE,), staging=staging, corpus="golang.org/x/net"
        )
        if not any((staging / GOLANG_NET_MODULE).rglob("*.go")):
            raise CorpusUnavailableError(
                f"golang.org/x/net corpus: no .go file under {GOLANG_NET_MODULE}"
            )

    return (
        install_atomically(final=corpora_root() / "golang-net-debian", populate=populate)
        / GOLANG_NET_MODULE
    )


# ---- JavaScript corpus ----
def webpack_corpus() -> Path:
    """The JavaScript sources (``package/lib``) of ``npm pack webpack@WEBPACK_VERSION``."""
    package = _npm_package(
        name="webpack", version=WEBPACK_VERSION, what="webpack corpus", required="lib/*.js"
    )
    return package / "lib"


def _npm_package(*, name: str, version: str, what: str, required: str) -> Path:
    """The ``package`` folder of ``npm pack NAME@VERSION``, cached as ``<name>-<version>``.

    ``required``: a glob (relative to the package folder) that must match, else the package is
    not what we pinned.
    """

    def populate(staging: Path) -> None:
        spec = f"{name}@{version}"
        packed = _run(
            argv=["npm", "pack", spec, "--loglevel=error", "--pack-destination", "."],
            cwd=staging,
            what=f"{what} (npm pack)",
        )
        tarball = staging / packed.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball, "r:gz") as archive:
            archive.extractall(staging, filter="data")  # refuses absolute paths and `..`
        tarball.unlink()
        if not any((staging / "package").glob(required)):
            raise CorpusUnavailableError(f"{what}: the package has no package/{required}")

    return install_atomically(final=corpora_root() / f"{name}-{version}", populate=populate) / (
        "package"
    )


def typescript_compiler() -> Path:
    """The ``typescript@TYPESCRIPT_VERSION`` package folder (``require``-able by node).

    Not a corpus but an oracle tool, fetched and cached the same way: ``npm pack`` needs no
    ``node_modules`` tree and runs no install scripts.
    """
    return _npm_package(
        name="typescript",
        version=TYPESCRIPT_VERSION,
        what="TypeScript compiler",
        required="lib/typescript.js",
    )


CORPORA: dict[str, Callable[[], Path]] = {
    "dagster": dagster_corpus,
    "tokio": tokio_corpus,
    "tokio-dependencies": tokio_dependency_registry,
    "rxjs": rxjs_corpus,
    "openjdk": openjdk_corpus,
    "typescript": typescript_compiler,
    # JavaScript and Go
    "webpack": webpack_corpus,
    "golang-net": golang_net_corpus,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.corpora", description="Fetch (when missing) and cache the corpora."
    )
    parser.add_argument("names", nargs="*", help=f"any of {', '.join(CORPORA)} (default: all)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(CORPORA))
    if unknown:
        parser.error(f"unknown corpus {', '.join(unknown)}; choose from {', '.join(CORPORA)}")
    failures = 0
    for name in args.names or list(CORPORA):
        try:
            path = CORPORA[name]()
        except CorpusUnavailableError as error:
            print(f"{name}: FAILED: {error}", file=sys.stderr)
            failures += 1
            continue
        count = sum(1 for entry in path.rglob("*") if entry.is_file())
        print(f"{name}: {path} ({count} files)")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())

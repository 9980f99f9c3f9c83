"""Command-line tools for the checklist library: validate, coverage, render, lock and verify-citations (mounted as
``checklists``).

Pure file work: no database. The directory defaults to ``settings.checklists_dir``.
"""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from backend.checklists.authority import configured_authorities
from backend.checklists.coverage import compute, render_csv, render_text
from backend.checklists.laws import read_laws
from backend.checklists.loader import ChecklistLoadError, Library, load_library
from backend.checklists.lock import LOCK_FILE, lock_problems, read_lock, render_lock, updated_lock, write_lock
from backend.checklists.render import render as render_checklist
from backend.checklists.verify import verify_citations

app = typer.Typer(no_args_is_help=True, help="Validate, cover, print and lock the checklist library.")


class CoverageFormat(StrEnum):
    text = "text"
    csv = "csv"


class LangOption(StrEnum):
    en = "en"
    zh = "zh"
    en_zh = "en+zh"


class RenderFormat(StrEnum):
    html = "html"
    pdf = "pdf"


DirArg = Annotated[Path | None, typer.Argument(help="Checklists directory (default: LI_CHECKLISTS_DIR)")]
DirOpt = Annotated[Path | None, typer.Option("--dir", help="Checklists directory (default: LI_CHECKLISTS_DIR)")]


def _directory(directory: Path | None) -> Path:
    if directory is not None:
        return directory
    from backend.config import settings

    return settings.checklists_dir


def _library(directory: Path) -> Library:
    try:
        return load_library(directory)
    except ChecklistLoadError as exc:
        for issue in exc.issues:
            typer.secho(str(issue), fg=typer.colors.RED, err=True)
        typer.secho(f"{len(exc.issues)} error(s) in {directory}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from exc


@app.command()
def validate(directory: DirArg = None) -> None:
    """Check every checklist file against the definition, the instruments registry and the lock file."""
    directory = _directory(directory)
    library = _library(directory)
    problems = lock_problems(library.checklists, read_lock(directory / LOCK_FILE))
    for problem in problems:
        typer.secho(f"{directory / LOCK_FILE}: {problem}", fg=typer.colors.RED, err=True)
    if problems:
        raise typer.Exit(code=1)
    items = sum(len(c.items()) for c in library.checklists)
    typer.echo(
        f"OK: {len(library.checklists)} checklists, {items} items, "
        f"{len(library.registry.instruments)} instruments in {directory}"
    )


@app.command()
def coverage(
    fmt: Annotated[CoverageFormat, typer.Option("--format", help="text or csv")] = CoverageFormat.text,
    directory: DirOpt = None,
) -> None:
    """Print which items cite each instrument and article, and the totals."""
    result = compute(_library(_directory(directory)))
    typer.echo(render_csv(result) if fmt == CoverageFormat.csv else render_text(result), nl=False)


@app.command()
def render(
    key: Annotated[str, typer.Argument(help="Checklist key, e.g. general-administration")],
    out: Annotated[Path, typer.Option("--out", help="File to write")],
    lang: Annotated[LangOption, typer.Option("--lang")] = LangOption.en_zh,
    fmt: Annotated[RenderFormat, typer.Option("--format")] = RenderFormat.pdf,
    directory: DirOpt = None,
) -> None:
    """Write the printable version of one checklist as HTML or PDF."""
    library = _library(_directory(directory))
    checklist = library.get(key)
    if checklist is None:
        typer.secho(f"unknown checklist {key!r}; known: {', '.join(library.keys())}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1)
    authorities = configured_authorities()
    data = render_checklist(checklist, lang.value, fmt.value, library.registry, authorities)
    out.write_bytes(data)
    typer.echo(f"wrote {out}")


@app.command()
def lock(
    directory: DirArg = None,
    check: Annotated[bool, typer.Option("--check", help="Only report whether the lock is up to date")] = False,
) -> None:
    """Record the content hash of every (key, version) not yet in the lock file; never rewrites an entry."""
    directory = _directory(directory)
    library = _library(directory)
    path = directory / LOCK_FILE
    current = read_lock(path)
    problems = lock_problems(library.checklists, current)
    for problem in problems:
        typer.secho(f"{path}: {problem}", fg=typer.colors.RED, err=True)
    if problems:
        raise typer.Exit(code=1)
    new = updated_lock(library.checklists, current)
    if render_lock(new) == render_lock(current):
        typer.echo(f"{path} is up to date")
        return
    if check:
        typer.secho(f"{path} lacks new checklist versions; run `checklists lock`", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1)
    write_lock(path, new)
    typer.echo(f"wrote {path}")


@app.command("verify-citations")
def verify_citations_command(
    laws: Annotated[Path, typer.Option("--laws", help="Folder of statute texts (<title>(<date>).md, 第N条 …)")],
    directory: DirOpt = None,
) -> None:
    """List every national citation (items and registry) whose statute text is missing or lacks the article."""
    if not laws.is_dir():
        typer.secho(f"{laws} is not a folder", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=2)
    library = _library(_directory(directory))
    texts = read_laws(laws)
    problems = verify_citations(library, texts)
    for problem in problems:
        typer.echo(str(problem))
    national = sum(1 for i in library.registry.instruments if i.is_national)
    summary = f"{len(problems)} problem(s); {len(texts)} statute texts read, {national} national instruments"
    typer.secho(summary, fg=typer.colors.RED if problems else typer.colors.GREEN, err=True)
    if problems:
        raise typer.Exit(code=1)

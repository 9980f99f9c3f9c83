"""Admin commands: prestart (migrate, first admin, checklists, demo), users, imports, audit verification."""

from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session

from backend import bootstrap, db, demo, migrate, simulate
from backend.audit import service as audit
from backend.auth import service as auth
from backend.auth.models import Role, Sex, UserCreate
from backend.checklists import service as checklists
from backend.checklists.commands import app as checklists_app
from backend.complaints import identity  # complaints (cpl)
from backend.complaints import service as complaints  # complaints (cpl)
from backend.config import settings
from backend.db import AppSession

# Installs the sync-row projection on AppSession, so what a command or the worker writes reaches the devices.
from backend.device_sync import feed as _feed  # noqa: F401
from backend.enforcement import sweep
from backend.errors import Problem
from backend.orgs import importer
from backend.orgs import service as orgs

app = typer.Typer(no_args_is_help=True, help="Labour inspection administration.")
app.add_typer(checklists_app, name="checklists", help="Validate, cover and print the checklist library.")


def _session() -> Session:
    return AppSession(db.engine, expire_on_commit=False)


def _fail(problem: Problem) -> None:
    typer.secho(f"error [{problem.code}]: {problem.detail}", fg=typer.colors.RED, err=True)
    for key, value in problem.context.items():
        if isinstance(value, list):
            for entry in value:
                typer.echo(f"  {entry}", err=True)
        else:
            typer.echo(f"  {key}: {value}", err=True)
    raise typer.Exit(1)


@app.command("migrate")
def migrate_command() -> None:
    """Upgrade the database to the newest schema."""
    migrate.upgrade()
    typer.echo("database is at the newest schema")


@app.command("publish-checklists")
def publish_checklists(directory: Path = settings.checklists_dir) -> None:
    """Publish every checklist file as an immutable version (identical content is a no-op)."""
    with _session() as session, session.begin():
        try:
            results = checklists.publish_dir(session, directory, actor_id=None)
        except Problem as problem:
            _fail(problem)
    created = [f"{r.key}@{r.version}" for r in results if r.created]
    typer.echo(f"{len(results)} checklists; newly published: {', '.join(created) or 'none'}")


@app.command()
def prestart(demo_data: Annotated[bool, typer.Option("--demo/--no-demo")] = settings.demo_data) -> None:
    """Everything before serving: migrate, create the first admin, publish checklists, load demo data if empty."""
    from backend.ops import prodcheck  # ops: production refuses development secrets before migrating

    prodcheck.enforce(settings)
    migrate.upgrade()
    if bootstrap.ensure_first_admin():
        typer.echo(f"created the first admin {settings.first_admin_email}")
    publish_checklists(settings.checklists_dir)
    if demo_data:
        load_demo()


@app.command("load-demo")
def load_demo() -> None:
    """Load demo org units, establishments, staff and past inspections into an empty database."""
    with _session() as session, session.begin():
        if not demo.is_empty(session):
            typer.echo("demo data: the database already holds data; nothing loaded")
            return
        accounts = demo.load(session)
    typer.secho("\nDemo accounts (passwords are shown this once):", bold=True)
    for account in accounts:
        typer.echo(f"  {account.role.value:<11} {account.email:<38} {account.password}")
    typer.echo("")


@app.command("create-user")
def create_user(
    email: str,
    name: Annotated[str, typer.Option()],
    role: Annotated[Role, typer.Option()],
    sex: Annotated[Sex | None, typer.Option()] = None,
    org_unit: Annotated[list[str], typer.Option(help="Org unit code; repeat for several")] = [],  # noqa: B006
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
) -> None:
    """Create a user (admin, supervisor or inspector)."""
    with _session() as session, session.begin():
        try:
            units = []
            for code in org_unit:
                unit = orgs.unit_by_code(session, code)
                if unit is None:
                    raise Problem("org_unit.not_found", f"No org unit with code {code}.")
                units.append(unit.id)
            data = UserCreate(email=email, name=name, role=role, sex=sex, password=password, org_unit_ids=units)
            auth.create_user(session, data, actor_id=None)
        except Problem as problem:
            _fail(problem)
    typer.echo(f"created {role.value} {email}")


@app.command("import-establishments")
def import_establishments(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid")] = False,
) -> None:
    """Import establishments from a UTF-8 CSV; nothing is imported if a row is bad, unless --skip-invalid."""
    with _session() as session, session.begin():
        try:
            report = importer.import_csv(session, None, file.read_text("utf-8"), skip_invalid=skip_invalid)
        except Problem as problem:
            _fail(problem)
    for error in report.errors:
        typer.echo(f"  skipped row {error.row}: {error.field or ''} {error.message}", err=True)
    typer.echo(f"imported {report.imported} establishments, skipped {report.skipped} rows")


@app.command("audit-verify")
def audit_verify() -> None:
    """Check the audit chain: any modified, inserted or deleted event is reported, and the exit code is 1."""
    with _session() as session:
        breaks = audit.verify(session)
    if breaks:
        for b in breaks:
            typer.secho(f"audit chain broken at seq {b.seq}: {b.reason}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    typer.echo("audit chain intact")


@app.command("simulate-devices")
def simulate_devices(
    devices: Annotated[int, typer.Argument(min=1, help="How many tablets (threads) to simulate")],
    email: Annotated[str, typer.Option(help="An inspector's sign-in email")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    url: Annotated[str, typer.Option(help="The running server")] = "http://127.0.0.1:8000",
    inspections_per_device: Annotated[int, typer.Option(min=1)] = 1,
    findings: Annotated[int, typer.Option(min=0, help="Non-compliant items (each with a photo) per inspection")] = 3,
    checklist: Annotated[str, typer.Option(help="Checklist key")] = "general-administration",
) -> None:
    """Drive N simulated tablets through whole inspections (every item answered, photos, submit) over sync."""
    report = simulate.run(url, email, password, devices, inspections_per_device, findings, checklist)
    typer.echo(report.summary())
    if report.errors or len(report.submitted) != devices * inspections_per_device:
        raise typer.Exit(1)


# --- complaints (cpl): the complainant-identity keys ---------------------------------------------------------


@app.command("rotate-complainant-key")
def rotate_complainant_key(
    new_key: Annotated[bool, typer.Option("--new-key", help="Only print a fresh key to put first in the list")] = False,
) -> None:
    """Re-encrypt every complainant identity under the first key of LI_COMPLAINANT_KEYS (the others still open
    older tokens); then the old keys can be removed. Steps: ``--new-key``, prepend it, restart, run this."""
    if new_key:
        typer.echo(identity.new_key())
        return
    try:
        with _session() as session, session.begin():
            count = complaints.rotate_keys(session)
    except identity.IdentityUnreadable as exc:
        typer.secho(f"{exc}: keep every old key in LI_COMPLAINANT_KEYS until this succeeds", fg="red", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"re-encrypted {count} complainant identities under the first key")


# --- ops: the job worker ---------------------------------------------------------------------------------------


@app.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="Run the jobs due now, then exit")] = False,
    now: Annotated[str | None, typer.Option(help="A fixed clock (ISO 8601 with offset), for tests")] = None,
    lease_seconds: Annotated[float, typer.Option(min=1, help="A claimed job is retried if not done by then")] = 300,
    poll_seconds: Annotated[float, typer.Option(min=0.05)] = 1.0,
    module: Annotated[list[str], typer.Option(help="Also import this module (it registers job kinds)")] = [],  # noqa: B006
) -> None:
    """Run durable jobs (daily sweeps, exports) from the database until Ctrl-C or SIGTERM (the job in hand ends)."""
    import signal
    import threading
    from datetime import datetime

    from backend.jobs import kinds
    from backend.jobs.worker import Worker
    from backend.ops import logs, prodcheck

    logs.configure(settings.log_format, settings.log_level)
    prodcheck.enforce(settings)
    kinds.load(module)
    clock = db.utcnow
    if now is not None:
        fixed = datetime.fromisoformat(now)
        if fixed.tzinfo is None:
            raise typer.BadParameter("--now needs a UTC offset, e.g. 2026-12-01T06:00:00+08:00")
        clock = lambda: fixed  # noqa: E731
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    count = Worker(db.engine, clock=clock, lease_seconds=lease_seconds).run(
        once=once, poll_seconds=poll_seconds, stop=stop
    )
    typer.echo(f"worker: {count} jobs run")


# --- ops: backups and a forgotten password -------------------------------------------------------------------


@app.command()
def backup(
    dest: Annotated[Path | None, typer.Argument(help="Directory for the archive (default LI_BACKUP_DIR)")] = None,
) -> None:
    """Back up the database (SQLite online backup, or pg_dump) and every attachment into one tar file."""
    from backend.ops import backup as backups

    try:
        path = backups.backup(settings.database_url, Path(settings.attachments_dir), dest or settings.backup_dir)
    except backups.BackupError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    typer.echo(str(path))


@app.command()
def restore(archive: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Restore a backup into the empty database of LI_DATABASE_URL and LI_ATTACHMENTS_DIR (then run migrate)."""
    from backend.ops import backup as backups

    try:
        manifest = backups.restore(archive, settings.database_url, Path(settings.attachments_dir))
    except backups.BackupError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    typer.echo(f"restored {manifest['database']} backup of {manifest['created_at']} "
               f"(schema {','.join(manifest['schema'])}, {len(manifest['attachments'])} attachments)")  # fmt: skip


@app.command("reset-password")
def reset_password(
    email: str,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
) -> None:
    """Set a user's password (a forgotten one, the last admin's); their device tokens stop working."""
    import uuid
    from typing import cast

    from pydantic import ValidationError
    from sqlmodel import select

    from backend.auth.models import User, UserUpdate

    with _session() as session, session.begin():
        user = session.exec(select(User).where(User.email == email.strip().lower())).first()
        if user is None:
            typer.secho(f"error: no user with email {email}", fg=typer.colors.RED, err=True)
            raise typer.Exit(1)
        try:
            data = UserUpdate(password=password)
        except ValidationError as exc:
            typer.secho(f"error: {exc.errors()[0]['msg']}", fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from None
        auth.update_user(session, user, data, actor_id=cast(uuid.UUID, None))  # the operator at the console
    typer.echo(f"password of {email} reset")


# enforcement (issue 17): the daily jobs, run once (the worker runs them as job kinds)
@app.command("enforcement-sweep")
def enforcement_sweep() -> None:
    """Mark measures past their deadline overdue and propose the next step (job ``enforcement.overdue_sweep``)."""
    with _session() as session, session.begin():
        result = sweep.overdue_sweep(session, db.utcnow())
    typer.echo(f"{len(result.marked_overdue)} overdue, {len(result.proposals)} proposed, {len(result.closed)} closed")


@app.command("follow-up-scheduling")
def follow_up_scheduling() -> None:
    """Schedule follow-up visits for overdue or claimed orders (job ``enforcement.follow_up_scheduling``)."""
    with _session() as session, session.begin():
        result = sweep.schedule_follow_ups(session, db.utcnow())
    typer.echo(f"{len(result.inspections)} follow-up inspection(s), {result.checks} measure(s) to verify")


# exports (issue 19): a dataset to a file from the console (the operator sees everything, or --as-user's area)
@app.command("export")
def export_command(
    dataset: Annotated[
        str,
        typer.Argument(
            help="inspections, findings, violations, measures, penalties, complaints, accidents or injured_persons"
        ),
    ],
    out: Annotated[Path, typer.Option("--out", dir_okay=False, help="The file to write")],
    fmt: Annotated[str, typer.Option("--format", help="csv or xlsx")] = "csv",
    since: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD")] = None,
    org_unit: Annotated[str | None, typer.Option("--org-unit", help="An org unit's code or id")] = None,
    isic: Annotated[str | None, typer.Option(help="ISIC section letter or digits prefix")] = None,
    checklist: Annotated[str | None, typer.Option(help="A checklist key")] = None,
    convention: Annotated[str | None, typer.Option(help="An instrument code cited, e.g. C81")] = None,
    as_user: Annotated[str | None, typer.Option("--as-user", help="Scope to this user's area (e-mail)")] = None,
) -> None:
    """Write one dataset as CSV (UTF-8 with BOM) or XLSX, filtered; the export is audited."""
    import contextlib
    import uuid

    from pydantic import ValidationError
    from sqlmodel import or_, select

    from backend.auth.models import User
    from backend.exports import datasets
    from backend.exports import service as exports
    from backend.exports.filters import Filters
    from backend.orgs.models import OrgUnit

    if fmt not in ("csv", "xlsx"):
        raise typer.BadParameter("--format is csv or xlsx")
    with _session() as session, session.begin():
        unit_id = None
        if org_unit is not None:
            ids = [OrgUnit.code == org_unit]
            with contextlib.suppress(ValueError):
                ids.append(OrgUnit.id == uuid.UUID(org_unit))
            unit = session.exec(select(OrgUnit).where(or_(*ids))).first()
            if unit is None:
                typer.secho(f"error: no org unit {org_unit}", fg=typer.colors.RED, err=True)
                raise typer.Exit(1)
            unit_id = unit.id
        user = None
        if as_user is not None:
            user = session.exec(select(User).where(User.email == as_user.strip().lower())).first()
            if user is None:
                typer.secho(f"error: no user with email {as_user}", fg=typer.colors.RED, err=True)
                raise typer.Exit(1)
        try:
            f = Filters(since=since, until=until, org_unit_id=unit_id, isic=isic, checklist=checklist,
                        convention=convention)  # fmt: skip
            found = datasets.get(dataset, f)
        except ValidationError as exc:
            typer.secho(f"error: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}", fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from None
        except Problem as problem:
            _fail(problem)
            return
        exports.audit(session, user, dataset, fmt, f, console=True)
        rows = exports.write(session, user, found, f, "xlsx" if fmt == "xlsx" else "csv", out)
    typer.echo(f"{rows} rows of {dataset} written to {out}")


if __name__ == "__main__":
    app()

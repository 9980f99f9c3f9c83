"""CSV import of establishments with a per-row error report: all rows or none, unless told to skip bad ones."""

import csv
import io
import uuid

from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from backend import changes
from backend.audit import service as audit_log
from backend.auth.models import User
from backend.changes import EstablishmentChanged
from backend.errors import Conflict, Invalid
from backend.orgs import scope
from backend.orgs.models import Establishment, EstablishmentCreate, Level, OrgUnit

COLUMNS = [
    "name",
    "registration_type",
    "registration_number",
    "address",
    "district_code",
    "latitude",
    "longitude",
    "isic",
    "workers_total",
    "workers_women",
    "workers_under_18",
    "uses_hazardous_chemicals",
    "has_underground_work",
    "union_members",
    "contact_name",
    "contact_phone",
    "contact_email",
]
REQUIRED = {"name", "registration_number", "district_code", "isic"}
MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024


class RowError(BaseModel):
    row: int  # 1-based line number in the file, header = 1
    field: str | None
    message: str


class ImportReport(BaseModel):
    imported: int
    skipped: int
    errors: list[RowError]


def _districts(session: Session, user: User | None) -> dict[str, uuid.UUID]:
    units = None if user is None else scope.visible_units(session, user)
    rows = session.exec(select(OrgUnit.code, OrgUnit.id).where(OrgUnit.level == Level.district)).all()
    return {code: uid for code, uid in rows if units is None or uid in units}


def _row_to_create(raw: dict[str, str], districts: dict[str, uuid.UUID]) -> EstablishmentCreate:
    values: dict[str, object] = {k: v.strip() for k, v in raw.items() if k in COLUMNS and v and v.strip()}
    code = str(values.pop("district_code", ""))
    if code not in districts:
        raise ValueError(f"district_code: unknown district {code!r} (or outside your area)")
    values["district_id"] = districts[code]
    values.setdefault("registration_type", "uscc")
    return EstablishmentCreate.model_validate(values)


def _malformed(line: int, why: str) -> Invalid:
    return Invalid("import.malformed", f"Line {line} is not valid CSV ({why}); nothing was imported.", row=line)


def parse(session: Session, user: User | None, text: str) -> tuple[list[EstablishmentCreate], list[RowError]]:
    text = text.lstrip("\ufeff")
    if "\x00" in text:  # csv accepts NUL, PostgreSQL text does not
        raise _malformed(text.count("\n", 0, text.index("\x00")) + 1, "NUL byte")
    reader = csv.DictReader(io.StringIO(text), strict=True)
    try:
        return _parse_rows(session, user, reader)
    except csv.Error as exc:
        raise _malformed(reader.reader.line_num, str(exc)) from exc


def _parse_rows(
    session: Session, user: User | None, reader: "csv.DictReader[str]"
) -> tuple[list[EstablishmentCreate], list[RowError]]:
    header = set(reader.fieldnames or [])
    missing = REQUIRED - header
    if missing:
        raise Invalid("import.missing_columns", f"Missing columns: {', '.join(sorted(missing))}.")
    unknown = header - set(COLUMNS)
    if unknown:
        raise Invalid("import.unknown_columns", f"Unknown columns: {', '.join(sorted(unknown))}.")
    districts = _districts(session, user)
    existing = {
        (t, n) for t, n in session.exec(select(Establishment.registration_type, Establishment.registration_number))
    }
    good: list[EstablishmentCreate] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    for line, raw in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            raise Invalid("import.too_many_rows", f"At most {MAX_ROWS} rows per file.")
        try:
            create = _row_to_create(raw, districts)
        except ValidationError as exc:
            errors += [
                RowError(row=line, field=".".join(str(p) for p in e["loc"]) or None, message=e["msg"])
                for e in exc.errors()
            ]
            continue
        except ValueError as exc:
            field, _, message = str(exc).partition(": ")
            errors.append(RowError(row=line, field=field, message=message))
            continue
        key = (create.registration_type, create.registration_number)
        if key in existing:
            errors.append(RowError(row=line, field="registration_number", message="already registered"))
        elif key in seen:
            errors.append(RowError(row=line, field="registration_number", message=f"duplicate of row {seen[key]}"))
        else:
            seen[key] = line
            good.append(create)
    return good, errors


def import_csv(session: Session, user: User | None, text: str, *, skip_invalid: bool = False) -> ImportReport:
    """Import as ``user`` (their districts only) or, from the command line, as the system (``None``)."""
    good, errors = parse(session, user, text)
    bad_rows = len({e.row for e in errors})
    if errors and not skip_invalid:
        raise Invalid(
            "import.invalid_rows",
            f"{bad_rows} row(s) are invalid; nothing was imported.",
            errors=[e.model_dump() for e in errors],
        )
    try:
        with session.begin_nested():  # a registration number added since parsing: a conflict, not a 500
            rows = [Establishment.model_validate(create) for create in good]
            session.add_all(rows)
            session.flush()
            changes.record(session, *(EstablishmentChanged(row.id) for row in rows))
    except IntegrityError as exc:
        raise Conflict(
            "establishment.duplicate_registration",
            "An establishment in the file was registered meanwhile; nothing was imported.",
        ) from exc
    audit_log.record(
        session,
        user.id if user else None,
        "establishment.import",
        "establishment",
        "bulk",
        imported=len(good),
        skipped=bad_rows,
    )
    return ImportReport(imported=len(good), skipped=bad_rows, errors=errors)

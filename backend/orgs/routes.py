"""HTTP routes for org units and the establishments registry."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, UploadFile

from backend.api import SessionDep
from backend.auth.deps import CurrentUser, FieldUser, SupervisorUser
from backend.db import Page
from backend.errors import Invalid, TooLarge
from backend.fields import NonNegInt64, SearchText
from backend.orgs import importer, service
from backend.orgs.models import (
    ColleaguePublic,
    Establishment,
    EstablishmentCreate,
    EstablishmentPublic,
    EstablishmentUpdate,
    OrgUnitPublic,
)

router = APIRouter(tags=["orgs"])


@router.get("/users/colleagues", response_model=list[ColleaguePublic])
def list_colleagues(session: SessionDep, user: CurrentUser) -> list:
    """The caller's colleagues (their org units and below), read-only; device tokens may call it."""
    return service.colleagues(session, user)


@router.get("/org-units", response_model=list[OrgUnitPublic])
def list_org_units(session: SessionDep, user: CurrentUser) -> list:
    return service.list_units(session, user)


def current_establishment(session: SessionDep, user: CurrentUser, establishment_id: uuid.UUID) -> Establishment:
    return service.get_establishment(session, user, establishment_id)


CurrentEstablishment = Annotated[Establishment, Depends(current_establishment)]


@router.get("/establishments", response_model=Page[EstablishmentPublic])
def search_establishments(
    session: SessionDep,
    user: FieldUser,
    q: SearchText | None = None,
    district_id: uuid.UUID | None = None,
    isic: Annotated[str | None, Query(pattern=r"^(?:[A-U]|\d{1,4})$")] = None,
    registration_number: SearchText | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[NonNegInt64, Query()] = 0,
) -> Page[EstablishmentPublic]:
    """Establishments in your area. ``isic`` is a prefix of the stored code: 1-4 digits match the codes that
    start with them; a section letter matches only establishments recorded at section level. ``registration_number``
    is an exact match ignoring case (USCCs are stored upper-cased, other identifier types as given)."""
    return service.search_establishments(
        session,
        user,
        q=q,
        district_id=district_id,
        isic=isic,
        registration_number=registration_number,
        limit=limit,
        offset=offset,
    )


@router.post("/establishments", response_model=EstablishmentPublic, status_code=201)
def create_establishment(session: SessionDep, user: CurrentUser, data: EstablishmentCreate) -> object:
    return service.create_establishment(session, user, data)


@router.get("/establishments/{establishment_id}", response_model=EstablishmentPublic)
def read_establishment(establishment: CurrentEstablishment) -> object:
    return establishment


@router.patch("/establishments/{establishment_id}", response_model=EstablishmentPublic)
def update_establishment(
    session: SessionDep, user: CurrentUser, establishment: CurrentEstablishment, data: EstablishmentUpdate
) -> object:
    return service.update_establishment(session, user, establishment, data)


@router.post("/establishments/import", response_model=importer.ImportReport)
def import_establishments(
    session: SessionDep, user: SupervisorUser, file: UploadFile, skip_invalid: bool = False
) -> importer.ImportReport:
    """A multipart upload of one UTF-8 CSV file with the columns in ``importer.COLUMNS``."""
    raw = file.file.read(importer.MAX_BYTES + 1)
    if len(raw) > importer.MAX_BYTES:
        raise TooLarge("import.too_large", f"The CSV file is larger than {importer.MAX_BYTES} bytes.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Invalid("import.encoding", "The CSV file must be UTF-8 encoded.") from exc
    return importer.import_csv(session, user, text, skip_invalid=skip_invalid)

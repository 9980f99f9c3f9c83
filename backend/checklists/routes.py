"""HTTP routes for published checklists (read-only: publishing is an admin command)."""

from fastapi import APIRouter

from backend.api import SessionDep
from backend.auth.deps import FieldUser
from backend.checklists import service
from backend.checklists.models import ChecklistPublic, ChecklistSummary
from backend.fields import PositiveInt64, SearchText

router = APIRouter(tags=["checklists"])


@router.get("/checklists", response_model=list[ChecklistSummary])
def list_checklists(session: SessionDep, user: FieldUser, all_versions: bool = False) -> list:
    return service.list_published(session, all_versions=all_versions)


@router.get("/checklists/{key}/{version}", response_model=ChecklistPublic)
def read_checklist(session: SessionDep, user: FieldUser, key: SearchText, version: PositiveInt64) -> ChecklistPublic:
    return service.to_public(service.get_published(session, key, version))

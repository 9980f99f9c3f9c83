"""Every domain's tables, imported once so SQLModel's metadata is complete (Alembic, tests, CLI)."""

from backend.attachments import models as attachment_models
from backend.audit import models as audit_models
from backend.auth import models as auth_models
from backend.checklists import models as checklist_models
from backend.complaints import models as complaint_models
from backend.device_sync import models as device_sync_models
from backend.enforcement import models as enforcement_models
from backend.inspections import models as inspection_models
from backend.orgs import models as org_models

__all__ = [
    "attachment_models",
    "audit_models",
    "auth_models",
    "checklist_models",
    "complaint_models",
    "device_sync_models",
    "enforcement_models",
    "inspection_models",
    "org_models",
]

# enforcement cases (issue 17): notices, follow-up checks, supply-chain relations
from backend.enforcement import case_models as enforcement_case_models

__all__ += ["enforcement_case_models"]

"""Every domain's tables, imported once so SQLModel's metadata is complete (Alembic, tests, CLI)."""

from backend.accidents import models as accident_models  # accidents (cpl)
from backend.attachments import models as attachment_models
from backend.audit import models as audit_models
from backend.auth import models as auth_models
from backend.checklists import models as checklist_models
from backend.complaints import models as complaint_models
from backend.device_sync import models as device_sync_models
from backend.enforcement import models as enforcement_models
from backend.inspections import models as inspection_models

# supervisor desk (issue 16)
from backend.inspections import review_comments as review_comment_models
from backend.jobs import models as job_models  # ops: durable jobs
from backend.orgs import models as org_models
from backend.planning import models as planning_models  # planning (cpl)

__all__ = [
    "accident_models",  # accidents (cpl)
    "attachment_models",
    "audit_models",
    "auth_models",
    "checklist_models",
    "complaint_models",
    "device_sync_models",
    "enforcement_models",
    "inspection_models",
    "job_models",  # ops
    "org_models",
    "planning_models",  # planning (cpl)
    # supervisor desk (issue 16)
    "review_comment_models",
]

# enforcement cases (issue 17): notices, follow-up checks, supply-chain relations
from backend.enforcement import case_models as enforcement_case_models
from backend.enforcement import disclosure as disclosure_models  # per inspection (ntc2)
from backend.reports import models as report_models  # standards reporting (rpt): denominators of the rates

__all__ += ["enforcement_case_models"]
__all__ += ["report_models"]  # standards reporting (rpt)
__all__ += ["disclosure_models"]  # per inspection (ntc2): penalty decisions disclosed

# per-inspection rollup for the desk's queue filters (perf)
from backend.inspections import rollup as rollup_models  # noqa: E402

__all__ += ["rollup_models"]
from backend.exports import models as export_models  # noqa: E402  # exports (exp3): files written by the worker

__all__ += ["export_models"]  # exports (exp3)

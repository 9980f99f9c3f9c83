"""Which enforcement measures count as open and as overdue on the desk: the one place that reads their states.

Today's states (``enforcement.models.ActionStatus``): ``open`` until complied or withdrawn; overdue is open past
its deadline, as ``enforcement.service.to_public`` derives it. Change this function if the states change."""

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_
from sqlmodel import col

from backend.enforcement.models import ActionStatus, EnforcementAction


def open_and_overdue(today: date) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """SQL conditions on ``enforcement_action``: (open, overdue)."""
    is_open = col(EnforcementAction.status) == ActionStatus.open
    overdue = and_(is_open, col(EnforcementAction.deadline).is_not(None), col(EnforcementAction.deadline) < today)
    return is_open, overdue

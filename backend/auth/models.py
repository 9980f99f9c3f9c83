"""User, device and org-unit membership tables, and the API shapes that expose them."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import ConfigDict, EmailStr, StringConstraints, model_validator
from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from backend.db import UTCDateTime, enum_column, utcnow, uuid7
from backend.fields import Input


class Role(StrEnum):
    inspector = "inspector"
    supervisor = "supervisor"
    admin = "admin"
    # reporting: reads and exports its area, changes nothing, never sees complainants
    statistician = "statistician"


class Sex(StrEnum):
    female = "female"
    male = "male"


Email = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, max_length=254)]
Password = Annotated[str, StringConstraints(min_length=12, max_length=256)]  # and not common: auth.passwords


class UserBase(SQLModel):
    email: Email = Field(unique=True, index=True, max_length=254)
    name: str = Field(min_length=1, max_length=200)
    sex: Sex | None = Field(
        default=None,
        sa_type=enum_column(Sex),
        description="Required for inspection staff (C81 Art. 21 statistics)",
    )
    role: Role = Field(sa_type=enum_column(Role))
    active: bool = True


class User(UserBase, table=True):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint("role IN ('inspector','supervisor','admin','statistician')", name="role"),
        CheckConstraint("sex IS NULL OR sex IN ('female','male')", name="sex"),
        CheckConstraint("role = 'admin' OR sex IS NOT NULL", name="staff_sex"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    password_hash: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class UserOrgUnit(SQLModel, table=True):
    """The org units a user works in: an inspector's districts, a supervisor's province or district."""

    __tablename__ = "user_org_unit"

    user_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True, ondelete="CASCADE")
    org_unit_id: uuid.UUID = Field(foreign_key="org_unit.id", primary_key=True)


class Device(SQLModel, table=True):
    __tablename__ = "device"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    name: str = Field(max_length=120)
    platform: str | None = Field(default=None, max_length=120)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # When the current token was issued (registration or renewal): it expires LI_DEVICE_TOKEN_MAX_DAYS later.
    token_issued_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class UserCreate(SQLModel, Input):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    email: EmailStr
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    sex: Sex | None = None
    role: Role
    password: Password
    org_unit_ids: list[uuid.UUID] = []

    @model_validator(mode="after")
    def _staff_sex(self) -> Self:
        if self.role != Role.admin and self.sex is None:
            raise ValueError("sex is required for inspectors and supervisors (C81 staff statistics)")
        return self


class UserUpdate(SQLModel, Input):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] | None = None
    sex: Sex | None = None
    role: Role | None = None
    active: bool | None = None
    password: Password | None = None
    org_unit_ids: list[uuid.UUID] | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> Self:
        # Omit a field to leave it unchanged; an explicit null is only meaningful for ``sex``.
        nulls = sorted(f for f in self.model_fields_set - {"sex"} if getattr(self, f) is None)
        if nulls:
            raise ValueError(f"these fields cannot be null (omit them to leave them unchanged): {', '.join(nulls)}")
        return self


class UserPublic(SQLModel):
    id: uuid.UUID
    email: str
    name: str
    sex: Sex | None
    role: Role
    active: bool
    org_unit_ids: list[uuid.UUID]


class DeviceCreate(SQLModel, Input):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    platform: Annotated[str, StringConstraints(max_length=120)] | None = None


class DevicePublic(SQLModel):
    id: uuid.UUID
    user_id: uuid.UUID
    name: str
    platform: str | None
    created_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None


class DeviceRegistered(DevicePublic):
    token: str


class Token(SQLModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class SignInCounter(SQLModel, table=True):
    """Recent failed sign-ins of one account, one client address, or one account from one address
    (``backend/auth/guard.py``). ``key`` is a SHA-256 of the kind and value: no email or address is stored."""

    __tablename__ = "sign_in_counter"

    key: str = Field(primary_key=True, max_length=64)
    failures: int = 0
    last_failure_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RevokedToken(SQLModel, table=True):
    """An access token signed out before it expired (its ``jti``); kept until ``expires_at``."""

    __tablename__ = "revoked_token"

    jti: str = Field(primary_key=True, max_length=64)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)

"""HTTP for resumable, content-addressed uploads (tus-like; ``sync/PROTOCOL.md`` §8)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field, JsonValue
from sqlmodel import Session

from backend.api import SessionDep
from backend.attachments import service, storage
from backend.attachments.models import Blob
from backend.auth.deps import FieldUser
from backend.auth.models import User
from backend.errors import Invalid, NotFound, Problem, TooLarge
from backend.fields import Input

router = APIRouter(prefix="/blobs", tags=["attachments"])
OCTETS = "application/offset+octet-stream"
# Documented, not enforced by pydantic: the service refuses a bad hash or type with its own codes
# (``blob.invalid_hash``, ``blob.type_not_allowed``, both 422).
Sha256 = Annotated[str, Path(json_schema_extra={"pattern": service.SHA256.pattern})]


class BlobCreate(Input):
    model_config = ConfigDict(extra="forbid")

    bytes: int = Field(ge=1, le=2**53 - 1)
    mime: str = Field(max_length=100, json_schema_extra={"enum": list[JsonValue](sorted(service.MIME_TYPES))})


class BlobStatus(BaseModel):
    offset: int
    bytes: int
    verified: bool
    chunk_max: int


def _status(s: service.Status) -> BlobStatus:
    return BlobStatus(offset=s.offset, bytes=s.bytes, verified=s.verified, chunk_max=s.chunk_max)


async def chunk_body(request: Request) -> bytes:
    if request.headers.get("content-type", "").split(";")[0].strip() != OCTETS:
        raise Invalid("blob.content_type", f"Send chunks as {OCTETS}.")
    data = bytearray()
    async for part in request.stream():
        data += part
        if len(data) > service.CHUNK_MAX:
            raise TooLarge("blob.chunk_too_large", f"At most {service.CHUNK_MAX} bytes per chunk.",
                           chunk_max=service.CHUNK_MAX)  # fmt: skip
    return bytes(data)


@router.head("/{sha256}")
def head_blob(session: SessionDep, user: FieldUser, sha256: Sha256) -> Response:
    s = service.status(session, user, sha256)
    headers = {"Upload-Offset": str(s.offset), "Upload-Length": str(s.bytes), "Blob-Verified": str(s.verified).lower()}
    return Response(status_code=200, headers=headers)


@router.post(
    "/{sha256}",
    response_model=BlobStatus,
    responses={200: {"description": "The upload exists already"}, 201: {"model": BlobStatus, "description": "Started"}},
)
def create_blob(
    session: SessionDep, user: FieldUser, sha256: Sha256, data: BlobCreate, response: Response
) -> BlobStatus:
    status, created = service.create(session, user, sha256, size=data.bytes, mime=data.mime)
    response.status_code = 201 if created else 200
    return _status(status)


# hardening (issue 21): 507 blob.storage_full when the disk is full
APPEND_ANSWERS: dict[int | str, dict] = {204: {"description": "Chunk stored; send more"},
                                         507: {"description": "Storage full (blob.storage_full)"}}  # fmt: skip


@router.patch("/{sha256}", response_model=BlobStatus, responses=APPEND_ANSWERS)
def append_blob(
    session: SessionDep,
    user: FieldUser,
    sha256: Sha256,
    body: Annotated[bytes, Depends(chunk_body)],
    upload_offset: Annotated[int, Header(ge=0, le=2**63 - 1)],
    upload_checksum: Annotated[str | None, Header()] = None,
) -> Response | BlobStatus:
    checksum = None
    if upload_checksum is not None:
        algorithm, _, value = upload_checksum.partition(" ")
        if algorithm.lower() != "sha256" or not value:
            raise Invalid("blob.chunk_checksum", "Upload-Checksum must be 'sha256 <base64 digest>'.")
        checksum = value.strip()
    s = service.append(session, user, sha256, offset=upload_offset, data=body, checksum=checksum)
    if not s.verified:
        return Response(status_code=204, headers={"Upload-Offset": str(s.offset)})
    return _status(s)


def serve(session: Session, user: User, blob: Blob) -> Response:
    """The verified file, re-hashed first. A corrupt or missing file is answered, not raised, so the request's
    transaction commits the audited integrity event."""
    if not service.intact(session, blob, actor_id=user.id):
        problem = Problem("blob.integrity_failed", "The stored file no longer matches its hash; it was reported.")
        body = problem.body() | {"status": 500, "title": "Stored file damaged"}
        return JSONResponse(body, status_code=500, media_type="application/problem+json")
    # hardening (issue 21): never sniffed; only images are shown inline, anything else is a download
    disposition = "inline" if blob.mime.startswith("image/") else f'attachment; filename="{blob.sha256}"'
    return FileResponse(storage.open_blob(blob.sha256), media_type=blob.mime,
                        headers={"Cache-Control": "private, max-age=31536000, immutable",
                                 "X-Content-Type-Options": "nosniff", "Content-Disposition": disposition})  # fmt: skip


@router.get("/{sha256}")
def download_blob(session: SessionDep, user: FieldUser, sha256: Sha256) -> Response:
    """The uploader's own blob. Others read evidence through the inspection that cites it."""
    blob = service.get_verified(session, sha256)
    if blob.created_by != user.id:
        raise NotFound("blob.not_found", "No such file.")
    return serve(session, user, blob)

"""A member's own avatar and signature, the images as served, and an admin giving a
member a rank. The rank pages themselves are ``tinypier.profiles.admin``."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from tinypier.accounts.guards import require_admin, require_member
from tinypier.accounts.members import member_or_404
from tinypier.accounts.viewer import Viewer
from tinypier.attachments import attachment_path
from tinypier.db.connection import Database
from tinypier.forum.bbcode import SIGNATURE_TAGS, render_signature
from tinypier.i18n import _
from tinypier.profiles import store
from tinypier.profiles.admin import ROUTES as ADMIN_ROUTES
from tinypier.profiles.flood import admit_avatar_upload
from tinypier.profiles.forms import AssignRankData, AvatarData, SignatureData
from tinypier.profiles.images import STORED_CONTENT_TYPE, ImageRefused, normalized_png_off_loop
from tinypier.profiles.parts import AUTHOR_CARD, ONLINE_NOW, PROFILE_CARD, SIGNATURE
from tinypier.profiles.presence import track_presence
from tinypier.settings import Settings
from tinypier.torrents.forms import read_upload
from tinypier.web.extensions import Feature
from tinypier.web.numbers import whole_number
from tinypier.web.pages import redirect, render, route

ViewerRequest = Request[Viewer, Any, Any]
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
# Content-addressed: the bytes behind an address never change, so browsers keep them.
IMAGE_HEADERS = {
    "Cache-Control": "public, max-age=31536000, immutable",
    "X-Content-Type-Options": "nosniff",
    "Content-Disposition": "inline",
}


def _back_to_edit(request: ViewerRequest, message: str) -> Redirect:
    return redirect(route(request, "profiles:edit"), message, "success")


def _member_id(request: ViewerRequest) -> int:
    return request.user.id or 0


async def edit_page(
    request: ViewerRequest,
    db: Database,
    *,
    status_code: int = 200,
    signature: str | None = None,
    **problems: str,
) -> Template:
    """The avatar and signature forms; ``signature`` keeps what was typed after a refusal."""
    own = await store.own_profile(db, _member_id(request))
    return render(
        request,
        "profiles/edit.html",
        status_code=status_code,
        avatar=own["avatar"] if own else None,
        signature=signature if signature is not None else (own["signature"] if own else ""),
        signature_html=own["signature_html"] if own else "",
        signature_tags=" ".join(f"[{tag}]" for tag in SIGNATURE_TAGS),
        **problems,
    )


@get("/profile", name="profiles:edit", guards=[require_member])
async def edit_profile(request: ViewerRequest, db: NamedDependency[Database]) -> Template:
    return await edit_page(request, db)


@post("/profile/avatar", name="profiles:upload_avatar", guards=[require_member])
async def upload_avatar(
    request: ViewerRequest,
    db: NamedDependency[Database],
    settings: NamedDependency[Settings],
    data: AvatarData,
) -> Template | Redirect:
    """Refused with the reason and nothing changed, or stored re-encoded (``images``);
    at most ``avatar_uploads_per_hour`` uploads an hour (``profiles.flood``)."""
    flood = admit_avatar_upload(request.app.state, settings, _member_id(request))
    if flood is not None:
        return await edit_page(request, db, status_code=429, avatar_error=flood)
    upload = await read_upload(data.avatar, settings.avatar_upload_max_bytes)
    try:
        png = await normalized_png_off_loop(upload, settings)
    except ImageRefused as refused:
        return await edit_page(request, db, status_code=400, avatar_error=str(refused))
    await store.set_avatar(db, settings, _member_id(request), png)
    return _back_to_edit(request, _("Your avatar is saved."))


@post("/profile/avatar/remove", name="profiles:remove_avatar", guards=[require_member])
async def remove_avatar(
    request: ViewerRequest, db: NamedDependency[Database], settings: NamedDependency[Settings]
) -> Redirect:
    await store.set_avatar(db, settings, _member_id(request), None)
    return _back_to_edit(request, _("Your avatar is removed."))


def signature_problem(text: str, settings: Settings) -> str | None:
    if len(text) > settings.signature_max_chars:
        return _(
            "A signature is at most %(limit)s characters; this one has %(count)s.",
            limit=settings.signature_max_chars,
            count=len(text),
        )
    return None


@post("/profile/signature", name="profiles:save_signature", guards=[require_member])
async def save_signature(
    request: ViewerRequest,
    db: NamedDependency[Database],
    settings: NamedDependency[Settings],
    data: SignatureData,
) -> Template | Redirect:
    text = data.signature.strip()
    problem = signature_problem(text, settings)
    if problem:
        return await edit_page(
            request, db, status_code=400, signature=data.signature, signature_error=problem
        )
    html = await asyncio.to_thread(render_signature, text) if text else ""
    await store.set_signature(db, _member_id(request), text, html)
    return _back_to_edit(request, _("Your signature is saved."))


@get("/images/{digest:str}", name="profiles:image")
async def image(
    db: NamedDependency[Database], settings: NamedDependency[Settings], digest: FromPath[str]
) -> Response[bytes]:
    """An avatar or rank image: only digests one of them uses (the same store holds
    .torrent files), always as the PNG the board made."""
    if not _DIGEST.match(digest) or not await store.image_is_shown(db, digest):
        raise NotFoundException(_("No such image."))
    path = attachment_path(settings, digest)
    try:
        content = await asyncio.to_thread(path.read_bytes)
    except FileNotFoundError:
        raise NotFoundException(_("No such image.")) from None
    return Response(content, media_type=STORED_CONTENT_TYPE, headers=IMAGE_HEADERS)


@post("/members/{member_id:int}/rank", name="profiles:assign_rank", guards=[require_admin])
async def assign_rank(
    request: ViewerRequest,
    db: NamedDependency[Database],
    member_id: FromPath[int],
    data: AssignRankData,
) -> Redirect:
    """An admin gives the member a rank, or (an empty choice) takes it back."""
    member = await member_or_404(db, member_id)
    profile = route(request, "forum:member", member_id=member_id)
    rank = None
    if data.rank_id.strip():
        rank_id = whole_number(data.rank_id)
        rank = await store.rank_by_id(db, rank_id) if rank_id is not None else None
        if rank is None:
            return redirect(profile, _("There is no such rank."), "error")
    await store.assign_rank(db, _member_id(request), member, rank)
    if rank is None:
        message = _("%(name)s now has the rank their posts earn.", name=member["name"])
    else:
        message = _("%(name)s now has the rank %(rank)s.", name=member["name"], rank=rank["title"])
    return redirect(profile, message, "success")


FEATURE = Feature(
    "profiles",
    (edit_profile, upload_avatar, remove_avatar, save_signature, image, assign_rank, *ADMIN_ROUTES),
    index_extensions=(ONLINE_NOW,),
    profile_extensions=(PROFILE_CARD,),
    author_extensions=(AUTHOR_CARD, SIGNATURE),
    middleware=(track_presence,),
)

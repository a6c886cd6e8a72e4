"""Group pages: the list, a group with its members, joining, leaving and requests, and the
admin pages that create, edit and delete groups and grant them forum rights.

Every change of who holds a group's rights tells the tracker about each member concerned
(``changes.user_changed``): a member's cached download rights are dropped and read again
at their next announce. Pages read grants fresh with each request (``accounts.sessions``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import aiosqlite
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import (
    ClientException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from tinypier.accounts.guards import require_admin, require_member
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum import queries as forum_queries
from tinypier.forum.forms import ConfirmData
from tinypier.forum.moderation_log import log_action
from tinypier.forum.pagination import paginate
from tinypier.groups import queries
from tinypier.groups.forms import AddMemberData, GroupData, GroupForm
from tinypier.i18n import N_, _, ngettext
from tinypier.permissions.grants import Right
from tinypier.permissions.groups import (
    can_join,
    can_leave,
    can_manage_members,
    can_request,
)
from tinypier.permissions.rules import can_view
from tinypier.web.confirm import Confirmation, render_confirmation, unconfirmed
from tinypier.web.extensions import Feature
from tinypier.web.pages import redirect, render, route

ViewerRequest = Request[Viewer, Any, Any]

JOIN_MODE_LABELS = {
    "open": N_("open: members join by themselves"),
    "request": N_("by request: a leader approves"),
    "closed": N_("closed: only leaders and admins add members"),
}
RIGHT_LABELS = {
    Right.VIEW: N_("view"),
    Right.READ: N_("read"),
    Right.POST: N_("start topics"),
    Right.REPLY: N_("reply"),
    Right.UPLOAD: N_("upload releases"),
    Right.DOWNLOAD: N_("download"),
    Right.MODERATE: N_("moderate"),
}
HOLDING = ("member", "leader")


def viewer_id(viewer: Viewer) -> int:
    if viewer.id is None:
        raise NotAuthorizedException(_("Log in to continue."))
    return viewer.id


async def existing_group(db: Database, group_id: int) -> sqlite3.Row:
    group = await queries.group_by_id(db, group_id)
    if group is None:
        raise NotFoundException(_("There is no such group."))
    return group


def tell_tracker(request: ViewerRequest, user_ids: Iterable[int]) -> None:
    """Members whose rights changed: the tracker reads them again at their next announce."""
    for user_id in user_ids:
        request.app.state.changes.user_changed(user_id)


async def managed_group(db: Database, viewer: Viewer, group_id: int) -> sqlite3.Row:
    """A group the viewer leads (or any group, for an admin); 403 for anyone else."""
    group = await existing_group(db, group_id)
    if not can_manage_members(viewer, await queries.membership(db, group_id, viewer.id)):
        raise PermissionDeniedException(_("Only the group's leaders and admins may do that."))
    return group


async def log_group_action(
    db: Database, viewer: Viewer, action: str, group: sqlite3.Row, details: str
) -> None:
    async with db.transaction() as connection:
        await log_action(connection, viewer.id, action, "group", group["id"], details)


async def visible_grants(
    db: Database, viewer: Viewer, group_id: int
) -> list[tuple[sqlite3.Row, list[str]]]:
    """The group's rights by forum, for the forums the viewer may view (a private forum's
    name does not leak through a group page)."""
    granted = await queries.grants_of(db, group_id)
    shown = []
    for forum in await forum_queries.all_forums(db):
        rights = [RIGHT_LABELS[right] for right in Right if (forum["id"], right) in granted]
        if rights and can_view(viewer, forum):
            shown.append((forum, rights))
    return shown


class GroupsController(Controller):
    """The pages every visitor reads and the actions members take on a group."""

    @get("/groups", name="groups:list")
    async def groups(self, request: ViewerRequest, db: NamedDependency[Database]) -> Template:
        return render(
            request,
            "groups/list.html",
            groups=await queries.all_groups(db),
            join_mode_labels=JOIN_MODE_LABELS,
        )

    @get("/groups/{group_id:int}", name="groups:group")
    async def group(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        group_id: FromPath[int],
        page: FromQuery[str | None] = None,
    ) -> Template:
        viewer = request.user
        group = await existing_group(db, group_id)
        status = await queries.membership(db, group_id, viewer.id)
        managing = can_manage_members(viewer, status)
        pagination = paginate(
            page, await queries.member_count(db, group_id, HOLDING), queries.MEMBERS_PER_PAGE
        )
        pending = await queries.members_page(db, group_id, ("pending",), 0) if managing else []
        return render(
            request,
            "groups/group.html",
            group=group,
            status=status,
            managing=managing,
            may_join=can_join(viewer, group["join_mode"], status),
            may_request=can_request(viewer, group["join_mode"], status),
            may_leave=can_leave(viewer, status),
            members=await queries.members_page(db, group_id, HOLDING, pagination.offset),
            pagination=pagination,
            pending=pending,
            grants=await visible_grants(db, viewer, group_id),
            join_mode_labels=JOIN_MODE_LABELS,
        )

    @post("/groups/{group_id:int}/join", name="groups:join", guards=[require_member])
    async def join(
        self, request: ViewerRequest, db: NamedDependency[Database], group_id: FromPath[int]
    ) -> Redirect:
        """Join an open group, or ask to join a request group; a closed one refuses."""
        viewer = request.user
        member = viewer_id(viewer)
        group = await existing_group(db, group_id)
        status = await queries.membership(db, group_id, member)
        page = route(request, "groups:group", group_id=group_id)
        if status is not None:
            return redirect(page, _("You are already in this group or asked to join it."))
        if can_join(viewer, group["join_mode"], status):
            async with db.transaction() as connection:
                await queries.set_status(connection, group_id, member, "member")
            tell_tracker(request, [member])
            return redirect(page, _("You joined the group."), "success")
        if can_request(viewer, group["join_mode"], status):
            async with db.transaction() as connection:
                await queries.set_status(connection, group_id, member, "pending")
            return redirect(page, _("Your request is sent: a leader of the group will answer it."))
        raise PermissionDeniedException(_("This group is closed: only its leaders add members."))

    @post("/groups/{group_id:int}/leave", name="groups:leave", guards=[require_member])
    async def leave(
        self, request: ViewerRequest, db: NamedDependency[Database], group_id: FromPath[int]
    ) -> Redirect:
        """Leave the group, or withdraw a request; its rights end at once."""
        member = viewer_id(request.user)
        await existing_group(db, group_id)
        async with db.transaction() as connection:
            removed = await queries.remove_member(connection, group_id, member)
        page = route(request, "groups:group", group_id=group_id)
        if not removed:
            return redirect(page, _("You are not in this group."))
        tell_tracker(request, [member])
        return redirect(page, _("You left the group."), "success")

    async def _answer(
        self, request: ViewerRequest, db: Database, group_id: int, user_id: int, approve: bool
    ) -> Redirect:
        await managed_group(db, request.user, group_id)
        if await queries.membership(db, group_id, user_id) != "pending":
            raise NotFoundException(_("There is no such request."))
        name: str = await db.fetch_value("SELECT name FROM users WHERE id = ?", (user_id,))
        async with db.transaction() as connection:
            if approve:
                await queries.set_status(connection, group_id, user_id, "member")
            else:
                await queries.remove_member(connection, group_id, user_id)
            action = "approve group request" if approve else "refuse group request"
            await log_action(connection, request.user.id, action, "group", group_id, name)
        tell_tracker(request, [user_id])
        message = _("The request is approved.") if approve else _("The request is refused.")
        return redirect(route(request, "groups:group", group_id=group_id), message, "success")

    @post(
        "/groups/{group_id:int}/requests/{user_id:int}/approve",
        name="groups:approve",
        guards=[require_member],
    )
    async def approve(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        group_id: FromPath[int],
        user_id: FromPath[int],
    ) -> Redirect:
        return await self._answer(request, db, group_id, user_id, approve=True)

    @post(
        "/groups/{group_id:int}/requests/{user_id:int}/refuse",
        name="groups:refuse",
        guards=[require_member],
    )
    async def refuse(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        group_id: FromPath[int],
        user_id: FromPath[int],
    ) -> Redirect:
        return await self._answer(request, db, group_id, user_id, approve=False)

    @post("/groups/{group_id:int}/members", name="groups:add_member", guards=[require_member])
    async def add_member(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        group_id: FromPath[int],
        data: AddMemberData,
    ) -> Redirect:
        """A leader or an admin adds a member by name; only an admin names a leader."""
        viewer = request.user
        await managed_group(db, viewer, group_id)
        if data.leader is not None and not viewer.is_admin:
            raise PermissionDeniedException(_("Only admins name a group's leaders."))
        member = await queries.member_by_name(db, data.name)
        page = route(request, "groups:group", group_id=group_id)
        if member is None:
            return redirect(page, _("There is no active member by that name."), "error")
        status = "leader" if data.leader is not None else "member"
        async with db.transaction() as connection:
            await queries.set_status(connection, group_id, member["id"], status)
            action = "add group leader" if status == "leader" else "add to group"
            await log_action(connection, viewer.id, action, "group", group_id, member["name"])
        tell_tracker(request, [member["id"]])
        return redirect(page, _("%(name)s is in the group.", name=member["name"]), "success")

    @post(
        "/groups/{group_id:int}/members/{user_id:int}/remove",
        name="groups:remove_member",
        guards=[require_member],
    )
    async def remove_member(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        group_id: FromPath[int],
        user_id: FromPath[int],
    ) -> Redirect:
        """A leader removes members (and drops requests); only an admin removes a leader."""
        viewer = request.user
        await managed_group(db, viewer, group_id)
        status = await queries.membership(db, group_id, user_id)
        if status is None:
            raise NotFoundException(_("That member is not in the group."))
        if status == "leader" and not viewer.is_admin and user_id != viewer.id:
            raise PermissionDeniedException(_("Only admins remove a group's leaders."))
        name: str = await db.fetch_value("SELECT name FROM users WHERE id = ?", (user_id,))
        async with db.transaction() as connection:
            await queries.remove_member(connection, group_id, user_id)
            await log_action(connection, viewer.id, "remove from group", "group", group_id, name)
        tell_tracker(request, [user_id])
        return redirect(
            route(request, "groups:group", group_id=group_id),
            _("%(name)s is no longer in the group.", name=name),
            "success",
        )


def group_problem(form: GroupForm) -> str | None:
    name = form.name.strip()
    if not name:
        return _("The name is empty.")
    if len(name) > queries.MAX_NAME_LENGTH:
        return _("Names may not be longer than %(num)s characters.", num=queries.MAX_NAME_LENGTH)
    if len(form.description) > queries.MAX_DESCRIPTION_LENGTH:
        return ngettext(
            "The description may not be longer than %(num)s character.",
            "The description may not be longer than %(num)s characters.",
            queries.MAX_DESCRIPTION_LENGTH,
        )
    return None


def group_spec(form: GroupForm) -> queries.GroupSpec:
    return queries.GroupSpec(form.name.strip(), form.description.strip(), form.join_mode)


def parse_grants(values: Iterable[str], forum_ids: set[int]) -> dict[int, set[Right]]:
    """Ticked boxes ``forum_id:right`` as rights by forum; anything else is refused."""
    chosen: dict[int, set[Right]] = {forum_id: set() for forum_id in forum_ids}
    for value in values:
        forum_part, _sep, right_part = value.partition(":")
        try:
            forum_id, right = int(forum_part), Right(right_part)
        except ValueError:
            raise ClientException(_("Choose rights among the forums' own.")) from None
        if forum_id not in forum_ids:
            raise ClientException(_("Choose rights among the forums' own."))
        chosen[forum_id].add(right)
    return chosen


class GroupAdminController(Controller):
    """Admins create, edit and delete groups and grant their forum rights."""

    path = "/admin/groups"
    guards = [require_admin]

    def _form(
        self,
        request: ViewerRequest,
        form: GroupForm,
        action: str,
        *,
        status_code: int = 200,
        problem: str | None = None,
    ) -> Template:
        return render(
            request,
            "groups/admin_form.html",
            status_code=status_code,
            form=form,
            action=action,
            problem=problem,
            join_mode_labels=JOIN_MODE_LABELS,
            editing=action != route(request, "groups:create"),
        )

    async def _save(
        self,
        request: ViewerRequest,
        db: Database,
        data: GroupData,
        action: str,
        write: Callable[[aiosqlite.Connection, queries.GroupSpec], Awaitable[int]],
        verb: str,
        saved: str,
    ) -> Template | Redirect:
        """Creating and editing alike: ``write`` stores the group and says its id, logged
        as ``verb``; a refused form or a taken name shows the form again, nothing saved."""
        problem = group_problem(data)
        if problem is None:
            try:
                async with db.transaction() as connection:
                    group_id = await write(connection, group_spec(data))
                    await log_action(
                        connection, request.user.id, verb, "group", group_id, data.name.strip()
                    )
            except sqlite3.IntegrityError:
                problem = _("Another group has that name.")
        if problem is not None:
            return self._form(request, data, action, status_code=400, problem=problem)
        return redirect(route(request, "groups:group", group_id=group_id), saved, "success")

    @get("/new", name="groups:new_form")
    async def new_form(self, request: ViewerRequest) -> Template:
        return self._form(request, GroupForm(), route(request, "groups:create"))

    @post("/new", name="groups:create")
    async def create(
        self, request: ViewerRequest, db: NamedDependency[Database], data: GroupData
    ) -> Template | Redirect:
        return await self._save(
            request, db, data, route(request, "groups:create"),
            queries.create_group, "create", _("Group created."),
        )  # fmt: skip

    @get("/{group_id:int}/edit", name="groups:edit_form")
    async def edit_form(
        self, request: ViewerRequest, db: NamedDependency[Database], group_id: FromPath[int]
    ) -> Template:
        group = await existing_group(db, group_id)
        form = GroupForm(group["name"], group["description"], group["join_mode"])
        return self._form(request, form, route(request, "groups:update", group_id=group_id))

    @post("/{group_id:int}/edit", name="groups:update")
    async def update(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        group_id: FromPath[int],
        data: GroupData,
    ) -> Template | Redirect:
        await existing_group(db, group_id)

        async def write(connection: aiosqlite.Connection, spec: queries.GroupSpec) -> int:
            await queries.update_group(connection, group_id, spec)
            return group_id

        return await self._save(
            request, db, data, route(request, "groups:update", group_id=group_id),
            write, "update group", _("Group saved."),
        )  # fmt: skip

    @get("/{group_id:int}/delete", name="groups:delete_confirm")
    async def confirm_delete(
        self, request: ViewerRequest, db: NamedDependency[Database], group_id: FromPath[int]
    ) -> Template:
        """What deleting the group does, and the button that does it (changes nothing)."""
        group = await existing_group(db, group_id)
        members = await queries.member_count(db, group_id, HOLDING)
        return render_confirmation(
            request,
            Confirmation(
                heading=_("Delete the group “%(name)s”?", name=group["name"]),
                action=route(request, "groups:delete", group_id=group_id),
                button=_("Delete group"),
                cancel=route(request, "groups:group", group_id=group_id),
                consequences=[
                    ngettext(
                        "Its %(num)s member loses the forum rights the group granted.",
                        "Its %(num)s members lose the forum rights the group granted.",
                        members,
                    ),
                    _("Their accounts, posts and releases stay."),
                ],
            ),
        )

    @post("/{group_id:int}/delete", name="groups:delete")
    async def delete(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        group_id: FromPath[int],
        data: ConfirmData,
    ) -> Redirect:
        group = await existing_group(db, group_id)
        ask = unconfirmed(data.confirm, route(request, "groups:delete_confirm", group_id=group_id))
        if ask is not None:
            return ask
        concerned = await queries.member_ids(db, group_id)
        async with db.transaction() as connection:
            await queries.delete_group(connection, group_id)
            await log_action(
                connection, request.user.id, "delete", "group", group_id, group["name"]
            )
        tell_tracker(request, concerned)
        return redirect(route(request, "groups:list"), _("Group deleted."), "success")

    @get("/{group_id:int}/rights", name="groups:rights_form")
    async def rights_form(
        self, request: ViewerRequest, db: NamedDependency[Database], group_id: FromPath[int]
    ) -> Template:
        group = await existing_group(db, group_id)
        return render(
            request,
            "groups/rights.html",
            group=group,
            forums=await forum_queries.all_forums(db),
            rights=list(Right),
            right_labels=RIGHT_LABELS,
            granted=await queries.grants_of(db, group_id),
        )

    @post("/{group_id:int}/rights", name="groups:rights")
    async def save_rights(
        self, request: ViewerRequest, db: NamedDependency[Database], group_id: FromPath[int]
    ) -> Redirect:
        """Set every forum's rights at once (field ``grant``: ``forum_id:right`` per box);
        each forum whose rights changed gets a log entry filed under it."""
        group = await existing_group(db, group_id)
        forums = {forum["id"]: forum for forum in await forum_queries.all_forums(db)}
        form = await request.form()
        chosen = parse_grants(form.getall("grant", []), set(forums))
        before = await queries.grants_of(db, group_id)
        async with db.transaction() as connection:
            for forum_id, rights in chosen.items():
                had = {right for forum, right in before if forum == forum_id}
                if had == rights:
                    continue
                await queries.replace_forum_grants(connection, group_id, forum_id, sorted(rights))
                await log_action(
                    connection, request.user.id, "set group rights", "group", group_id,
                    forums[forum_id]["name"], forum_id=forum_id,
                )  # fmt: skip
        tell_tracker(request, await queries.member_ids(db, group_id))
        return redirect(
            route(request, "groups:rights_form", group_id=group_id),
            _("The rights of %(name)s are saved.", name=group["name"]),
            "success",
        )


FEATURE = Feature("groups", (GroupsController, GroupAdminController))

"""Ranks: titles admins define, earned by post count or given to a member, shown under
the author's name and on the profile; every change logged in the moderation log."""

from __future__ import annotations

from tests.forum.conftest import Board, Client, log_in, seed_topic, submit
from tests.profiles.conftest import image_bytes, upload

RANKS = "/admin/ranks"


def create_rank(client: Client, board: Board, title: str, min_posts: str = "") -> int:
    response = submit(client, RANKS, RANKS, {"title": title, "min_posts": min_posts})
    assert response.status_code == 303, response.text
    return int(board.value("SELECT MAX(id) FROM ranks"))


def rank_under_name(page: str) -> list[str]:
    return [chunk.split("</span>")[0] for chunk in page.split('<span class="rank-title">')[1:]]


def test_members_earn_the_highest_rank_their_posts_reach(client: Client, board: Board) -> None:
    log_in(client, board.admin)
    create_rank(client, board, "Newcomer", "0")
    create_rank(client, board, "Regular", "3")
    create_rank(client, board, "Veteran", "100")
    topic = seed_topic(board.settings, board.public_forum, board.user, "Chatty", replies=2)
    seed_topic(board.settings, board.public_forum, board.other_user, "Quiet")

    page = client.get(f"/topics/{topic.topic_id}").text

    assert board.post_count(board.user) == 3
    assert rank_under_name(page) == ["Regular", "Regular", "Regular"]
    quiet = client.get(f"/members/{board.other_user.id}").text
    assert rank_under_name(quiet) == ["Newcomer"]


def test_an_assigned_rank_wins_over_post_count_until_taken_back(
    client: Client, board: Board
) -> None:
    log_in(client, board.admin)
    create_rank(client, board, "Regular", "0")
    uploader = create_rank(client, board, "Trusted uploader")
    profile = f"/members/{board.user.id}"

    response = submit(client, profile, f"{profile}/rank", {"rank_id": str(uploader)})

    assert response.status_code == 303
    assert rank_under_name(client.get(profile).text) == ["Trusted uploader"]
    submit(client, profile, f"{profile}/rank", {"rank_id": ""})
    assert rank_under_name(client.get(profile).text) == ["Regular"]
    log_page = client.get("/moderation").text
    assert "the rank “Trusted uploader”" in log_page
    assert "back the rank their posts earn" in log_page


def test_a_rank_without_a_post_count_is_never_earned(client: Client, board: Board) -> None:
    log_in(client, board.admin)
    create_rank(client, board, "Moderator's friend")
    seed_topic(board.settings, board.public_forum, board.user, "Many", replies=10)

    assert rank_under_name(client.get(f"/members/{board.user.id}").text) == []


def test_ranks_are_edited_and_deleted_with_a_log_entry(client: Client, board: Board) -> None:
    log_in(client, board.admin)
    rank = create_rank(client, board, "Old title", "5")
    edit = f"{RANKS}/{rank}/edit"

    submit(client, edit, edit, {"title": "New title", "min_posts": "7"})
    assert board.rows("SELECT title, min_posts FROM ranks") == [("New title", 7)]
    delete = f"{RANKS}/{rank}/delete"
    assert submit(client, delete, delete, {"confirm": "yes"}).status_code == 303

    assert board.rows("SELECT COUNT(*) FROM ranks") == [(0,)]
    log_page = client.get("/moderation").text
    for sentence in ("created the rank “Old title”", "saved the rank “New title”",
                     "deleted the rank “New title”"):  # fmt: skip
        assert sentence in log_page


def test_bad_rank_forms_are_refused_and_change_nothing(client: Client, board: Board) -> None:
    log_in(client, board.admin)
    for form, says in [
        ({"title": "", "min_posts": "1"}, "needs a title"),
        ({"title": "x" * 61, "min_posts": "1"}, "at most 60 characters"),
        ({"title": "Odd", "min_posts": "-3"}, "whole number"),
        ({"title": "Odd", "min_posts": "²"}, "whole number"),
    ]:
        response = submit(client, RANKS, RANKS, form)
        assert response.status_code == 400 and says in response.text
    refused_image = upload(client, RANKS, RANKS, "image", b"<svg/>", "r.svg", "image/svg+xml",
                           title="Pictured")  # fmt: skip
    assert refused_image.status_code == 400
    assert board.rows("SELECT COUNT(*) FROM ranks") == [(0,)]
    assert board.rows("SELECT COUNT(*) FROM attachments") == [(0,)]


def test_a_rank_image_is_shown_and_removed_with_its_rank(client: Client, board: Board) -> None:
    log_in(client, board.admin)
    created = upload(client, RANKS, RANKS, "image", image_bytes("GIF", (300, 300)), "star.gif",
                     "image/gif", title="Star", min_posts="0")  # fmt: skip
    assert created.status_code == 303
    digest = board.value("SELECT a.sha256 FROM ranks r JOIN attachments a ON a.id = r.image_id")

    assert f"/images/{digest}" in client.get(f"/members/{board.user.id}").text
    assert client.get(f"/images/{digest}").status_code == 200
    rank_id = board.value("SELECT id FROM ranks")
    delete = f"{RANKS}/{rank_id}/delete"
    submit(client, delete, delete, {"confirm": "yes"})

    assert client.get(f"/images/{digest}").status_code == 404
    assert board.rows("SELECT COUNT(*) FROM attachments") == [(0,)]


def test_only_admins_see_the_rank_form_on_profiles(client: Client, board: Board) -> None:
    log_in(client, board.moderator)
    page = client.get(f"/members/{board.user.id}").text
    assert 'name="rank_id"' not in page
    client.cookies.clear()
    log_in(client, board.admin)
    assert 'name="rank_id"' in client.get(f"/members/{board.user.id}").text

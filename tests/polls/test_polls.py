"""Polls in topics: who adds them, what a poll may be, voting, hidden results, closing."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.forum.board import Post, add_forum, add_topic, sql
from tests.forum.conftest import log_in, submit
from tests.helpers import FakeClock, Member, add_member
from tests.torrents.releases import Client
from tinypier.db.connection import Database
from tinypier.polls import clock as poll_clock
from tinypier.polls.queries import record_earlier_votes
from tinypier.settings import Settings

DAY = 86_400
WHERE_TO_MEET = {
    "question": "Where do we meet?",
    "options": "At the pier\nIn the park\n\n  On the boat  \n",
    "max_choices": "1",
    "days": "",
}


@dataclass(frozen=True)
class Scene:
    settings: Settings
    topic: Post
    starter: Member
    voter: Member
    moderator: Member

    @property
    def page(self) -> str:
        return f"/topics/{self.topic.topic_id}"

    def action(self, name: str = "") -> str:
        return f"{self.page}/poll{'/' + name if name else ''}"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    fake.now = time.time()
    monkeypatch.setattr(poll_clock, "clock", fake)
    return fake


@pytest.fixture
def scene(client: Client, settings: Settings) -> Scene:
    starter = add_member(settings, "starter")
    topic = add_topic(
        settings, add_forum(settings, "Lobby"), starter, "The meeting", "Let us decide."
    )
    return Scene(
        settings,
        topic,
        starter,
        add_member(settings, "voter"),
        add_member(settings, "mod", "moderator"),
    )


def act_as(client: Client, member: Member | None) -> None:
    client.cookies.clear()
    if member is not None:
        log_in(client, member)


def save_poll(client: Client, scene: Scene, **changes: str | None) -> httpx.Response:
    fields = {
        key: value for key, value in {**WHERE_TO_MEET, **changes}.items() if value is not None
    }
    return submit(client, scene.page, scene.action(), fields)


def vote(client: Client, scene: Scene, *choices: str) -> httpx.Response:
    return submit(client, scene.page, scene.action("vote"), {"choice": list(choices)})


def polls(scene: Scene) -> list[tuple[Any, ...]]:
    return [
        tuple(row)
        for row in sql(scene.settings, "SELECT question, max_choices, allow_change FROM polls")
    ]


def votes(scene: Scene) -> list[tuple[str, str]]:
    return [
        (str(row[0]), str(row[1]))
        for row in sql(
            scene.settings,
            "SELECT u.name, o.text FROM poll_votes v JOIN users u ON u.id = v.user_id"
            " JOIN poll_options o ON o.id = v.option_id ORDER BY u.name, o.position",
        )
    ]


@pytest.fixture
def poll(client: Client, scene: Scene, clock: FakeClock) -> Scene:
    """The starter's single-choice poll, no end, no changing votes."""
    act_as(client, scene.starter)
    assert save_poll(client, scene).status_code == 303
    return scene


def test_the_starter_adds_a_poll_from_the_opening_post(client: Client, scene: Scene) -> None:
    act_as(client, scene.starter)
    assert f'href="{scene.action()}"' in client.get(scene.page).text

    saved = save_poll(client, scene)
    page = client.get(scene.page).text

    assert saved.status_code == 303
    assert "Where do we meet?" in page
    assert page.index("At the pier") < page.index("In the park") < page.index("On the boat")
    assert f'href="{scene.action()}">Add a poll' not in page, "one poll per topic"
    assert polls(scene) == [("Where do we meet?", 1, 0)]


def test_another_member_may_not_add_a_poll_to_someone_elses_topic(
    client: Client, scene: Scene
) -> None:
    act_as(client, scene.voter)
    assert f'href="{scene.action()}"' not in client.get(scene.page).text

    assert client.get(scene.action()).status_code == 403
    assert save_poll(client, scene).status_code == 403
    assert polls(scene) == []


def test_a_moderator_adds_a_poll_to_any_topic(client: Client, scene: Scene) -> None:
    act_as(client, scene.moderator)

    assert save_poll(client, scene).status_code == 303
    assert len(polls(scene)) == 1


TWENTY_ONE = "\n".join(f"Option {number}" for number in range(1, 22))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"question": "   "}, "Write the poll&#39;s question."),
        ({"question": "Q" * 301}, "The question is too long: at most 300 characters."),
        ({"options": "Only one\n\n"}, "A poll has from 2 to 20 options, one per line."),
        ({"options": TWENTY_ONE}, "A poll has from 2 to 20 options, one per line."),
        ({"options": "Short\n" + "L" * 201}, "Option 2 is too long: at most 200 characters."),
        ({"options": "Yes\nyes"}, "Two options say the same thing"),
        ({"max_choices": "0"}, "Members may choose from 1 to 3 options."),
        ({"max_choices": "4"}, "Members may choose from 1 to 3 options."),
        ({"max_choices": "two"}, "Members may choose from 1 to 3 options."),
        ({"days": "0"}, "A poll runs from 1 to 365 days"),
        ({"days": "366"}, "A poll runs from 1 to 365 days"),
        ({"days": "-1"}, "A poll runs from 1 to 365 days"),
        ({"days": "9" * 40}, "A poll runs from 1 to 365 days"),
    ],
)
def test_a_bad_poll_is_refused_with_a_clear_message_and_nothing_stored(
    client: Client, scene: Scene, changes: dict[str, str], message: str
) -> None:
    act_as(client, scene.starter)

    response = save_poll(client, scene, **changes)

    assert response.status_code == 400
    assert message in response.text
    assert polls(scene) == []


def test_the_question_and_options_are_shown_as_text_never_as_markup(
    client: Client, scene: Scene
) -> None:
    act_as(client, scene.starter)
    attack = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'

    assert save_poll(client, scene, question=attack, options=f"{attack}\nSafe").status_code == 303
    page = client.get(scene.page).text
    form = client.get(scene.action()).text

    for shown in (page, form):
        assert "<script>alert(1)" not in shown
        assert "<img src=x" not in shown
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown


def test_results_are_hidden_until_the_viewer_votes(client: Client, poll: Scene) -> None:
    act_as(client, poll.starter)
    assert vote(client, poll, "2").status_code == 303
    act_as(client, poll.voter)

    before = client.get(poll.page).text
    assert vote(client, poll, "2").status_code == 303
    after = client.get(poll.page).text

    assert "1 member voted" in before
    assert "1 vote" not in before and "100%" not in before
    assert "The results are shown once you have voted" in before
    assert "2 votes, 100%" in after
    assert votes(poll) == [("starter", "In the park"), ("voter", "In the park")]


def test_guests_see_neither_results_nor_a_vote_button(client: Client, poll: Scene) -> None:
    act_as(client, poll.voter)
    vote(client, poll, "1")
    act_as(client, None)

    page = client.get(poll.page).text

    assert "Where do we meet?" in page
    assert poll.action("vote") not in page
    assert "100%" not in page
    assert client.post(poll.action("vote"), data={"choice": "1"}).status_code in (401, 403)


def test_a_second_vote_is_refused_when_the_poll_does_not_allow_changes(
    client: Client, poll: Scene
) -> None:
    act_as(client, poll.voter)
    assert vote(client, poll, "1").status_code == 303

    again = vote(client, poll, "3")

    assert again.status_code == 409
    assert "You have already voted in this poll." in again.text
    assert votes(poll) == [("voter", "At the pier")]


def test_a_vote_is_changed_where_the_poll_allows_it(client: Client, scene: Scene) -> None:
    act_as(client, scene.starter)
    assert save_poll(client, scene, max_choices="2", allow_change="on").status_code == 303
    act_as(client, scene.voter)
    assert vote(client, scene, "1", "2").status_code == 303

    changed = vote(client, scene, "3")

    assert changed.status_code == 303
    assert votes(scene) == [("voter", "On the boat")]
    assert "Change my vote" in client.get(scene.page).text


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ((), "Choose an option to vote for."),
        (("4",), "Choose among the poll&#39;s own options."),
        (("one",), "Choose among the poll&#39;s own options."),
        (("1", "2"), "You may choose at most 1 option."),
    ],
)
def test_a_bad_vote_is_refused_and_counts_nothing(
    client: Client, poll: Scene, choices: tuple[str, ...], message: str
) -> None:
    act_as(client, poll.voter)

    response = vote(client, poll, *choices)

    assert response.status_code == 400
    assert message in response.text
    assert votes(poll) == []


def test_the_poll_is_editable_only_until_the_first_vote(client: Client, poll: Scene) -> None:
    act_as(client, poll.starter)
    assert save_poll(client, poll, question="Where and when?").status_code == 303
    act_as(client, poll.voter)
    vote(client, poll, "1")
    act_as(client, poll.starter)

    assert client.get(poll.action()).status_code == 409
    refused = save_poll(client, poll, question="Changed after the vote?")
    assert refused.status_code == 409
    assert "Members have voted: the poll can no longer be changed." in refused.text
    assert polls(poll) == [("Where and when?", 1, 0)]
    assert votes(poll) == [("voter", "At the pier")]


def test_the_poll_closes_by_its_end_date(client: Client, scene: Scene, clock: FakeClock) -> None:
    act_as(client, scene.starter)
    assert save_poll(client, scene, days="2").status_code == 303
    vote(client, scene, "1")
    clock.now += 2 * DAY + 1
    act_as(client, scene.voter)

    page = client.get(scene.page).text
    late = vote(client, scene, "2")

    assert "closed" in page
    assert "1 vote, 100%" in page, "a closed poll shows its results to everyone"
    assert scene.action("vote") not in page
    assert late.status_code == 409
    assert "The poll is closed." in late.text
    assert votes(scene) == [("starter", "At the pier")]


def test_a_moderator_closes_and_deletes_the_poll(client: Client, poll: Scene) -> None:
    act_as(client, poll.voter)
    assert submit(client, poll.page, poll.action("close"), {}).status_code == 403
    act_as(client, poll.moderator)

    assert submit(client, poll.page, poll.action("close"), {}).status_code == 303
    act_as(client, poll.voter)
    assert vote(client, poll, "1").status_code == 409
    act_as(client, poll.moderator)
    assert submit(client, poll.page, poll.action("delete"), {}).status_code == 303

    assert polls(poll) == []
    assert "Where do we meet?" not in client.get(poll.page).text
    assert sql(poll.settings, "SELECT COUNT(*) FROM poll_options")[0][0] == 0
    log = client.get("/moderation").text
    assert "mod</a> closed the poll in topic" in log
    assert "mod</a> deleted the poll “Where do we meet?” in topic" in log


def test_closing_a_closed_poll_again_logs_nothing_more(client: Client, poll: Scene) -> None:
    act_as(client, poll.moderator)
    for _attempt in range(2):
        assert submit(client, poll.page, poll.action("close"), {}).status_code == 303

    logged = sql(poll.settings, "SELECT action FROM moderation_log WHERE target_type = 'topic'")
    assert [row[0] for row in logged] == ["close_poll"]


def test_no_vote_in_a_locked_topic(client: Client, poll: Scene) -> None:
    sql(poll.settings, "UPDATE topics SET locked = 1 WHERE id = ?", (poll.topic.topic_id,))
    act_as(client, poll.voter)

    assert vote(client, poll, "1").status_code == 403
    assert votes(poll) == []


def test_the_poll_counts_members_and_votes_in_russian(
    client: Client, poll: Scene, clock: FakeClock
) -> None:
    for member in (poll.starter, poll.voter):
        act_as(client, member)
        assert vote(client, poll, "1").status_code == 303

    page = client.get(poll.page, headers={"Accept-Language": "ru"}).text

    assert "Проголосовали 2 участника" in page
    assert "2 голоса, 100%" in page


def record_earlier(
    scene: Scene, totals: dict[int, int], voters: int, members: list[Member]
) -> None:
    """Votes cast before who chose what was kept, as an import records them."""

    async def run() -> None:
        db = Database(scene.settings.database_path)
        await db.open()
        try:
            await record_earlier_votes(
                db, scene.topic.topic_id, totals, voters, [(m.id, 1_000) for m in members]
            )
        finally:
            await db.close()

    asyncio.run(run())


def test_votes_without_a_choice_count_and_their_voters_cannot_vote_again(
    client: Client, scene: Scene
) -> None:
    act_as(client, scene.starter)
    assert save_poll(client, scene, allow_change="on").status_code == 303
    record_earlier(scene, {1: 4, 3: 1}, 5, [scene.voter])
    record_earlier(scene, {1: 4, 3: 1}, 5, [scene.voter])  # a rerun sets the same

    act_as(client, scene.voter)
    page = client.get(scene.page).text
    assert "5 members voted" in page
    assert "4 votes, 80%" in page and "0 votes, 0%" in page and "1 vote, 20%" in page
    assert scene.action("vote") not in page, "a vote without a choice cannot be changed"
    refused = vote(client, scene, "2")
    assert refused.status_code == 409
    assert "You have already voted in this poll." in refused.text

    act_as(client, scene.moderator)
    assert vote(client, scene, "2").status_code == 303
    page = client.get(scene.page).text
    assert "6 members voted" in page and "(1, 17%)" in page  # may change his own vote
    assert votes(scene) == [("mod", "In the park")]


def test_a_poll_with_earlier_votes_can_no_longer_be_changed(client: Client, scene: Scene) -> None:
    act_as(client, scene.starter)
    assert save_poll(client, scene).status_code == 303
    record_earlier(scene, {2: 1}, 1, [])

    assert client.get(scene.action()).status_code == 409
    refused = save_poll(client, scene, question="Changed after the vote?")
    assert refused.status_code == 409
    assert polls(scene) == [("Where do we meet?", 1, 0)]

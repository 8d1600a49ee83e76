"""/activity/: every change, filterable by person, assistant, group, kind and dates, paginated."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from assistants.models import Change
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def entry(
    revox_id="a1",
    name="Front desk",
    kind="update",
    group="general",
    actor=None,
    days_ago=0,
    **extra,
):
    values = {"before": {"name": "a"}, "after": {"name": "b"}, **extra}
    change = Change.objects.create(
        assistant_revox_id=revox_id, assistant_name=name, kind=kind, group=group, actor=actor,
        actor_name=(actor.get_full_name() if actor else ""), **values,
    )  # fmt: skip
    if days_ago:
        Change.objects.filter(pk=change.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
    return change


def shown(client, query: str = "") -> list[int]:
    page = client.get("/activity/" + query).content.decode()
    return [int(pk) for pk in re.findall(r'id="change-(\d+)"', page)]


@pytest.fixture
def feed(viewer):
    ed, ada = make_user("ed", "Editor"), make_user("ada", "Admin")
    return {
        "ed_voice": entry(actor=ed, group="voice", revox_id="a1", name="Front desk", days_ago=8),
        "ada_general": entry(actor=ada, revox_id="a2", name="Night line", days_ago=3),
        "outside": entry(
            kind="external", group="faq", revox_id="a2", name="Night line", days_ago=1
        ),
        "ada_delete": entry(
            actor=ada, kind="delete", group="", revox_id="a3", name="Old", after=None
        ),
        "users": (ed, ada),
    }


def test_it_lists_every_change_newest_first(feed, viewer_client):
    assert shown(viewer_client) == [
        feed[k].pk for k in ("ada_delete", "outside", "ada_general", "ed_voice")
    ]


def test_it_is_linked_from_the_top_bar(viewer_client):
    page = viewer_client.get("/assistants/").content.decode()
    nav = page[page.index('id="nav-faq-review"') :]
    assert nav.index('id="nav-activity"') < nav.index("</ul>")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?person=ED", ["ed_voice"]),
        ("?person=outside", ["outside"]),
        ("?assistant=night", ["outside", "ada_general"]),
        ("?assistant=a1", ["ed_voice"]),
        ("?group=voice", ["ed_voice"]),
        ("?group=none", ["ada_delete"]),
        ("?kind=external", ["outside"]),
        ("?since=DAYS4", ["ada_delete", "outside", "ada_general"]),
        ("?until=DAYS2", ["ada_general", "ed_voice"]),
        ("?since=DAYS9&until=DAYS5", ["ed_voice"]),
        ("?person=ADA&kind=delete", ["ada_delete"]),
    ],
)
def test_it_filters(feed, viewer_client, query, expected):
    ed, ada = feed["users"]
    today = timezone.localdate()
    query = query.replace("ED", str(ed.pk)).replace("ADA", str(ada.pk))
    query = re.sub(
        r"DAYS(\d)", lambda m: (today - timedelta(days=int(m.group(1)))).isoformat(), query
    )
    assert shown(viewer_client, query) == [feed[k].pk for k in expected]


def test_a_bad_filter_is_explained_not_a_crash(feed, viewer_client):
    response = viewer_client.get("/activity/?since=2025-05-10&until=2025-05-01")
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()


def test_it_pages_fifty_at_a_time_keeping_the_filters(viewer_client):
    for n in range(120):
        entry(revox_id=f"id{n}", name=f"Assistant {n}", group="voice")
    page = viewer_client.get("/activity/?group=voice").content.decode()
    assert len(re.findall(r'id="change-\d+"', page)) == 50 and "Page 1 of 3" in page
    assert 'href="?group=voice&amp;page=2"' in page
    assert len(shown(viewer_client, "?group=voice&page=3")) == 20


def test_a_page_costs_the_same_few_queries_however_many_people_made_the_changes(
    viewer_client, django_assert_max_num_queries
):
    people = [make_user(f"user{n}", "Editor") for n in range(10)]
    for n in range(50):
        entry(actor=people[n % 10], revox_id=f"id{n}", name=f"Assistant {n}")
    viewer_client.get("/activity/")  # warm: session, role
    with django_assert_max_num_queries(9):
        response = viewer_client.get("/activity/")
    assert response.status_code == 200 and "User7" in response.content.decode()


def test_an_external_change_says_who_made_it(feed, viewer_client):
    page = viewer_client.get("/activity/?kind=external").content.decode()
    assert "Outside the dashboard" in page and "Changed in Revox" in page

"""People and place corrections from the admin stick: they re-tag the stories they affect, and every stored
mention and figure says which rule found it."""

from __future__ import annotations

import pytest
from django.test import Client

from monitor.gazetteer import correction_records, place_records, sync_gazetteer
from monitor.models import Entity, Figure, GazetteerEntry, Mention, RetagJob
from monitor.retagging import run_retag_job
from monitor.tagging import tag_article
from sources.models import Article, Source
from tests.conftest import make_admin

pytestmark = pytest.mark.django_db

TEXT = ("QUETTA: Levies arrested Gul Zaman alias Shaheen near Kili Dargai on Monday. Shaheen was wanted in "
        "12 cases, the Frontier Research Council (FRC) said.")


def tagged(n: int) -> Article:
    source, _ = Source.objects.get_or_create(url="https://news.example/feed.xml")
    article = Article.objects.create(source=source, guid=str(n), url=f"https://news.example/{n}",
                                     canonical_url=f"https://news.example/{n}", url_hash=str(n),
                                     title=f"Arrest {n}", text=TEXT, status=Article.Status.EXTRACTED, claimed_by="test")
    tag_article(article)
    return article


def add_correction(client: Client, canonical: str, kind: str, aliases: str = "[]") -> RetagJob:
    client.force_login(make_admin())
    response = client.post("/admin/monitor/namecorrection/add/", {
        "canonical": canonical, "aliases": aliases, "kind": kind, "country": "PK", "enabled": "on"}, follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any("Re-tagging" in m for m in shown), shown
    return RetagJob.objects.latest("created_at")


def test_stored_mentions_and_figures_keep_their_rule() -> None:
    article = tagged(1)
    rules = dict(Mention.objects.filter(article=article).values_list("surface", "rule"))
    assert rules["FRC"] == "acronym-definition" and rules["QUETTA"] == "place-list"
    assert Figure.objects.get(article=article).rule == "digits+counted-phrase"


def test_adding_a_person_in_the_admin_retags_and_joins_the_alias(client: Client) -> None:
    article = tagged(1)
    job = add_correction(client, "Gul Zaman", "person", '["Shaheen"]')
    assert job.total == 1
    entry = GazetteerEntry.objects.get(canonical="Gul Zaman")
    assert entry.kind == "person" and entry.origin == GazetteerEntry.Origin.ADMIN and entry.key
    run_retag_job(job.pk)
    person = Entity.objects.get(kind=Entity.Kind.PERSON, name="Gul Zaman")
    assert "Shaheen" in person.aliases
    assert set(Mention.objects.filter(article=article, entity=person).values_list("rule", flat=True)) == {"correction"}


def test_saying_a_name_is_not_a_place_removes_it_on_retag(client: Client) -> None:
    article = tagged(1)
    places = set(Mention.objects.filter(article=article, entity__kind=Entity.Kind.PLACE)
                 .values_list("entity__name", flat=True))
    assert "Kili Dargai" in places or "Quetta" in places
    job = add_correction(client, "Quetta", "not-place", '["QUETTA"]')
    run_retag_job(job.pk)
    after = set(Mention.objects.filter(article=article, entity__kind=Entity.Kind.PLACE)
                .values_list("entity__name", flat=True))
    assert "Quetta" not in after
    assert [r["kind"] for r in correction_records()] == ["not-place"]


def test_sync_ships_the_places_and_keeps_admin_edits() -> None:
    added, _ = sync_gazetteer()
    assert added > 500
    assert GazetteerEntry.objects.filter(kind="place", canonical="North Nazimabad").exists()
    district = GazetteerEntry.objects.get(kind="place", canonical="Dera Ismail Khan")
    assert "D.I. Khan" in district.aliases
    GazetteerEntry.objects.filter(pk=district.pk).update(aliases=["DIK"], origin=GazetteerEntry.Origin.ADMIN)
    sync_gazetteer()
    assert GazetteerEntry.objects.get(pk=district.pk).aliases == ["DIK"]
    assert any(r["canonical"] == "Dera Ismail Khan" and r["aliases"] == ["DIK"] for r in place_records())

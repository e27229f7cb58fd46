"""Choice labels are Chinese in code, texts and the database; the API shows them in English when the
client asks for it (Accept-Language)."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.utils import translation

from cadrecare.core.i18n import choice_label
from cadrecare.org.choices import Ethnicity, Rank
from cadrecare.reminders.sources import SOURCES

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")


def _choice_fields() -> list[tuple[str, str, object]]:
    return [
        (f"{model._meta.label}.{field.name}", value, label)
        for app in apps.get_app_configs()
        if app.name.startswith("cadrecare.")
        for model in app.get_models()
        for field in model._meta.get_fields()
        if getattr(field, "flatchoices", None)
        for value, label in field.flatchoices
    ]


def test_every_choice_label_of_every_model_is_chinese() -> None:
    assert [(field, value) for field, value, label in _choice_fields() if not CJK.search(label)] == []


def test_every_choice_label_of_every_model_has_an_english_translation() -> None:
    # A new label without an entry in locale/en fails here: run `make messages` and translate it.
    with translation.override("en"):
        missing = [
            (field, value, choice_label(label))
            for field, value, label in _choice_fields()
            if CJK.search(choice_label(label))
        ]
    assert missing == []


def test_labels_in_code_stay_chinese_whatever_the_language() -> None:
    # Labels go into notices, reasons and exports that are stored: they must not depend on who asked.
    with translation.override("en"):
        assert Rank.SECTION_CHIEF.label == "正科"
        assert f"{Ethnicity('纳西族').label}" == "纳西族"
        assert choice_label(Ethnicity("纳西族").label) == "Naxi"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept_language", "rank_label", "gender_label"),
    [
        (None, "正科", "男"),
        ("zh-CN,zh;q=0.9", "正科", "男"),
        ("en-US,en;q=0.8", "Section chief", "Male"),
        ("fr-FR", "正科", "男"),
    ],
)
def test_the_api_answers_choice_labels_in_the_language_asked_for(
    cast, client_for, accept_language, rank_label, gender_label
) -> None:
    cast.cadre_a1.rank, cast.cadre_a1.gender = Rank.SECTION_CHIEF, "male"
    cast.cadre_a1.save(update_fields=["rank", "gender"])
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}

    response = client_for("hr_a1").get(f"/api/v1/cadres/{cast.cadre_a1.pk}/", **headers)

    assert response.status_code == 200
    assert (response.data["rank"], response.data["rank_label"]) == ("section_chief", rank_label)
    assert response.data["gender_label"] == gender_label
    assert response.data["ethnicity"] == cast.cadre_a1.ethnicity  # the stored value never changes
    assert "Accept-Language" in response["Vary"]


def test_every_kind_of_due_item_has_an_english_label() -> None:
    assert SOURCES, "the apps register their due-item sources when Django starts"
    with translation.override("en"):
        assert [kind for kind, source in SOURCES.items() if CJK.search(choice_label(source.label))] == []

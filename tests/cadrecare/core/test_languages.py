"""Choice labels are Chinese in code, texts and the database; the API shows them in English when the
client asks for it (Accept-Language)."""

from __future__ import annotations

import ast
import re
from gettext import GNUTranslations
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation
from rest_framework.test import APIClient

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


# ---------------------------------------------------------------------------
# Error messages: Chinese in code, through gettext, English in locale/en
# ---------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]
IDEOGRAPH = re.compile(r"[\u3400-\u9fff]")
GETTEXT_FUNCTIONS = {
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "pgettext",
    "pgettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
#: A call of one of these names builds an error a client is shown (DomainError and its kin, DRF and Django
#: ValidationError, PermissionDenied, a form's add_error, an exception raised for an import row).
ERROR_CALL = re.compile(r"(Error|Exception|Denied|Failed|Required|Invalid|NotFound)$|^add_error$")

#: Keywords and class attributes that hold the text of an error.
ERROR_KEYWORDS = {"error_messages", "default_error_messages", "default_detail", "message", "violation_error_message"}
#: Functions named so return why a value is refused (``citizen_id_problem``, ``checkup_problems``).
PROBLEM_FUNCTION = re.compile(r"problems?$")

#: Chinese error texts that are deliberately not translated, each with the reason.
NOT_USER_FACING = {
    # The solver library stays free of Django; this timeout is caught in rotation/services/generation.py,
    # which records its own sentence. The library's reasons a secretary reads are bilingual (Reason.zh/.en)
    # and picked by cadrecare.core.i18n.zh_or_en.
    ("scheduler/roster/solve.py", "在时限内既未找到排班，也未能证明无解"),
}


def _modules() -> list[Path]:
    paths = sorted((ROOT / "cadrecare").rglob("*.py")) + sorted((ROOT / "scheduler").rglob("*.py"))
    return [path for path in paths if "migrations" not in path.parts]


def _gettext_names(tree: ast.Module) -> dict[str, str]:
    """Local name -> django.utils.translation function, as the module imports them (`_`, `_t`, ...)."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in GETTEXT_FUNCTIONS:
                    names[alias.asname or alias.name] = alias.name
    return names


def _called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _parents(tree: ast.Module) -> dict[int, ast.AST]:
    return {id(child): parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}


def _in_problem_function(node: ast.AST, parents: dict[int, ast.AST]) -> bool:
    while id(node) in parents:
        node = parents[id(node)]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return bool(PROBLEM_FUNCTION.search(node.name))
    return False


def _collects_errors(current: ast.AST, literal: ast.AST, parents: dict[int, ast.AST]) -> bool:
    """`errors.add(row, field, "…")`, `problems.append((field, "…"))`, `errors[field] = "…"` and
    `{"field": …, "message": "…"}`: the error lists of imports, rules and services."""
    if isinstance(current, ast.Call) and isinstance(current.func, ast.Attribute):
        owner = current.func.value
        return (
            current.func.attr in ("add", "append")
            and isinstance(owner, ast.Name)
            and owner.id in ("errors", "problems")
        )
    if isinstance(current, ast.Assign):
        return any(
            isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and target.value.id == "errors"
            for target in current.targets
        )
    if isinstance(current, ast.Dict):
        return any(
            isinstance(key, ast.Constant) and key.value == "message" and _contains(value, literal)
            for key, value in zip(current.keys, current.values, strict=True)
        )
    return False


def _contains(tree: ast.AST | None, node: ast.AST) -> bool:
    return tree is not None and any(child is node for child in ast.walk(tree))


def _untranslated_error_texts(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    gettext_names = _gettext_names(tree)
    parents = _parents(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and IDEOGRAPH.search(node.value)):
            continue
        in_error, translated, current = False, False, node
        while id(current) in parents and not translated:
            current = parents[id(current)]
            if isinstance(current, ast.Call) and _called(current) in gettext_names:
                translated = True
            elif isinstance(current, ast.Call) and ERROR_CALL.search(_called(current)):
                in_error = True
            elif isinstance(current, ast.Raise | ast.Return) and _in_problem_function(current, parents):
                in_error = True
            elif isinstance(current, ast.Raise) or (isinstance(current, ast.keyword) and current.arg in ERROR_KEYWORDS):
                in_error = True
            elif isinstance(current, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id in ERROR_KEYWORDS for target in current.targets
            ):
                in_error = True
            elif _collects_errors(current, node, parents):
                in_error = True
        relative = str(path.relative_to(ROOT))
        if (
            in_error
            and not translated
            and not any(relative == where and node.value.startswith(start) for where, start in NOT_USER_FACING)
        ):
            found.append(f"{relative}:{node.lineno}: {node.value[:40]}")
    return found


def _gettext_messages(path: Path) -> tuple[list[tuple[str | None, str, str]], list[str]]:
    """(context, msgid, where) of every literal given to gettext, and the calls whose text is built at run
    time (an f-string or a concatenation is never found in the catalogue)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    gettext_names = _gettext_names(tree)
    messages, built = [], []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _called(node) in gettext_names and node.args):
            continue
        function = gettext_names[_called(node)]
        with_context = function.startswith(("pgettext", "npgettext"))
        context = node.args[0].value if with_context and isinstance(node.args[0], ast.Constant) else None
        text = node.args[1] if with_context else node.args[0]
        where = f"{path.relative_to(ROOT)}:{node.lineno}"
        if isinstance(text, ast.Constant) and isinstance(text.value, str):
            if CJK.search(text.value):
                messages.append((context, text.value, where))
        elif isinstance(text, ast.JoinedStr | ast.BinOp | ast.Call):
            built.append(where)  # a name is fine: it holds a text marked elsewhere with gettext_noop
    return messages, built


def test_every_chinese_error_message_goes_through_gettext() -> None:
    # A new `raise DomainError("…")` fails here: write `_("…")` (gettext at call time, gettext_lazy at
    # import time), with named placeholders `%(name)s` for what changes, and add the English to locale/en.
    assert [text for path in _modules() for text in _untranslated_error_texts(path)] == []


def test_gettext_is_given_the_literal_text_not_one_built_at_run_time() -> None:
    assert [where for path in _modules() for where in _gettext_messages(path)[1]] == []


def test_every_chinese_text_given_to_gettext_has_an_english_translation() -> None:
    # The compiled catalogue is what the server reads: add the entry to locale/en/LC_MESSAGES/django.po by
    # hand and run `manage.py compilemessages`.
    with (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        catalogue = GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    missing = [
        f"{where}: {msgid}"
        for path in _modules()
        for context, msgid, where in _gettext_messages(path)[0]
        if not catalogue.get(f"{context}\x04{msgid}" if context else msgid, "").strip()
    ]
    assert missing == []


@pytest.mark.django_db
def test_a_cadre_refused_in_english_is_told_why_in_english(cast, client_for) -> None:
    # given an HR officer whose browser asks for English
    client = client_for("hr_a1")

    # when they give a cadre a mobile number that cannot be one
    response = client.patch(
        f"/api/v1/cadres/{cast.cadre_a1.pk}/",
        {"phone": "12345"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # then the 400 says so in English, naming the field; Chinese stays the default
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "phone",
        "message": "The mobile number must be 11 digits starting with 1.",
    }
    chinese = client.patch(f"/api/v1/cadres/{cast.cadre_a1.pk}/", {"phone": "12345"}, format="json")
    assert chinese.json()["message"] == "手机号应为以1开头的11位数字。"


@pytest.mark.django_db
def test_a_roster_rule_broken_in_english_is_explained_in_english(cast, client_for) -> None:
    response = client_for("county_a_admin").post(
        "/api/v1/rotation-policies/",
        {"unit": cast.town_a1.pk, "effective_from": "2030-02", "mode": "monthly", "min_on_duty_ratio": "0.75"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == "min_on_duty_ratio"
    assert body["message"].startswith("A minimum share on duty of 0.75 cannot be met")
    assert not IDEOGRAPH.search(body["message"])


@pytest.mark.django_db
def test_a_wrong_password_in_english_is_refused_in_english(cast) -> None:
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": "hr_a1", "password": "wrong"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 401
    assert response.json()["message"]
    assert not IDEOGRAPH.search(str(response.json()))

"""HR's spreadsheets of cadres' families and of townships' post allowances,
through the one import machinery (``cadrecare.core.imports``)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from cadrecare.care.choices import Relation
from cadrecare.care.models import FamilyMember, PostAllowance
from cadrecare.care.services import ONE_LIVING, family_member_problems, one_living_problem, post_allowance_checked
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.core.imports import (
    Column,
    Importer,
    Planned,
    Row,
    RowErrors,
    against,
    choice,
    field_problems,
    labels,
    parse_bool,
    parse_cells,
    parse_date,
    parse_decimal,
    parse_month,
    required,
    text,
)
from cadrecare.org.choices import Gender, UnitKind
from cadrecare.org.imports import CadreMatcher, cadre_columns
from cadrecare.org.models import OrgUnit
from cadrecare.org.scoping import may_in_unit


class FamilyMemberImporter(Importer):
    """家属信息: a row per relative, matched to the cadre (身份证号, or 姓名 within
    the unit) and to a stored relative by relation and name: new relatives are
    added, changed ones updated, the rest left as they are."""

    resource = "family-members"
    title = "家属信息"
    columns = (
        *cadre_columns("干部"),
        Column("relation", "关系", "配偶", required=True, note=labels(Relation), parse=required(choice(Relation))),
        Column(
            "name",
            "家属姓名",
            "王芳",
            required=True,
            note="与关系一起找到已登记的家属：有则修改，无则新增",
            parse=required(text),
        ),
        Column("gender", "性别", "女", note=labels(Gender), parse=choice(Gender)),
        Column("birth_date", "出生日期", "1987-06-12", parse=parse_date),
        Column("work_unit", "工作单位或学校", "县第一中学", parse=text),
        Column("phone", "联系电话", "13900000000", parse=text),
        Column("lives_with_cadre", "与干部同住", "是", note="是或否", parse=parse_bool),
        Column("health_condition", "健康状况", "良好", parse=text),
        Column("notes", "备注", "", parse=text),
        Column("deceased_on", "去世日期", "", parse=parse_date),
    )
    preview = ("cadre_name", "relation", "name", "birth_date")

    def plan(self, rows: list[Row], errors: RowErrors) -> list[Planned]:
        matcher = CadreMatcher(user=self.user, resource=self.resource, rows=rows)
        stored: dict[tuple[int, str, str], FamilyMember] = {}
        for member in FamilyMember.objects.filter(cadre__in=matcher.cadres).order_by("id"):
            stored.setdefault((member.cadre_id, member.relation, member.name), member)
        today = clock.today()
        planned: list[Planned] = []
        seen: dict[tuple[int, str, str], int] = {}
        for row, cadre, values in matcher.matched(rows, self.parsers, errors):
            key = (cadre.pk, values["relation"], values["name"])
            if key in seen:
                errors.add(row.number, "name", _("与第 %(seen)s 行是同一位家属。") % {"seen": seen[key]})
                continue
            seen[key] = row.number
            member, outcome, changed = against(stored.get(key), values, FamilyMember(cadre=cadre, **values))
            member.cadre = cadre
            for name, message in [*field_problems(member).items(), *family_member_problems(member, cadre, today)]:
                errors.add(row.number, name, message)
            planned.append(Planned(row.number, outcome, member, changed, self.shown(row, cadre_name=cadre.name)))
        self._one_living(planned, stored.values(), errors)
        return planned

    @staticmethod
    def _one_living(planned: list[Planned], stored: Any, errors: RowErrors) -> None:
        """One living spouse, father and mother per cadre, counting the family
        as it will be: the stored members the file does not touch, and the file's."""
        touched = {row.record.pk for row in planned if row.record.pk}
        living: dict[tuple[int, str], list[int | None]] = defaultdict(list)
        for member in stored:
            if member.pk not in touched and member.relation in ONE_LIVING and member.deceased_on is None:
                living[(member.cadre_id, member.relation)].append(None)
        for row in planned:
            member = row.record
            if member.relation in ONE_LIVING and member.deceased_on is None:
                living[(member.cadre_id, member.relation)].append(row.row)
        for (_cadre, relation), numbers in living.items():
            if len(numbers) > 1:
                for number in numbers:
                    if number is not None:
                        errors.add(number, "relation", one_living_problem(relation))


class PostAllowanceImporter(Importer):
    """乡镇岗位补贴发放: a row per township and month, matched by both; each row
    checked by the rules the API's writes keep (``post_allowance_checked``) (few rows: a county's townships
    times the months)."""

    resource = "post-allowances"
    title = "岗位补贴发放"
    columns = (
        Column("township", "乡镇", "石头城镇", required=True, note="乡镇名称或代码"),
        Column(
            "month",
            "月份",
            "2024-05",
            required=True,
            note="与乡镇一起找到已登记的月份：有则修改，无则新增",
            parse=required(parse_month),
        ),
        Column("due_amount", "应发金额（元）", "12000", required=True, parse=required(parse_decimal)),
        Column("paid_amount", "实发金额（元）", "12000", parse=parse_decimal),
        Column("due_by", "应发放截止日", "2024-05-31", note="不填为当月最后一天", parse=parse_date),
        Column("paid_on", "发放日期", "2024-05-28", parse=parse_date),
        Column("note", "说明", "", parse=text),
    )
    preview = ("township", "month", "due_amount", "paid_amount", "paid_on")

    def plan(self, rows: list[Row], errors: RowErrors) -> list[Planned]:
        names = {row["township"] for row in rows if row["township"]}
        townships: dict[str, list[OrgUnit]] = defaultdict(list)
        for unit in OrgUnit.objects.filter(Q(code__in=names) | Q(name__in=names), kind=UnitKind.TOWNSHIP):
            townships[unit.code].append(unit)
            if unit.name != unit.code:
                townships[unit.name].append(unit)
        stored = {
            (allowance.township_id, allowance.month): allowance
            for allowance in PostAllowance.objects.filter(township__in=[u for us in townships.values() for u in us])
        }
        planned: list[Planned] = []
        seen: dict[tuple[int, Any], int] = {}
        for row in rows:
            township = self._township(row, townships, errors)
            values = parse_cells(row, self.parsers, errors)
            if township is None or errors.has(row.number):
                continue
            key = (township.pk, values["month"])
            if key in seen:
                errors.add(row.number, "month", _("与第 %(seen)s 行是同一乡镇同一月份。") % {"seen": seen[key]})
                continue
            seen[key] = row.number
            allowance = stored.get(key)
            data = {k: v for k, v in values.items() if v is not None or k in ("paid_on", "due_by")}
            if allowance is None:
                data["township"] = township
            else:
                data.pop("month")
            try:
                checked = post_allowance_checked(allowance=allowance, fields=data)
            except DomainError as error:
                errors.add(row.number, error.field if error.field in self.parsers else "township", error.message)
                continue
            record, outcome, changed = against(allowance, checked, PostAllowance(**checked))
            planned.append(Planned(row.number, outcome, record, changed, self.shown(row, township=township.name)))
        return planned

    def _township(self, row: Row, townships: dict[str, list[OrgUnit]], errors: RowErrors) -> OrgUnit | None:
        found = townships.get(row["township"], [])
        if not found:
            errors.add(
                row.number, "township", _("找不到代码或名称为“%(township)s”的乡镇。") % {"township": row["township"]}
            )
            return None
        if len(found) > 1:
            errors.add(
                row.number,
                "township",
                _("有 %(count)s 个名为“%(township)s”的乡镇，请填写乡镇代码。")
                % {"count": len(found), "township": row["township"]},
            )
            return None
        if not may_in_unit(self.user, self.resource, "import", found[0]):
            errors.add(row.number, "township", _("乡镇“%(name)s”不在您的管理范围内。") % {"name": found[0].name})
            return None
        return found[0]

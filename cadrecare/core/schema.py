"""The OpenAPI schema as its readers see it in /api/docs/ and /api/redoc/:
operations grouped by domain, each with a Chinese summary, and the error
responses every operation can give, in the one error shape
(cadrecare.core.errors).

One place decides the wording: a resource's name is its model's verbose name
(or ``RESOURCE_NAMES`` where the resource is a report over another model), its
tag is its app's domain (``DOMAINS``), and a summary is the action's verb on
that name (``VERBS``, ``ACTION_SUMMARIES``). ``@extend_schema(summary=...)``
on a view still wins.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.plumbing import get_view_model


# The logins gated on a first password change (org.initial_password) authenticate
# as JWT and session logins do; the docs name the same two schemes for them.
class GatedJWTScheme(SimpleJWTScheme):
    target_class = "cadrecare.org.initial_password.GatedJWTAuthentication"


class GatedSessionScheme(SessionScheme):
    target_class = "cadrecare.org.initial_password.GatedSessionAuthentication"


# App label -> (tag, what the domain holds), in the order the docs list them.
DOMAINS: dict[str, tuple[str, str]] = {
    "org": ("组织与干部", "单位树、科室站所、干部、职务变动、登录用户与角色授权"),
    "rotation": ("轮休排班", "节假日安排、轮休政策、外出请假、休息意愿、排班表的生成、调整、发布与换休召回"),
    "health": ("健康体检", "体检政策、体检记录与报告、体检活动、到期名单与健康档案"),
    "talks": ("谈心谈话", "六必谈事项、谈话记录、评优表彰、信访反映、班子标记、定期约谈与统计"),
    "care": ("关爱走访", "家属、家庭重大变故、走访任务与走访慰问、困难帮扶、五小设施、岗位补贴与交流人选"),
    "training": ("培训交流", "培训班、参观考察、工作交流：按基层优先推荐提名、出勤登记、培训经历与未参加培训干部统计"),
    "oversight": ("组织部门督办", "交流人选年度研判、年度定期约谈计划与进度、组织部长下基层记录与未走到的乡镇"),
    "establishment": ("乡镇编制", "乡镇核定编制数、实有与空编人数、乡镇干部被上级机关借用的登记与审核"),
    "selfservice": ("干部自助", "干部本人报告家庭变故或困难、家属信息变更申请与确认、心里话及其回复"),
    "reminders": ("提醒待办", "待办事项、站内通知、提醒规则与定时任务运行记录"),
    "audit": ("审计日志", "个人信息与敏感信息的每次查看和每次修改"),
    "secondments": ("挂职与基层经历", "挂职、跟班见习与借调的期限和期满决定，干部与班子成员的基层工作经历统计"),
    "core": ("登录与系统", "获取与刷新令牌、服务健康检查"),
}

# Resources that are reports over another model (whose verbose name would misname them).
RESOURCE_NAMES: dict[str, str] = {
    "staffing-check": "乡镇编制专编专用核查",
    "health-archives": "健康档案",
    "checkup-due": "体检到期名单",
    "regular-talks": "经常性谈话到期名单",
    "talk-summary": "谈心谈话统计",
    "transfer-candidates": "交流人选",
    "care-spending": "关爱经费",
    "facility-gaps": "五小设施缺口",
    "due-items": "待办事项",
    "rest-compliance": "休息落实情况",
    "experience": "干部基层工作经历",
}

# The standard actions, "{}" being the resource's name.
VERBS: dict[str, str] = {
    "list": "列出{}",
    "retrieve": "查看{}",
    "create": "新增{}",
    "update": "修改{}",
    "partial_update": "修改{}（部分字段）",
    "destroy": "删除{}",
    "export": "导出{}（Excel）",
    "waive": "免除{}",
    "import_file": "导入{}（Excel 或 CSV；dry_run=1 只预览不保存）",
    "import_template": "下载{}导入模板（Excel）",
}

# Custom actions, by "resource.action" (or "resource.action.METHOD" where methods differ).
ACTION_SUMMARIES: dict[str, str] = {
    "cadres.change_status": "登记干部离退休或调离（结束其待办谈话等事项）",
    "cadres.logins": "为单位干部批量开通登录账号（初始密码仅显示一次或短信发送）",
    "users.unlock": "解除账号的登录等待（他人试错导致）",
    "holiday-years.preview": "预览节假日安排的导入或更正",
    "rotation-policies.in_force": "查看某单位某月生效的轮休政策",
    "care-spending.export": "导出关爱经费（Excel）",
    "establishment-borrowings.review": "组织部审核乡镇干部借用（填写审核意见）",
    "establishment-borrowings.return_": "登记借用干部返回乡镇（借用结束）",
    "care-spending.totals": "查看某年度关爱经费的分类合计",
    "training-programmes.nominations": "查看培训的提名与出勤名单",
    "training-programmes.candidates": "按基层优先、久未参加优先推荐提名人选",
    "training-programmes.nominate": "确认培训提名（按推荐顺序）",
    "training-programmes.withdraw": "撤回一名干部的培训提名",
    "training-programmes.attendance": "登记培训出勤（参加者自动登记为外出培训）",
    "training-programmes.history": "查看干部的培训、考察与交流经历",
    "training-programmes.not_trained": "列出多年未参加培训的在岗干部",
    "training-programmes.not_trained_units": "按单位统计多年未参加培训的干部人数",
    "training-programmes.not_trained_export": "导出多年未参加培训的干部（Excel）",
    "commendations.statistics": "统计各乡镇逐年表彰奖励、追授和推荐人数",
    "commendations.export": "导出评优表彰登记（Excel）",
    "commendations.statistics_export": "导出评优表彰统计（Excel）",
    "notifications.read": "将一条通知标为已读",
    "notifications.read_all": "将全部通知标为已读",
    "notifications.unread_count": "查看未读通知数",
    "checkup-policies.effective": "查看某单位适用的体检政策",
    "health-checkups.attachment": "下载体检报告",
    "checkup-campaigns.attendance": "登记体检活动的参检情况",
    "checkup-campaigns.close": "结束体检活动并列出未参检人员",
    "talks.close_follow_up": "结束谈话后的跟进事项",
    "hardship-cases.review": "记录困难帮扶回访",
    "hardship-cases.first_contact": "记录新困难帮扶的首次联系（及时关心问候）",
    "rosters.edit": "调整排班（移动、互换、固定；已发布的排班调整今天及以后的日子）",
    "rosters.explain": "说明排班：某干部为何这样休、某日为何这么多人休息",
    "rosters.grid": "查看月排班表",
    "rosters.lock": "锁定排班表",
    "rosters.on_duty": "查看某日在岗人员",
    "rosters.problem": "查看排班问题（交换格式）",
    "rosters.publish": "发布排班表",
    "rosters.regenerate": "重新生成排班表",
    "rosters.solution": "查看排班结果（交换格式）",
    "rosters.versions": "查看排班的版本历史（谁改了什么、为什么）",
    "rosters.xlsx": "下载排班表（Excel，公示用）",
    "roster-days.feed_url.GET": "查看我的休息日日历订阅地址",
    "roster-days.feed_url.POST": "更换我的休息日日历订阅地址",
    "roster-days.ical": "休息日日历订阅（iCalendar，凭地址中的令牌）",
    "swap-requests.accept": "同意换休（被换方）",
    "swap-requests.decline": "拒绝换休（被换方）",
    "swap-requests.approve": "批准换休（党委书记）",
    "swap-requests.reject": "不批准换休（党委书记）",
    "swap-requests.withdraw": "撤回换休申请",
    "rest-compliance.units": "按单位统计休息落实情况",
    "self-reports.confirm": "确认干部本人报告（登记家庭变故或困难帮扶，只登记一次）",
    "self-reports.reject": "不采纳干部本人报告（写明理由）",
    "family-member-changes.confirm": "确认家属信息变更（写入家属信息）",
    "family-member-changes.reject": "不采纳家属信息变更（写明理由）",
    "messages.answer": "回复心里话",
    "transfer-reviews.decide": "登记一名交流人选的研判结果（拟交流、暂缓交流或本人不愿交流）",
    "interview-plans.progress": "查看约谈计划各乡镇的进度",
    "interview-plans.interviews": "登记一次定期约谈（记入谈心谈话，完成该干部的约谈）",
    "field-visits.not_visited": "列出本周期尚未下基层的乡镇",
    "missed-rest.taken": "确认外出期间的休息日其实已休（党委书记）",
    "rest-confirmations.resolve": "答复干部的月末休息更正（党委书记）",
    "secondments.decide": "作出挂职（借调）期满决定：期满返回、延期或转任",
    "experience.teams": "按班子统计基层工作经历（有基层一线经历、3年以上乡镇领导经历、担任过乡镇党委书记）",
    "experience.teams_export": "导出班子成员基层经历统计（Excel）",
}


def domain_of(view: Any) -> tuple[str, str] | None:
    config = apps.get_containing_app_config(type(view).__module__)
    return DOMAINS.get(config.label) if config is not None else None


def resource_name(view: Any) -> str:
    resource = getattr(view, "resource", "")
    if resource in RESOURCE_NAMES:
        return RESOURCE_NAMES[resource]
    model = get_view_model(view, emit_warnings=False)
    return str(model._meta.verbose_name) if model is not None else resource


class AutoSchema(BaseAutoSchema):
    """drf-spectacular's schema with the domain as tag and a Chinese summary."""

    def get_tags(self) -> list[str]:
        domain = domain_of(self.view)
        return [domain[0]] if domain else super().get_tags()

    def get_summary(self) -> str | None:
        resource = getattr(self.view, "resource", None)
        action = getattr(self.view, "action", None)
        if resource is None or action is None:
            return None
        for key in (f"{resource}.{action}.{self.method}", f"{resource}.{action}"):
            if key in ACTION_SUMMARIES:
                return ACTION_SUMMARIES[key]
        verb = VERBS.get(action)
        return verb.format(resource_name(self.view)) if verb else None


ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "message": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string", "nullable": True}, "message": {"type": "string"}},
            },
        },
    },
    "required": ["message", "code", "errors"],
}

_COMMON = {
    "400": "输入有误",
    "401": "未登录或令牌无效",
    "403": "无权执行此操作",
    "404": "不存在或不在您的管理范围内",
    "405": "不支持的方法",
    "406": "不支持的格式",
    "409": "与已有记录冲突",
    "412": "版本已过期",
    "413": "请求过大",
    "415": "不支持的媒体类型",
    "428": "缺少 If-Match 版本",
    "429": "请求过于频繁",
    "503": "服务暂时不可用",
}


def document_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, description in _COMMON.items():
                operation["responses"].setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": ref}}}
                )
    return result


def describe_domains(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """The domains' tags, in ``DOMAINS`` order with what each holds."""
    used = {
        tag
        for path_item in result.get("paths", {}).values()
        for operation in path_item.values()
        if isinstance(operation, dict)
        for tag in operation.get("tags", [])
    }
    result["tags"] = [{"name": tag, "description": description} for tag, description in DOMAINS.values() if tag in used]
    return result

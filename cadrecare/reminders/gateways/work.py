"""Work messaging: WeCom (企业微信, and 政务微信 at its own base address)
application messages and DingTalk (钉钉, and 浙政钉 deployments that keep the
same open API at their own address) work notifications.

Both take an access token fetched with the application's credentials and
cached until shortly before it expires; a send answered "token expired or
invalid" fetches a new one and tries once more. Rate limits retry later;
an unknown user or a refused application gives up.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from cadrecare.reminders.gateways import (
    GiveUp,
    NotConfigured,
    RetryLater,
    access_token,
    answer_json,
    client,
    require,
)


def agent_number(value: object, setting: str, vendor: str) -> int:
    """The application's agent id, a number in both APIs; anything else is a
    configuration error no retry can mend."""
    if not str(value).strip().isdigit():
        raise NotConfigured(
            _("%(vendor)s 配置有误：%(setting)s 应为数字（应用的 AgentId）") % {"vendor": vendor, "setting": setting}
        )
    return int(str(value).strip())


class _WorkMessenger:
    """What WeCom and DingTalk share: errcode answers, a token, one refetch."""

    vendor = ""
    token_codes: frozenset[int] = frozenset()
    retry_codes: frozenset[int] = frozenset()

    base = ""

    def token_key(self) -> str:
        raise NotImplementedError

    def fetch_token(self) -> tuple[str, int]:
        raise NotImplementedError

    def post_message(self, *, token: str, user_id: str, text: str, key: str) -> dict[str, Any]:
        raise NotImplementedError

    def message_id(self, answer: dict[str, Any]) -> str:
        raise NotImplementedError

    def _token_answer(self, answer: dict[str, Any]) -> tuple[str, int]:
        if answer.get("errcode", 0) == 0 and answer.get("access_token"):
            return str(answer["access_token"]), int(answer.get("expires_in") or 7200)
        error = f"{self.vendor} 获取 access_token 失败 {answer.get('errcode')}：{answer.get('errmsg', '')}"
        if answer.get("errcode") in self.retry_codes or answer.get("errcode") == -1:
            raise RetryLater(error, after_seconds=60)
        raise GiveUp(error)  # wrong credentials: no retry makes them right

    def send(self, *, user_id: str, text: str, key: str) -> str:
        fresh = False
        for _attempt in range(2):
            token = access_token(self.token_key(), self.fetch_token, fresh=fresh)
            answer = self.post_message(token=token, user_id=user_id, text=text, key=key)
            code = answer.get("errcode")
            if code == 0:
                return self.message_id(answer)
            if code in self.token_codes and not fresh:
                fresh = True  # the cached token lapsed early or was revoked: fetch anew, once
                continue
            error = f"{self.vendor} {code}：{answer.get('errmsg', '')}"
            if code in self.token_codes or code in self.retry_codes or code == -1:
                raise RetryLater(error, after_seconds=60)
            if not isinstance(code, int):
                raise RetryLater(
                    _("%(vendor)s 应答缺少 errcode：%(answer)s") % {"vendor": self.vendor, "answer": str(answer)[:200]}
                )
            raise GiveUp(error)
        raise AssertionError("unreachable")  # the second pass returns or raises


class WeCom(_WorkMessenger):
    """企业微信 / 政务微信 application messages: ``WECOM_*`` settings (README)."""

    vendor = "企业微信"
    token_codes = frozenset({40014, 42001})  # invalid, expired access_token
    retry_codes = frozenset({45009, 45033, 45011})  # API frequency, concurrency, per-minute limits

    def __init__(self) -> None:
        self.base = getattr(settings, "WECOM_BASE_URL", "https://qyapi.weixin.qq.com").rstrip("/")
        self.corp_id = getattr(settings, "WECOM_CORP_ID", "")
        self.secret = getattr(settings, "WECOM_CORP_SECRET", "")
        agent = getattr(settings, "WECOM_AGENT_ID", "")
        require(
            {"WECOM_CORP_ID": self.corp_id, "WECOM_CORP_SECRET": self.secret, "WECOM_AGENT_ID": agent},
            self.vendor,
        )
        self.agent_id = agent_number(agent, "WECOM_AGENT_ID", self.vendor)

    def token_key(self) -> str:
        return f"wecom:{self.base}:{self.corp_id}:{self.agent_id}"

    def fetch_token(self) -> tuple[str, int]:
        with client() as http:
            response = http.get(
                f"{self.base}/cgi-bin/gettoken", params={"corpid": self.corp_id, "corpsecret": self.secret}
            )
        return self._token_answer(answer_json(response, self.vendor))

    def post_message(self, *, token: str, user_id: str, text: str, key: str) -> dict[str, Any]:
        body = {
            "touser": user_id,
            "msgtype": "text",
            "agentid": self.agent_id,
            "text": {"content": text},
            # A message sent again after a cut-off call (at least once) is dropped by WeCom within the hour.
            "enable_duplicate_check": 1,
            "duplicate_check_interval": 3600,
        }
        with client() as http:
            response = http.post(f"{self.base}/cgi-bin/message/send", params={"access_token": token}, json=body)
        answer = answer_json(response, self.vendor)
        if answer.get("errcode") == 0 and user_id in str(answer.get("invaliduser", "")).split("|"):
            # Accepted, but not for this person: WeCom names the user ids it does not know.
            return {"errcode": 81013, "errmsg": f"无效的成员 {user_id}"}
        return answer

    def message_id(self, answer: dict[str, Any]) -> str:
        return str(answer.get("msgid", ""))


class DingTalk(_WorkMessenger):
    """钉钉 / 浙政钉 work notifications: ``DINGTALK_*`` settings (README)."""

    vendor = "钉钉"
    token_codes = frozenset({40014, 42001, 40001})  # invalid, expired access_token; bad credential
    retry_codes = frozenset({90002, 90018, 90019})  # flow control (88 is read by its sub_code)

    def __init__(self) -> None:
        self.base = getattr(settings, "DINGTALK_BASE_URL", "https://oapi.dingtalk.com").rstrip("/")
        self.app_key = getattr(settings, "DINGTALK_APP_KEY", "")
        self.secret = getattr(settings, "DINGTALK_APP_SECRET", "")
        agent = getattr(settings, "DINGTALK_AGENT_ID", "")
        require(
            {"DINGTALK_APP_KEY": self.app_key, "DINGTALK_APP_SECRET": self.secret, "DINGTALK_AGENT_ID": agent},
            self.vendor,
        )
        self.agent_id = agent_number(agent, "DINGTALK_AGENT_ID", self.vendor)

    def token_key(self) -> str:
        return f"dingtalk:{self.base}:{self.app_key}"

    def fetch_token(self) -> tuple[str, int]:
        with client() as http:
            response = http.get(f"{self.base}/gettoken", params={"appkey": self.app_key, "appsecret": self.secret})
        return self._token_answer(answer_json(response, self.vendor))

    def post_message(self, *, token: str, user_id: str, text: str, key: str) -> dict[str, Any]:
        body = {
            "agent_id": self.agent_id,
            "userid_list": user_id,
            "msg": {"msgtype": "text", "text": {"content": text}},
        }
        with client() as http:
            response = http.post(
                f"{self.base}/topapi/message/corpconversation/asyncsend_v2", params={"access_token": token}, json=body
            )
        answer = answer_json(response, self.vendor)
        if answer.get("errcode") == 88:
            # 鉴权异常: the real reason is the sub_code (an expired token, no permission).
            sub = str(answer.get("sub_code", ""))
            code = int(sub) if sub.isdigit() else 88
            if code not in self.token_codes and code not in self.retry_codes:
                code = 60011  # no permission for the application: a retry cannot help
            return {**answer, "errcode": code}
        return answer

    def message_id(self, answer: dict[str, Any]) -> str:
        return str(answer.get("task_id", ""))

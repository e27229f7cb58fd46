"""Writes on the organisation, one module per concern: units and offices, cadres, post changes,
the end of a cadre's service, logins and grants, and logins opened in bulk.
Import them from here."""

from cadrecare.org.services.cadres import (
    cadre_add,
    cadre_create,
    cadre_delete,
    cadre_problems,
    cadre_update,
)
from cadrecare.org.services.logins import (
    INITIAL_PASSWORD_LENGTH,
    LoginIssued,
    LoginSkipped,
    LoginsResult,
    cadre_logins_create,
    initial_password,
    login_username,
)
from cadrecare.org.services.post_changes import (
    post_change_apply,
    post_change_listeners,
    post_change_record,
)
from cadrecare.org.services.service_end import (
    ServiceEnded,
    cadre_status_change,
    cadre_status_listeners,
    open_items_cancel,
)
from cadrecare.org.services.units import (
    office_delete,
    office_save,
    org_unit_create,
    org_unit_move,
    org_unit_update,
)
from cadrecare.org.services.users import (
    role_grant_create,
    role_grant_revoke,
    user_cadre_link,
    user_create,
    user_login_unlock,
    user_password_change,
    user_require_manageable,
    user_tokens_revoke,
    user_update,
)

__all__ = [
    "INITIAL_PASSWORD_LENGTH",
    "LoginIssued",
    "LoginSkipped",
    "LoginsResult",
    "ServiceEnded",
    "cadre_add",
    "cadre_create",
    "cadre_delete",
    "cadre_logins_create",
    "cadre_problems",
    "cadre_status_change",
    "cadre_status_listeners",
    "cadre_update",
    "initial_password",
    "login_username",
    "office_delete",
    "office_save",
    "open_items_cancel",
    "org_unit_create",
    "org_unit_move",
    "org_unit_update",
    "post_change_apply",
    "post_change_listeners",
    "post_change_record",
    "role_grant_create",
    "role_grant_revoke",
    "user_cadre_link",
    "user_create",
    "user_login_unlock",
    "user_password_change",
    "user_require_manageable",
    "user_tokens_revoke",
    "user_update",
]

"""Shapes of the organisation resources, one module per concern: reference fields (``fields``),
the tree (``units``), cadres and post changes (``cadres``), logins and grants (``users``), signing
in (``auth``). Rules live in services and rules.py. Import them from here."""

from cadrecare.org.api.serializers.auth import (
    LoginSerializer,
    PasswordChangeInputSerializer,
    RotatingRefreshSerializer,
)
from cadrecare.org.api.serializers.cadres import (
    CadreListSerializer,
    CadreSerializer,
    CadreStatusInputSerializer,
    PostChangeSerializer,
    service_periods,
)
from cadrecare.org.api.serializers.fields import (
    PersonField,
    PersonNameField,
    PersonNamesField,
    ScopedPrimaryKeyField,
)
from cadrecare.org.api.serializers.units import (
    OfficeSerializer,
    OrgUnitSerializer,
)
from cadrecare.org.api.serializers.users import (
    CadreLoginsInputSerializer,
    GrantableUserField,
    GrantBriefSerializer,
    LoginIssuedSerializer,
    LoginSkippedSerializer,
    LoginsResultSerializer,
    MeSerializer,
    RoleGrantSerializer,
    UserSerializer,
)

__all__ = [
    "CadreListSerializer",
    "CadreLoginsInputSerializer",
    "CadreSerializer",
    "CadreStatusInputSerializer",
    "GrantBriefSerializer",
    "GrantableUserField",
    "LoginIssuedSerializer",
    "LoginSerializer",
    "LoginSkippedSerializer",
    "LoginsResultSerializer",
    "MeSerializer",
    "OfficeSerializer",
    "OrgUnitSerializer",
    "PasswordChangeInputSerializer",
    "PersonField",
    "PersonNameField",
    "PersonNamesField",
    "PostChangeSerializer",
    "RoleGrantSerializer",
    "RotatingRefreshSerializer",
    "ScopedPrimaryKeyField",
    "UserSerializer",
    "service_periods",
]

"""Pure parsers for Android shell output: text (or bytes) in, frozen records out.

Every parser accepts `str` or `bytes` (UTF-8/UTF-16 with or without BOM, CRLF/CR line ends,
NUL padding: see `text.to_text`), skips lines it does not understand and never raises.
One module per command family; see each module's docstring for the grammar it reads and
`docs/library-parsers.md` for how to call them.
"""

from hardener.android.parsers.accessibility import (
    AccessibilityDump,
    AccessibilityUser,
    parse_dumpsys_accessibility,
)
from hardener.android.parsers.appops import (
    PACKAGE,
    UID,
    UNKNOWN,
    AppOpEntry,
    AppOpsGet,
    parse_appops_get,
)
from hardener.android.parsers.appops_codes import OP_CODES, op_code
from hardener.android.parsers.appops_dump import (
    AppOpsDump,
    AppOpsUid,
    parse_dumpsys_appops,
    uid_from_label,
)
from hardener.android.parsers.deviceidle import (
    SYSTEM,
    SYSTEM_EXCEPT_IDLE,
    USER,
    DeviceIdleEntry,
    DeviceIdleLists,
    parse_deviceidle_whitelist,
    parse_dumpsys_deviceidle,
)
from hardener.android.parsers.dumpsys_package import (
    PackageDump,
    PackageDumpResult,
    PackageUser,
    SharedUserDump,
    parse_dumpsys_package,
)
from hardener.android.parsers.durations import parse_duration_ms
from hardener.android.parsers.getprop import parse_getprop, parse_getprop_value
from hardener.android.parsers.package_list import (
    PackageList,
    PackageListEntry,
    parse_pm_list_packages,
)
from hardener.android.parsers.settings import (
    Component,
    parse_component,
    parse_component_list,
    parse_settings_get,
    parse_settings_list,
)
from hardener.android.parsers.shell_errors import (
    BAD_FLAG,
    ERROR,
    ERROR_KINDS,
    EXCEPTION,
    MISSING_ARGUMENT,
    MISSING_PERMISSION,
    NO_UID,
    NOT_CHANGEABLE,
    NOT_REQUESTED,
    OEM_LOCK,
    POLICY_FIXED,
    ROLE_MANAGED,
    SYSTEM_FIXED,
    UNKNOWN_COMMAND,
    UNKNOWN_OP,
    UNKNOWN_OPTION,
    UNKNOWN_PACKAGE,
    UNKNOWN_PERMISSION,
    USER_ACCESS,
    ShellError,
    parse_shell_error,
    parse_shell_errors,
)
from hardener.android.parsers.standby import parse_standby_bucket, parse_standby_buckets
from hardener.android.parsers.text import RawText, lines, to_text
from hardener.android.parsers.users import UserList, parse_current_user, parse_pm_list_users

__all__ = [
    "BAD_FLAG",
    "ERROR",
    "ERROR_KINDS",
    "EXCEPTION",
    "MISSING_ARGUMENT",
    "MISSING_PERMISSION",
    "NOT_CHANGEABLE",
    "NOT_REQUESTED",
    "NO_UID",
    "OEM_LOCK",
    "OP_CODES",
    "PACKAGE",
    "POLICY_FIXED",
    "ROLE_MANAGED",
    "SYSTEM",
    "SYSTEM_EXCEPT_IDLE",
    "SYSTEM_FIXED",
    "UID",
    "UNKNOWN",
    "UNKNOWN_COMMAND",
    "UNKNOWN_OP",
    "UNKNOWN_OPTION",
    "UNKNOWN_PACKAGE",
    "UNKNOWN_PERMISSION",
    "USER",
    "USER_ACCESS",
    "AccessibilityDump",
    "AccessibilityUser",
    "AppOpEntry",
    "AppOpsDump",
    "AppOpsGet",
    "AppOpsUid",
    "Component",
    "DeviceIdleEntry",
    "DeviceIdleLists",
    "PackageDump",
    "PackageDumpResult",
    "PackageList",
    "PackageListEntry",
    "PackageUser",
    "RawText",
    "SharedUserDump",
    "ShellError",
    "UserList",
    "lines",
    "op_code",
    "parse_appops_get",
    "parse_component",
    "parse_component_list",
    "parse_current_user",
    "parse_deviceidle_whitelist",
    "parse_dumpsys_accessibility",
    "parse_dumpsys_appops",
    "parse_dumpsys_deviceidle",
    "parse_dumpsys_package",
    "parse_duration_ms",
    "parse_getprop",
    "parse_getprop_value",
    "parse_pm_list_packages",
    "parse_pm_list_users",
    "parse_settings_get",
    "parse_settings_list",
    "parse_shell_error",
    "parse_shell_errors",
    "parse_standby_bucket",
    "parse_standby_buckets",
    "to_text",
    "uid_from_label",
]

"""Java exceptions as a phone's shell prints them: header, exception line, stack frames.

`BasicShellCommandHandler.exec` (Android 10+) prints an empty line,
`Exception occurred while executing '<verb>':` and `printStackTrace` (tab-indented `at`
lines) to stderr and exits 255. Android 9's `ShellCommand.exec` prints
`Security exception: <msg>` + empty line for SecurityExceptions, otherwise
`Exception occurred while executing:`. The frames name the classes of the release
(`com.android.modules.utils.BasicShellCommandHandler` on 12+, `PermissionManagerServiceImpl`
on 13+, `android.os.ShellCommand.exec` directly on 9). Frames and the first line numbers
come from real captures (shared/fixtures/android); line numbers of frames no capture shows
are approximations in source order.
"""

from __future__ import annotations

from hardener.sim.android.model import AndroidException

# Tails: from the service's shell command up to the binder thread.
_TAILS_14 = {
    "package": [
        "com.android.modules.utils.BasicShellCommandHandler.exec(BasicShellCommandHandler.java:97)",
        "android.os.ShellCommand.exec(ShellCommand.java:38)",
        "com.android.server.pm.PackageManagerService$IPackageManagerImpl.onShellCommand(PackageManagerService.java:6840)",
        "android.os.Binder.shellCommand(Binder.java:1092)",
        "android.os.Binder.onTransact(Binder.java:912)",
        "android.content.pm.IPackageManager$Stub.onTransact(IPackageManager.java:4352)",
        "com.android.server.pm.PackageManagerService$IPackageManagerImpl.onTransact(PackageManagerService.java:6824)",
        "android.os.Binder.execTransactInternal(Binder.java:1339)",
        "android.os.Binder.execTransact(Binder.java:1275)",
    ],
    "appops": [
        "com.android.server.appop.AppOpsService$Shell.onCommand(AppOpsService.java:1311)",
        "com.android.modules.utils.BasicShellCommandHandler.exec(BasicShellCommandHandler.java:97)",
        "android.os.ShellCommand.exec(ShellCommand.java:38)",
        "com.android.server.appop.AppOpsService.onShellCommand(AppOpsService.java:1329)",
        "android.os.Binder.shellCommand(Binder.java:1092)",
        "android.os.Binder.onTransact(Binder.java:912)",
        "com.android.internal.app.IAppOpsService$Stub.onTransact(IAppOpsService.java:1043)",
        "android.os.Binder.execTransactInternal(Binder.java:1339)",
        "android.os.Binder.execTransact(Binder.java:1275)",
    ],
    "activity": [
        "com.android.modules.utils.BasicShellCommandHandler.exec(BasicShellCommandHandler.java:97)",
        "android.os.ShellCommand.exec(ShellCommand.java:38)",
        "com.android.server.am.ActivityManagerService.onShellCommand(ActivityManagerService.java:9948)",
        "android.os.Binder.shellCommand(Binder.java:1092)",
        "android.os.Binder.onTransact(Binder.java:912)",
        "android.app.IActivityManager$Stub.onTransact(IActivityManager.java:5359)",
        "com.android.server.am.ActivityManagerService.onTransact(ActivityManagerService.java:2744)",
        "android.os.Binder.execTransactInternal(Binder.java:1339)",
        "android.os.Binder.execTransact(Binder.java:1275)",
    ],
}
_TAILS_9 = {
    "package": [
        "android.os.ShellCommand.exec(ShellCommand.java:103)",
        "com.android.server.pm.PackageManagerService.onShellCommand(PackageManagerService.java:21427)",
        "android.os.Binder.shellCommand(Binder.java:634)",
        "android.os.Binder.onTransact(Binder.java:532)",
        "android.content.pm.IPackageManager$Stub.onTransact(IPackageManager.java:2821)",
        "com.android.server.pm.PackageManagerService.onTransact(PackageManagerService.java:3856)",
        "android.os.Binder.execTransact(Binder.java:731)",
    ],
    "appops": [
        "com.android.server.AppOpsService$Shell.onCommand(AppOpsService.java:2384)",
        "android.os.ShellCommand.exec(ShellCommand.java:103)",
        "com.android.server.AppOpsService.onShellCommand(AppOpsService.java:2396)",
        "android.os.Binder.shellCommand(Binder.java:634)",
        "android.os.Binder.onTransact(Binder.java:532)",
        "com.android.internal.app.IAppOpsService$Stub.onTransact(IAppOpsService.java:445)",
        "android.os.Binder.execTransact(Binder.java:731)",
    ],
    "activity": [
        "android.os.ShellCommand.exec(ShellCommand.java:103)",
        "com.android.server.am.ActivityManagerService.onShellCommand(ActivityManagerService.java:15524)",
        "android.os.Binder.shellCommand(Binder.java:634)",
        "android.os.Binder.onTransact(Binder.java:532)",
        "android.app.IActivityManager$Stub.onTransact(IActivityManager.java:4176)",
        "com.android.server.am.ActivityManagerService.onTransact(ActivityManagerService.java:3340)",
        "android.os.Binder.execTransact(Binder.java:731)",
    ],
}

_PMSI = "com.android.server.pm.permission.PermissionManagerServiceImpl"
_PMS14_GRANT = [
    f"{_PMSI}.grantRuntimePermission(PermissionManagerServiceImpl.java:1365)",
    "com.android.server.pm.permission.PermissionManagerService.grantRuntimePermission(PermissionManagerService.java:573)",
    "android.permission.PermissionManager.grantRuntimePermission(PermissionManager.java:610)",
    "com.android.server.pm.PackageManagerShellCommand.runGrantRevokePermission(PackageManagerShellCommand.java:2717)",
    "com.android.server.pm.PackageManagerShellCommand.onCommand(PackageManagerShellCommand.java:301)",
]
_PMS14_REVOKE = [
    f"{_PMSI}.revokeRuntimePermission(PermissionManagerServiceImpl.java:1509)",
    "com.android.server.pm.permission.PermissionManagerService.revokeRuntimePermission(PermissionManagerService.java:580)",
    "android.permission.PermissionManager.revokeRuntimePermission(PermissionManager.java:665)",
    "com.android.server.pm.PackageManagerShellCommand.runGrantRevokePermission(PackageManagerShellCommand.java:2719)",
    "com.android.server.pm.PackageManagerShellCommand.onCommand(PackageManagerShellCommand.java:303)",
]
_ENFORCE_14 = [
    "android.app.ContextImpl.enforce(ContextImpl.java:2384)",
    "android.app.ContextImpl.enforceCallingOrSelfPermission(ContextImpl.java:2412)",
]
_USER_14 = [
    "com.android.server.am.UserController.handleIncomingUser(UserController.java:3097)",
    "com.android.server.am.ActivityManagerService.handleIncomingUser(ActivityManagerService.java:15285)",
    "android.app.ActivityManager.handleIncomingUser(ActivityManager.java:4954)",
]

_PMS9 = "com.android.server.pm.permission.PermissionManagerService"
_PMS9_GRANT = [
    f"{_PMS9}.grantRuntimePermission(PermissionManagerService.java:1360)",
    f"{_PMS9}.access$900(PermissionManagerService.java:89)",
    f"{_PMS9}$PermissionManagerInternalImpl.grantRuntimePermission(PermissionManagerService.java:2112)",
    "com.android.server.pm.PackageManagerService.grantRuntimePermission(PackageManagerService.java:5720)",
    "com.android.server.pm.PackageManagerShellCommand.runGrantRevokePermission(PackageManagerShellCommand.java:1764)",
    "com.android.server.pm.PackageManagerShellCommand.onCommand(PackageManagerShellCommand.java:205)",
]
_PMS9_REVOKE = [
    f"{_PMS9}.revokeRuntimePermission(PermissionManagerService.java:1452)",
    f"{_PMS9}.access$1000(PermissionManagerService.java:89)",
    f"{_PMS9}$PermissionManagerInternalImpl.revokeRuntimePermission(PermissionManagerService.java:2119)",
    "com.android.server.pm.PackageManagerService.revokeRuntimePermission(PackageManagerService.java:5740)",
    "com.android.server.pm.PackageManagerShellCommand.runGrantRevokePermission(PackageManagerShellCommand.java:1766)",
    "com.android.server.pm.PackageManagerShellCommand.onCommand(PackageManagerShellCommand.java:207)",
]


def _frames_14(site: str) -> tuple[list[str], str]:
    base, _, detail = site.partition(".")
    if base in ("grant", "revoke"):
        chain = _PMS14_GRANT if base == "grant" else _PMS14_REVOKE
        method = f"{_PMSI}.{base}RuntimePermissionInternal"
        lines = {
            "grant": {
                "enforce": 1383,
                "package": 1399,
                "unknown": 1409,
                "type": 1423,
                "requested": 1436,
                "fixed": 1450,
            },
            "revoke": {
                "enforce": 1549,
                "package": 1565,
                "unknown": 1573,
                "type": 1589,
                "requested": 1602,
                "fixed": 1618,
            },
        }[base]
        if detail == "user":
            return [
                *_USER_14,
                "com.android.server.pm.PackageManagerShellCommand.translateUserId(PackageManagerShellCommand.java:3620)",
                "com.android.server.pm.PackageManagerShellCommand.runGrantRevokePermission(PackageManagerShellCommand.java:2713)",
                chain[-1],
            ], "package"
        head = [f"{method}(PermissionManagerServiceImpl.java:{lines.get(detail, 1383)})"]
        if detail == "enforce":
            head = _ENFORCE_14 + head
        return head + chain, "package"
    if base == "flags":
        head = [
            f"{_PMSI}.updatePermissionFlagsInternal(PermissionManagerServiceImpl.java:846)",
            f"{_PMSI}.updatePermissionFlags(PermissionManagerServiceImpl.java:818)",
            "com.android.server.pm.permission.PermissionManagerService.updatePermissionFlags(PermissionManagerService.java:520)",
            "android.permission.PermissionManager.updatePermissionFlags(PermissionManager.java:495)",
            "com.android.server.pm.PackageManagerShellCommand.setOrClearPermissionFlags(PackageManagerShellCommand.java:2775)",
            "com.android.server.pm.PackageManagerShellCommand.onCommand(PackageManagerShellCommand.java:307)",
        ]
        if detail == "user":
            return [*_USER_14, *head[4:]], "package"
        if detail == "enforce":
            head = [
                "android.app.ContextImpl.enforceCallingOrSelfPermission(ContextImpl.java:2412)",
                *head,
            ]
        return head, "package"
    if base == "pmuser":
        return [
            *_USER_14,
            "com.android.server.pm.PackageManagerShellCommand.translateUserId(PackageManagerShellCommand.java:3620)",
            f"com.android.server.pm.PackageManagerShellCommand.{detail}(PackageManagerShellCommand.java:874)",
            "com.android.server.pm.PackageManagerShellCommand.onCommand(PackageManagerShellCommand.java:220)",
        ], "package"
    if base == "pmargs":
        return [
            "com.android.modules.utils.BasicShellCommandHandler.getNextArgRequired("
            "BasicShellCommandHandler.java:297)",
            "com.android.server.pm.PackageManagerShellCommand.onCommand("
            "PackageManagerShellCommand.java:220)",
        ], "package"
    if base == "appops":
        if detail == "enforce":
            return [
                "android.app.ContextImpl.enforce(ContextImpl.java:2384)",
                "android.app.ContextImpl.enforcePermission(ContextImpl.java:2396)",
                "com.android.server.appop.AppOpsServiceImpl.enforceManageAppOpsModes(AppOpsServiceImpl.java:1706)",
                "com.android.server.appop.AppOpsServiceImpl.setMode(AppOpsServiceImpl.java:1211)",
                "com.android.server.appop.AppOpsService.setMode(AppOpsService.java:441)",
                "com.android.server.appop.AppOpsService.onShellCommand(AppOpsService.java:1421)",
            ], "appops"
        return [
            "com.android.server.pm.permission.PermissionManagerServiceImpl.enforceCrossUserPermission(PermissionManagerServiceImpl.java:3931)",
            "com.android.server.appop.AppOpsService.onShellCommand(AppOpsService.java:1410)",
        ], "appops"
    if base == "bucket":
        return [
            "com.android.server.usage.AppStandbyController.setAppStandbyBucket(AppStandbyController.java:1607)",
            "com.android.server.usage.UsageStatsService$BinderService.setAppStandbyBucket("
            "UsageStatsService.java:2574)",
            "com.android.server.am.ActivityManagerShellCommand."
            f"run{'Get' if detail == 'get' else 'Set'}StandbyBucket("
            "ActivityManagerShellCommand.java:2689)",
            "com.android.server.am.ActivityManagerShellCommand.onCommand(ActivityManagerShellCommand.java:316)",
        ], "activity"
    if base == "amuser":
        return [
            *_USER_14,
            f"com.android.server.am.ActivityManagerShellCommand.{detail}(ActivityManagerShellCommand.java:2712)",
            "com.android.server.am.ActivityManagerShellCommand.onCommand(ActivityManagerShellCommand.java:316)",
        ], "activity"
    if base == "amargs":
        return [
            "com.android.modules.utils.BasicShellCommandHandler.getNextArgRequired(BasicShellCommandHandler.java:297)",
            "com.android.server.am.ActivityManagerShellCommand.onCommand(ActivityManagerShellCommand.java:316)",
        ], "activity"
    return [
        "com.android.server.pm.PackageManagerShellCommand.onCommand(PackageManagerShellCommand.java:220)"
    ], "package"


def _frames_9(site: str) -> tuple[list[str], str]:
    base, _, detail = site.partition(".")
    if base in ("grant", "revoke"):
        chain = _PMS9_GRANT if base == "grant" else _PMS9_REVOKE
        if detail == "enforce":
            return [
                "android.app.ContextImpl.enforce(ContextImpl.java:1895)",
                "android.app.ContextImpl.enforceCallingOrSelfPermission(ContextImpl.java:1923)",
                *chain,
            ], "package"
        if detail in ("requested", "type"):
            return [
                "com.android.server.pm.permission.BasePermission.enforceDeclaredUsedAndRuntimeOrDevelopment(BasePermission.java:379)",
                *chain,
            ], "package"
        if detail == "user":
            return [
                "com.android.server.am.UserController.handleIncomingUser(UserController.java:1744)",
                "com.android.server.am.ActivityManagerService.handleIncomingUser(ActivityManagerService.java:15226)",
                "android.app.ActivityManager.handleIncomingUser(ActivityManager.java:3678)",
                "com.android.server.pm.PackageManagerShellCommand.translateUserId(PackageManagerShellCommand.java:2573)",
                chain[-2],
                chain[-1],
            ], "package"
        return chain, "package"
    if base == "pmuser":
        return [
            "com.android.server.am.UserController.handleIncomingUser(UserController.java:1744)",
            "com.android.server.am.ActivityManagerService.handleIncomingUser(ActivityManagerService.java:15226)",
            "android.app.ActivityManager.handleIncomingUser(ActivityManager.java:3678)",
            "com.android.server.pm.PackageManagerShellCommand.translateUserId(PackageManagerShellCommand.java:2573)",
            f"com.android.server.pm.PackageManagerShellCommand.{detail}(PackageManagerShellCommand.java:513)",
            "com.android.server.pm.PackageManagerShellCommand.onCommand(PackageManagerShellCommand.java:112)",
        ], "package"
    if base == "appops":
        return [
            "android.app.ContextImpl.enforce(ContextImpl.java:1895)",
            "android.app.ContextImpl.enforcePermission(ContextImpl.java:1906)",
            "com.android.server.AppOpsService.setMode(AppOpsService.java:770)",
            "com.android.server.AppOpsService.onShellCommand(AppOpsService.java:2502)",
        ], "appops"
    if base == "bucket":
        return [
            "com.android.server.usage.UsageStatsService$BinderService.getAppStandbyBucket(UsageStatsService.java:1284)",
            "com.android.server.am.ActivityManagerShellCommand.runGetStandbyBucket(ActivityManagerShellCommand.java:2134)",
            "com.android.server.am.ActivityManagerShellCommand.onCommand(ActivityManagerShellCommand.java:217)",
        ], "activity"
    if base in ("amuser", "amargs"):
        return [
            "com.android.server.am.ActivityManagerShellCommand.onCommand(ActivityManagerShellCommand.java:217)",
        ], "activity"
    return [
        "com.android.server.pm.PackageManagerShellCommand.onCommand(PackageManagerShellCommand.java:112)"
    ], "package"


def render(exc: AndroidException, sdk: int, verb: str) -> str:
    """The stderr text a real shell command prints for an uncaught exception."""
    if sdk >= 29:
        frames, service = _frames_14(exc.site)
        tail = _TAILS_14[service]
        header = f"\nException occurred while executing '{verb}':\n"
    else:
        frames, service = _frames_9(exc.site)
        tail = _TAILS_9[service]
        if exc.java_class == "java.lang.SecurityException":
            header = f"Security exception: {exc.message}\n\n"
        else:
            header = "\nException occurred while executing:\n"
    body = f"{exc.java_class}: {exc.message}\n"
    stack = "".join(f"\tat {frame}\n" for frame in frames + tail)
    return header + body + stack

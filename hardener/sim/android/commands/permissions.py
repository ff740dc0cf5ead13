"""`pm list permission-groups` and `pm list permissions [-g] [-f] [-d] [-u] [-s] [GROUP]`.

Derived from AOSP `PackageManagerShellCommand.runListPermissions` / `doListPermissions`
(unchanged in shape from Android 9 to 14) and the framework manifest:

* with `-g` the GROUP argument is ignored: every permission group is listed (from
  `getAllPermissionGroups`, an `ArrayMap`, so in `String.hashCode` order -- the order a real
  Android 13 Xiaomi prints, `tests/sim_android/captures/`, byte for byte on a phone with
  Google Play services, which declares one group of its own), each as `group:NAME` followed by
  its permissions indented two spaces, groups separated by an empty line, and a final
  `ungrouped:` section with the permissions that have no group;
* without `-g` only the permissions of GROUP are printed (no GROUP: those without a group);
  an unknown GROUP makes `queryPermissionsByGroup` return null and the shell throws a
  NullPointerException, as a real phone does;
* a header line and an empty line come first: `All Permissions:`, `Dangerous Permissions:`
  (`-d`; with `-u` too it is followed by `Normal Permissions:` and a second listing) or
  `Dangerous and Normal Permissions:` (`-u`);
* permissions are printed in the permission registry's `ArrayMap` order.

Since Android 10 the framework manifest declares every dangerous platform permission in
`android.permission-group.UNDEFINED` (grouping moved into PermissionController), so on
10+ `CONTACTS`, `LOCATION` ... are listed empty and the permissions sit under `UNDEFINED`;
Android 9 still lists them in their own groups. Derived, not captured: permission labels
and descriptions are not modelled, so `-f` and `-s` print what a phone prints when the
declaring package's resources give no text (the names; no `label:`/`description:` lines),
and `protectionLevel:` shows the base level only (no `|instant` style flags).
"""

from __future__ import annotations

from dataclasses import dataclass

from hardener.sim.android import platform as pf
from hardener.sim.android.commands.base import Args, Ctx
from hardener.sim.android.javaorder import arraymap_order
from hardener.sim.android.model import AndroidException
from hardener.sim.android.shell import Result

GROUP_PREFIX = "android.permission-group."
UNDEFINED_GROUP = GROUP_PREFIX + "UNDEFINED"

PROTECTION_NORMAL = 0
PROTECTION_DANGEROUS = 1
PROTECTION_SIGNATURE = 2
_PROTECTION_NAMES = {0: "normal", 1: "dangerous", 2: "signature", 3: "signatureOrSystem"}

# Install-time permissions of the platform whose base level is signature (appop-style).
_SIGNATURE_PERMISSIONS = frozenset(
    pf.P + name
    for name in (
        "SYSTEM_ALERT_WINDOW",
        "WRITE_SETTINGS",
        "REQUEST_INSTALL_PACKAGES",
        "SCHEDULE_EXACT_ALARM",
        "ACCESS_NOTIFICATION_POLICY",
    )
)


@dataclass(frozen=True)
class PermissionDef:
    """One `<permission>` as the registry holds it."""

    name: str
    package: str
    group: str | None
    base: int  # PermissionInfo.PROTECTION_MASK_BASE part


def _declaring_package(name: str) -> str:
    if name.startswith("com.google.android."):
        return "com.google.android.gms"
    if name.startswith("com.android.launcher."):
        return "com.android.launcher3"
    return "android"


def _base_of(prot: str) -> int:
    first = prot.split("|", 1)[0].strip().lower()
    for level, text in _PROTECTION_NAMES.items():
        if first == text.lower():
            return level
    return PROTECTION_SIGNATURE if first.startswith("signature") else PROTECTION_NORMAL


def permission_groups(sdk: int) -> list[str]:
    """The platform's permission groups, in `getAllPermissionGroups` (ArrayMap) order."""
    names = {GROUP_PREFIX + g for g, since in pf.RUNTIME_PERMISSIONS.values() if since <= sdk}
    if sdk >= 29:
        names.add(UNDEFINED_GROUP)
    return arraymap_order(names)


# Groups apps declare: Google Play services declares this one (first line of the real
# Android 13 capture); its permissions are not modelled, so it is listed empty.
GMS_GROUPS = ("com.google.android.gms.permission.CAR_INFORMATION",)


def all_groups(ctx: Ctx) -> list[str]:
    """Every permission group the phone knows, in ArrayMap order."""
    groups = permission_groups(ctx.sdk)
    if "com.google.android.gms" in ctx.model.packages:
        groups += GMS_GROUPS
    return arraymap_order(groups)


def definitions(ctx: Ctx) -> list[PermissionDef]:
    """Every permission the phone defines, in the registry's ArrayMap order."""
    sdk = ctx.sdk
    found: dict[str, PermissionDef] = {}
    for name, (group, since) in pf.RUNTIME_PERMISSIONS.items():
        if since > sdk:
            continue
        in_group = UNDEFINED_GROUP if sdk >= 29 else GROUP_PREFIX + group
        found[name] = PermissionDef(name, "android", in_group, PROTECTION_DANGEROUS)
    for name in pf.NORMAL_PERMISSIONS:
        base = PROTECTION_SIGNATURE if name in _SIGNATURE_PERMISSIONS else PROTECTION_NORMAL
        found[name] = PermissionDef(name, _declaring_package(name), None, base)
    for name, prot in ctx.model.declared_permissions.items():
        owner = next(
            (p.name for p in ctx.model.packages.values() if any(d == name for d, _ in p.declared)),
            "android",
        )
        found.setdefault(name, PermissionDef(name, owner, None, _base_of(prot)))
    return [found[name] for name in arraymap_order(found)]


def list_groups(ctx: Ctx) -> Result:
    return Result("".join(f"permission group:{g}\n" for g in all_groups(ctx)))


def _null_list(ctx: Ctx) -> Result:
    return ctx.fail(
        AndroidException(
            "java.lang.NullPointerException",
            "Attempt to invoke virtual method 'java.util.List "
            "android.content.pm.ParceledListSlice.getList()' on a null object reference",
            "pmlist",
        ),
        "list",
    )


def list_permissions(ctx: Ctx, args: Args) -> Result:
    labels = groups = user_only = summary = dangerous_only = False
    while (opt := args.next_option()) is not None:
        if opt == "-d":
            dangerous_only = True
        elif opt == "-f":
            labels = True
        elif opt == "-g":
            groups = True
        elif opt == "-s":
            groups = labels = summary = True
        elif opt == "-u":
            user_only = True
        else:
            return Result(f"Error: Unknown option: {opt}\n", status=1)
    # With -g the GROUP argument is never read: every group, then the ungrouped.
    group_list: list[str | None] = [*all_groups(ctx), None] if groups else [args.next_arg()]
    known = set(all_groups(ctx))
    defs = definitions(ctx)
    out: list[str] = []
    if any(g is not None and g not in known for g in group_list):
        # The header is printed before queryPermissionsByGroup returns null.
        header = "Dangerous" if dangerous_only else "Dangerous and Normal" if user_only else "All"
        failed = _null_list(ctx)
        return Result(f"{header} Permissions:\n\n", failed.err, failed.status)

    def listing(low: int, high: int) -> None:
        _do_list(out, defs, group_list, groups, labels, summary, low, high)

    if dangerous_only:
        out.append("Dangerous Permissions:\n\n")
        listing(PROTECTION_DANGEROUS, PROTECTION_DANGEROUS)
        if user_only:
            out.append("Normal Permissions:\n\n")
            listing(PROTECTION_NORMAL, PROTECTION_NORMAL)
    elif user_only:
        out.append("Dangerous and Normal Permissions:\n\n")
        listing(PROTECTION_NORMAL, PROTECTION_DANGEROUS)
    else:
        out.append("All Permissions:\n\n")
        listing(-10000, 10000)
    return Result("".join(out))


def _do_list(
    out: list[str],
    defs: list[PermissionDef],
    group_list: list[str | None],
    groups: bool,
    labels: bool,
    summary: bool,
    low: int,
    high: int,
) -> None:
    for index, group in enumerate(group_list):
        prefix = ""
        if groups:
            if index > 0:
                out.append("\n")
            if group is not None:
                if summary:
                    out.append(f"{group}: ")
                else:
                    out.append(("+ " if labels else "") + f"group:{group}\n")
                    if labels:
                        out.append("  package:android\n")
            else:
                out.append(("+ " if labels and not summary else "") + "ungrouped:\n")
            prefix = "  "
        first = True
        for perm in defs:
            if perm.group != group:
                continue  # queryPermissionsByGroup(group): that group's, or the ungrouped
            if not low <= perm.base <= high:
                continue
            if summary:
                out.append(perm.name if first else ", " + perm.name)
                first = False
                continue
            out.append(f"{prefix}{'+ ' if labels else ''}permission:{perm.name}\n")
            if labels:
                out.append(f"{prefix}  package:{perm.package}\n")
                level = _PROTECTION_NAMES.get(perm.base, "????")
                out.append(f"{prefix}  protectionLevel:{level}\n")
        if summary:
            out.append("\n")

"""Always-on hooks held through a component: an allowed notification listener (reads every
other app's notifications) and an enabled accessibility service (sees and acts on the
whole screen). One setting per component, so restore gives back exactly the ones there."""

from __future__ import annotations

from typing_extensions import override

from hardener.android import commands
from hardener.core.lever_key import LeverKey, LeverValue
from hardener.core.levers import sh as job_sh
from hardener.core.levers.base import Intent, LeverKind, OffContext, OffTarget
from hardener.core.records import AppState

NOTIFICATION_LISTENER = "notification_listener"
ACCESSIBILITY_SERVICE = "accessibility_service"

# The armed job (see hardener.core.levers.sh) -------------------------------------------------

LISTENER_SH = job_sh.bool_form(
    "lis",
    (
        'rd_lis() { s=$(settings --user "$U" get secure enabled_notification_listeners 2>&1); '
        'case ":$s:" in *":$N:"*) v=1;; *) v=0;; esac; }',
        'sx_lis() { if [ "$1" = 1 ]; then run cmd notification allow_listener "$N" "$U"; '
        'else run cmd notification disallow_listener "$N" "$U"; fi; }',
    ),
    with_name=True,
)
ACCESSIBILITY_SH = job_sh.bool_form(
    "acc",
    (
        'rd_acc() { s=$(settings --user "$U" get secure enabled_accessibility_services 2>&1); '
        'case ":$s:" in *":$N:"*) v=1;; *) v=0;; esac; }',
        # the setting holds every enabled service: write the list without (or with) this one
        "sx_acc() { m=; o=$IFS; IFS=:; set -f; for x in $s; do "
        'if [ "$x" != "$N" ] && [ "$x" != null ]; then '
        'if [ -z "$m" ]; then m=$x; else m="$m:$x"; fi; fi; done; set +f; IFS=$o; '
        'if [ "$1" = 1 ]; then if [ -z "$m" ]; then m=$N; else m="$m:$N"; fi; fi; '
        'run settings --user "$U" put secure enabled_accessibility_services "$m"; }',
    ),
    with_name=True,
)


class _Component(LeverKind):
    @override
    def check_name(self, name: str) -> None:
        commands.component(name)

    def _enabled(self, app: AppState) -> tuple[str, ...]:
        raise NotImplementedError

    def read_app(self, app: AppState, key: LeverKey) -> LeverValue:
        return key.name in self._enabled(app)

    @override
    def off_keys(
        self, app: AppState, target: OffTarget, context: OffContext
    ) -> list[tuple[LeverKey, LeverValue]]:
        """Enabled components, plus those hardener turned off and still holds."""
        names = list(self._enabled(app))
        names += sorted(
            key.name
            for key in context.held
            if key.kind == self.name
            and key.user == app.user
            and key.package == app.package
            and key.name not in names
        )
        return [(LeverKey(self.name, app.user, app.package, c), False) for c in names]

    @override
    def todo(self, key: LeverKey, value: LeverValue) -> str:
        return f"disable {key.name.split('/', 1)[-1]}"


class NotificationListener(_Component):
    name = NOTIFICATION_LISTENER
    harden_rank = 50
    restore_rank = 40
    # NotificationManagerService mirrors the change into `enabled_notification_listeners`
    # on its IoThread, 250 ms later on Android 14: a read-back must pause first.
    mirrored_late = True
    sh = LISTENER_SH

    def _enabled(self, app: AppState) -> tuple[str, ...]:
        return app.notification_listeners

    def set_commands(self, key: LeverKey, target: LeverValue) -> list[str]:
        if target:
            return [commands.allow_listener(key.user, key.name)]
        return [commands.disallow_listener(key.user, key.name)]

    def subject(self, key: LeverKey) -> str:
        return f"notification listener {key.name}"

    @override
    def words(self, intent: Intent, key: LeverKey, before: LeverValue, target: LeverValue) -> str:
        verb = "allow" if target else "disallow"
        return f"{verb} its notification listener {key.name}"


class AccessibilityService(_Component):
    """`enabled_accessibility_services` is one string per user: each write carries the whole
    list, built by `service_lists` from the snapshot and the changes before it."""

    name = ACCESSIBILITY_SERVICE
    harden_rank = 60
    restore_rank = 30
    sh = ACCESSIBILITY_SH

    def _enabled(self, app: AppState) -> tuple[str, ...]:
        return app.accessibility_services

    @override
    def set_commands(self, key: LeverKey, target: LeverValue) -> list[str]:
        return []  # filled in by the planner with the whole list (`service_list_command`)

    def subject(self, key: LeverKey) -> str:
        return f"accessibility service {key.name}"

    @override
    def words(self, intent: Intent, key: LeverKey, before: LeverValue, target: LeverValue) -> str:
        verb = "re-enable" if target else "disable"
        return f"{verb} its accessibility service {key.name}"


def service_list_command(user: int, current: list[str], name: str, enable: bool) -> str:
    """Apply one change to the user's running list of services and the command writing it."""
    if enable and name not in current:
        current.append(name)
    elif not enable and name in current:
        current.remove(name)
    return commands.put_accessibility_services(user, list(current))

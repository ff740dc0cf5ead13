"""The virtual phone's Android side: a stateful model of packages, permissions, app-ops,
standby and power state, and a `sh -c` that answers the way a real phone does.

    from hardener.sim.android import load_persona, persona_names
    phone = load_persona("pixel-14")
    phone.run("pm list packages -3").stdout
"""

from hardener.sim.android.device import AndroidDevice
from hardener.sim.android.persona import DEFAULT_PERSONA, load_persona, persona_names

__all__ = ["DEFAULT_PERSONA", "AndroidDevice", "load_persona", "persona_names"]

"""Profiles: the TOML schema, `extends` merging, and the work-hours engine.

The API the evaluator uses: `load_profile`, `Profile.policy_for`, `Profile.schedule`,
`Schedule.is_working` / `transitions` / `next_transition`.
"""

from hardener.profile.bundled import bundled_profiles
from hardener.profile.loader import check_profile, load_profile
from hardener.profile.model import DEVICE_TIMEZONE, Profile, WorkHours
from hardener.profile.problems import CheckResult, Problem, ProfileError
from hardener.profile.rules import AppPolicy, Rule
from hardener.profile.schedule import Override, Schedule, Transition, wall_to_instant
from hardener.profile.times import TimeRange

__all__ = [
    "DEVICE_TIMEZONE",
    "AppPolicy",
    "CheckResult",
    "Override",
    "Problem",
    "Profile",
    "ProfileError",
    "Rule",
    "Schedule",
    "TimeRange",
    "Transition",
    "WorkHours",
    "bundled_profiles",
    "check_profile",
    "load_profile",
    "wall_to_instant",
]

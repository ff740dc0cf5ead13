"""Known workplace and social apps, and the capability and lever table profiles refer to."""

from hardener.android.catalog.capabilities import (
    CAPABILITIES,
    LEVERS,
    PROFILE_NAMES,
    AppOp,
    Capability,
    Lever,
    PermissionSpec,
    capability,
    capability_state,
    lever,
    lever_holds,
)
from hardener.android.catalog.catalog import (
    CATEGORIES,
    Catalog,
    CatalogApp,
    is_package_name,
    load_catalog,
)

__all__ = [
    "CAPABILITIES",
    "CATEGORIES",
    "LEVERS",
    "PROFILE_NAMES",
    "AppOp",
    "Capability",
    "Catalog",
    "CatalogApp",
    "Lever",
    "PermissionSpec",
    "capability",
    "capability_state",
    "is_package_name",
    "lever",
    "lever_holds",
    "load_catalog",
]

"""Phase 2 reads per package or the whole device; both must give the same snapshot."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hardener.android.catalog.capabilities import CAPABILITIES, capability_state
from hardener.core.snapshot import assemble, detail_request
from hardener.device.collect import discover, read_details
from hardener.device.phase import run_reads
from hardener.device.transport import open_device

from .conftest import PERSONAS


def snapshot(transport, discovery, packages, whole_device):
    request = detail_request(discovery, packages, whole_device=whole_device)
    result = run_reads(transport, request.reads, timeout=60)
    return assemble(discovery, request, result.outputs), request


@pytest.mark.parametrize("persona", PERSONAS)
def test_whole_device_reads_equal_per_package_reads(persona, virtual_phone):
    phone = virtual_phone(persona, apps=60)
    with open_device(phone.spec, auth_timeout=5) as transport:
        discovery = discover(transport)
        packages = sorted(discovery.packages)
        per_package, many = snapshot(transport, discovery, packages, False)
        whole, few = snapshot(transport, discovery, packages, True)
    assert len(per_package.apps) > 60
    if discovery.device.sdk <= 28:
        # Android ≤ 9 prints no `requested permissions:` in a whole-device dump (AOSP
        # Settings.dumpPackageLPr): the whole-device read knows what each app holds a state
        # for, a lower bound of what it requests. Everything it holds reads the same.
        sdk = discovery.device.sdk
        for a, b in zip(whole.apps, per_package.apps, strict=True):
            assert set(a.requested) <= set(b.requested)
            for name in CAPABILITIES:
                seen, truth = capability_state(a, name, sdk), capability_state(b, name, sdk)
                # never granted, never flagged: no state to print, so not seen as requested
                assert seen == truth or (seen, truth, a.legacy) == (
                    "not_requested",
                    "denied",
                    False,
                )
        whole = replace(whole, apps=tuple(replace(a, requested=()) for a in whole.apps))
        per_package = replace(
            per_package, apps=tuple(replace(a, requested=()) for a in per_package.apps)
        )
    assert whole == per_package
    users = len(discovery.users)
    # the allow-list, three reads per user, then two whole-device dumps or two per package
    assert len(few.commands) == 1 + 3 * users + 2
    assert len(many.commands) == 1 + 3 * users + len(many.packages) * (1 + users)


def test_big_selections_read_the_whole_device(virtual_phone):
    phone = virtual_phone(apps=120)
    with open_device(phone.spec, auth_timeout=5) as transport:
        discovery = discover(transport)
        small = detail_request(discovery, list(discovery.third_party)[:5])
        big = detail_request(discovery, discovery.third_party)
        assert not small.whole_device and big.whole_device
        snap, trips = read_details(transport, discovery, discovery.third_party)
    assert trips == 1 and len(snap.apps) >= 120

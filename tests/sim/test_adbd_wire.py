"""What the phone puts on the wire, seen by a hand-written host that checks every packet."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest
from adb_shell.auth.keygen import keygen
from adb_shell.auth.sign_cryptography import CryptographySigner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardener.sim import adbkeys
from hardener.sim.adbd import WRTE_SIZE
from hardener.sim.faults import Costs
from hardener.sim.protocol import (
    A_AUTH,
    A_CLSE,
    A_CNXN,
    A_OKAY,
    A_OPEN,
    A_VERSION,
    A_VERSION_MIN,
    A_WRTE,
    AUTH_RSAPUBLICKEY,
    AUTH_SIGNATURE,
    AUTH_TOKEN,
    HEADER,
    MAX_PAYLOAD,
    Packet,
    ShellFrameDecoder,
    ShellId,
    checksum,
    encode_shell_frame,
)

BANNER = (
    b"device::ro.product.name=fakephone;ro.product.model=Fake_Phone_1;"
    b"ro.product.device=fakedev;features=shell_v2,cmd"
)


def test_without_auth_the_phone_answers_cnxn_with_its_banner(make_phone, raw_host):
    phone = make_phone(auth="off")
    host = raw_host(phone, maxdata=MAX_PAYLOAD)
    reply = host.connect()
    assert (reply.command, reply.arg0, reply.arg1, reply.data) == (
        A_CNXN,
        A_VERSION,
        MAX_PAYLOAD,
        BANNER,
    )


@pytest.mark.parametrize("version", [A_VERSION_MIN, A_VERSION])
def test_checksums_are_sent_exactly_when_the_version_needs_them(make_phone, raw_host, version):
    phone = make_phone(auth="off")
    host = raw_host(phone, version=version)
    host.connect()
    host.open(1, "shell:echo hello")
    assert host.collect(1) == (b"hello\n", [6])
    assert len(host.received) == 4  # CNXN, OKAY, WRTE, CLSE
    for packet, carried in host.received:
        expected = checksum(packet.data) if version == A_VERSION_MIN else 0
        assert carried == expected, packet.name


def test_the_reply_advertises_the_negotiated_max_payload(make_phone, raw_host):
    phone = make_phone(auth="off")
    reply = raw_host(phone, maxdata=4096).connect()
    assert reply.arg1 == 4096
    reply = raw_host(phone, maxdata=8 << 20).connect()
    assert reply.arg1 == MAX_PAYLOAD


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    maxdata=st.one_of(
        st.sampled_from([256, 4096, 65535, 65536, 256 * 1024]), st.integers(256, 2 << 20)
    ),
    size=st.integers(0, 300_000),
    v2=st.booleans(),
)
def test_no_write_exceeds_the_hosts_maxdata_and_output_arrives_intact(
    make_phone, raw_host, maxdata, size, v2
):
    # One phone for all examples (the fixture lives for the whole test), one connection each.
    # The host's own OPEN must fit the maxdata it offers, hence at least 256.
    if not hasattr(make_phone, "phone"):
        make_phone.phone = make_phone(auth="off")
    phone = make_phone.phone
    host = raw_host(phone, maxdata=maxdata)
    host.connect()
    service = "shell,v2,raw" if v2 else "shell"
    host.open(7, f"{service}:bytes {size} 3")
    data, sizes = host.collect(7)
    assert max(sizes, default=0) <= min(maxdata, WRTE_SIZE)
    expected = random.Random(3).randbytes(size)
    if v2:
        frames = ShellFrameDecoder().feed(data)
        assert b"".join(p for i, p in frames if i == ShellId.STDOUT) == expected
        assert frames[-1] == (ShellId.EXIT, b"\x00")
    else:
        assert data == expected
    host.close()


def test_one_write_in_flight_per_stream(make_phone, raw_host):
    phone = make_phone(auth="off")
    host = raw_host(phone)
    host.connect()
    host.open(1, "shell:bytes 200000")
    first = host.read()
    assert first.command == A_WRTE and len(first.data) == WRTE_SIZE
    assert host.nothing_within(0.3)  # the next WRTE waits for our OKAY
    host.send(Packet(A_OKAY, 1, first.arg0))
    second = host.read()
    assert second.command == A_WRTE
    host.send(Packet(A_OKAY, 1, second.arg0))
    data, _ = host.collect(1)
    assert len(first.data) + len(second.data) + len(data) == 200000


def test_streams_on_one_connection_run_concurrently(make_phone, raw_host):
    phone = make_phone(auth="off")
    host = raw_host(phone)
    host.connect()
    host.open(1, "shell:sleep 0.5; echo slow")
    host.open(2, "shell:echo fast")
    order = []
    while len(order) < 2:
        packet = host.read()
        if packet.command == A_WRTE:
            host.send(Packet(A_OKAY, packet.arg1, packet.arg0))
            order.append(packet.data)
    assert order == [b"fast\n", b"slow\n"]


def test_an_unknown_service_is_refused_with_clse(make_phone, raw_host, tmp_path):
    phone = make_phone(auth="off", log_path=tmp_path / "log")
    host = raw_host(phone)
    host.connect()
    reply = host.open(5, "sync:")
    assert (reply.command, reply.arg0, reply.arg1) == (A_CLSE, 0, 5)
    assert (tmp_path / "log").read_text() == ""  # nothing was opened


def test_host_writes_are_acknowledged_including_close_stdin(make_phone, raw_host):
    phone = make_phone(auth="off")
    host = raw_host(phone)
    host.connect()
    okay = host.open(3, "shell,v2,raw:sleep 0.3; exit 4")
    assert okay.command == A_OKAY
    host.send(Packet(A_WRTE, 3, okay.arg0, encode_shell_frame(ShellId.CLOSE_STDIN, b"")))
    ack = host.read()
    assert (ack.command, ack.arg0, ack.arg1) == (A_OKAY, okay.arg0, 3)
    data, _ = host.collect(3)
    assert ShellFrameDecoder().feed(data) == [(ShellId.EXIT, b"\x04")]


def test_a_host_clse_stops_the_output(make_phone, raw_host):
    phone = make_phone(auth="off")
    host = raw_host(phone)
    host.connect()
    host.open(1, "shell:bytes 1000000")
    first = host.read()
    assert first.command == A_WRTE
    host.send(Packet(A_CLSE, 1, first.arg0))
    host.send(Packet(A_OKAY, 1, first.arg0))  # a late OKAY must not revive it
    # adbd answers a host's CLSE with its own (sockets.cpp: the remote socket's shutdown
    # sends A_CLSE), which adb-shell waits for after a push; then the stream is silent.
    answer = host.read()
    assert (answer.command, answer.arg0, answer.arg1) == (A_CLSE, first.arg0, 1)
    assert host.nothing_within(0.3)
    host.open(2, "shell:echo still here")
    assert host.collect(2)[0] == b"still here\n"


def test_a_bad_magic_drops_the_connection(make_phone, raw_host):
    phone = make_phone(auth="off")
    host = raw_host(phone)
    host.connect()
    host.sock.sendall(HEADER.pack(A_OKAY, 1, 1, 0, 0, 0x12345678))
    with pytest.raises(ConnectionError):
        host.read()


def test_streams_wait_for_the_handshake(make_phone, raw_host):
    phone = make_phone(auth="accept")
    host = raw_host(phone)
    token = host.connect()
    assert token.command == A_AUTH
    host.send(Packet(A_OPEN, 1, 0, b"shell:echo sneaky\0"))
    assert host.nothing_within(0.3)
    assert phone.shell.commands == []


# --- AUTH -------------------------------------------------------------------------------------


@pytest.fixture
def signer(adb_shell_key: Path) -> CryptographySigner:
    return CryptographySigner(str(adb_shell_key))


def test_auth_sends_a_fresh_20_byte_token_after_each_bad_signature(make_phone, raw_host, signer):
    phone = make_phone(auth="accept")
    host = raw_host(phone)
    first = host.connect()
    assert (first.command, first.arg0, len(first.data)) == (A_AUTH, AUTH_TOKEN, 20)
    host.send(Packet(A_AUTH, AUTH_SIGNATURE, 0, signer.Sign(os.urandom(20))))
    second = host.read()
    assert (second.command, second.arg0, len(second.data)) == (A_AUTH, AUTH_TOKEN, 20)
    assert second.data != first.data
    assert phone.trusted_keys == ()


def test_accept_trusts_the_offered_key_like_a_tap_on_allow(make_phone, raw_host, signer):
    phone = make_phone(auth="accept")
    host = raw_host(phone)
    host.connect()
    host.send(Packet(A_AUTH, AUTH_RSAPUBLICKEY, 0, signer.GetPublicKey() + b"\0"))
    assert host.read().command == A_CNXN
    assert phone.trusted_keys == (adbkeys.parse_public_key(signer.GetPublicKey()),)

    phone.auth = "reject"  # from now on only a known key gets in
    again = raw_host(phone)
    token = again.connect()
    again.send(Packet(A_AUTH, AUTH_SIGNATURE, 0, signer.Sign(token.data)))
    assert again.read().command == A_CNXN


def test_reject_leaves_the_host_waiting_forever(make_phone, raw_host, signer):
    phone = make_phone(auth="reject")
    host = raw_host(phone)
    host.connect()
    host.send(Packet(A_AUTH, AUTH_RSAPUBLICKEY, 0, signer.GetPublicKey() + b"\0"))
    assert host.nothing_within(0.5)
    assert phone.trusted_keys == ()


def test_a_preloaded_key_signs_in_even_when_prompts_are_rejected(make_phone, raw_host, signer):
    phone = make_phone(auth="reject", trusted_keys=[signer.GetPublicKey()])
    host = raw_host(phone)
    token = host.connect()
    host.send(Packet(A_AUTH, AUTH_SIGNATURE, 0, signer.Sign(token.data)))
    assert host.read().command == A_CNXN


def test_a_signature_from_another_key_is_not_enough(make_phone, raw_host, signer, tmp_path):
    keygen(str(tmp_path / "other"))
    other = CryptographySigner(str(tmp_path / "other"))
    phone = make_phone(auth="reject", trusted_keys=[signer.GetPublicKey()])
    host = raw_host(phone)
    token = host.connect()
    host.send(Packet(A_AUTH, AUTH_SIGNATURE, 0, other.Sign(token.data)))
    assert host.read().arg0 == AUTH_TOKEN


def test_a_garbled_public_key_is_ignored(make_phone, raw_host):
    phone = make_phone(auth="accept")
    host = raw_host(phone)
    host.connect()
    host.send(Packet(A_AUTH, AUTH_RSAPUBLICKEY, 0, b"QUJD not a key\0"))
    assert host.nothing_within(0.3)
    assert phone.trusted_keys == ()


# --- costs and the log ------------------------------------------------------------------------


def test_round_trip_cost_is_paid_once_per_stream(make_phone, raw_host):
    phone = make_phone(auth="off", costs=Costs(round_trip_s=0.3))
    host = raw_host(phone)
    host.connect()
    started = time.monotonic()
    host.open(1, "shell:echo a")
    host.collect(1)
    elapsed = time.monotonic() - started
    assert 0.3 <= elapsed < 0.6  # not twice

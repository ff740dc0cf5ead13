from hardener.collect import device_info, ops_by_scope
from hardener.parsers import parse_appops_get


def test_ops_the_text_cannot_place_are_placed_by_their_nature():
    # Android prints "Uid mode:" once; the second uid entry looks like a package entry.
    text = (
        "Uid mode: COARSE_LOCATION: foreground\n"
        "READ_CONTACTS: ignore\n"
        "RUN_ANY_IN_BACKGROUND: ignore\n"
    )
    ops = parse_appops_get(text)
    uid, package = ops_by_scope(ops, "uid"), ops_by_scope(ops, "package")
    assert uid["COARSE_LOCATION"] == "foreground"
    assert package["RUN_ANY_IN_BACKGROUND"] == "ignore"
    assert "READ_CONTACTS" in uid or "READ_CONTACTS" in package
    assert set(uid) | set(package) == {"COARSE_LOCATION", "READ_CONTACTS", "RUN_ANY_IN_BACKGROUND"}


def test_device_info_names_the_rom_and_prefers_the_phones_own_serial():
    props = {
        "ro.serialno": "8c3f2a71",
        "ro.product.model": "23127PN0CC",
        "ro.product.manufacturer": "Xiaomi",
        "ro.build.version.sdk": "34",
        "ro.build.version.release": "14",
        "ro.mi.os.version.name": "OS1.0",
        "ro.miui.ui.version.name": "V816",
        "persist.sys.timezone": "Asia/Shanghai",
    }
    info = device_info(props, "127.0.0.1:5555")
    assert (info.serial, info.rom, info.rom_version, info.sdk) == (
        "8c3f2a71",
        "hyperos",
        "OS1.0",
        34,
    )
    assert info.timezone == "Asia/Shanghai"
    bare = device_info({}, "127.0.0.1:5555")
    assert (bare.serial, bare.rom, bare.sdk) == ("127.0.0.1:5555", "stock", 0)

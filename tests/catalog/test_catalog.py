"""The app catalog: every package of android-levers.md §7 is present with the right category."""

from __future__ import annotations

import pytest

from hardener.android.catalog import CATEGORIES, CatalogApp, is_package_name, load_catalog
from hardener.android.catalog.catalog import parse_catalog

# android-levers.md §7.1 and §7.2, including the variants the tables name.
WORKPLACE = {
    "com.alibaba.android.rimet",
    "com.tencent.wework",
    "com.ss.android.lark",
    "com.larksuite.suite",
    "com.tencent.wemeet.app",
    "com.huawei.welink",
    "com.seeyon.cmp",
    "com.weaver.emobile7",
    "com.inspur.emmcloud",
    "com.tencent.tim",
    "com.tencent.docs",
    "cn.wps.moffice_eng",
    "com.Slack",
    "com.microsoft.teams",
    "com.microsoft.office.outlook",
    "us.zoom.videomeetings",
    "com.google.android.apps.tachyon",
    "com.google.android.apps.meetings",
    "com.google.android.apps.dynamite",
    "com.cisco.webex.meetings",
    "com.workday.workdroidapp",
    "com.salesforce.chatter",
}
SOCIAL = {
    "com.tencent.mm",
    "com.tencent.mobileqq",
    "com.sina.weibo",
    "com.ss.android.ugc.aweme",
    "com.ss.android.ugc.aweme.lite",
    "com.zhiliaoapp.musically",
    "com.ss.android.ugc.trill",
    "com.smile.gifmaker",
    "com.kuaishou.nebula",
    "com.xingin.xhs",
    "tv.danmaku.bili",
    "com.zhihu.android",
    "com.ss.android.article.news",
    "com.whatsapp",
    "com.whatsapp.w4b",
    "com.facebook.katana",
    "com.facebook.orca",
    "com.instagram.android",
    "com.instagram.barcelona",
    "org.telegram.messenger",
    "org.thoughtcrime.securesms",
    "jp.naver.line.android",
    "com.kakao.talk",
    "com.snapchat.android",
    "com.twitter.android",
    "com.linkedin.android",
    "com.discord",
    "com.viber.voip",
    "com.skype.raider",
}


def test_every_section_7_package_is_present_with_its_category():
    catalog = load_catalog()
    for package in WORKPLACE:
        assert catalog.category_of(package) == "workplace", package
    for package in SOCIAL:
        assert catalog.category_of(package) == "social", package
    # At least the 21 workplace and 25 social apps (variants on top).
    assert len(WORKPLACE) >= 21 and len(SOCIAL) >= 25


def test_entries_are_well_formed():
    catalog = load_catalog()
    for app in catalog:
        assert is_package_name(app.package), app.package
        assert app.name.strip(), app.package
        assert app.category in ("workplace", "social")
        assert app.region, app.package
        assert set(app.region) <= {"CN", "KR", "global"}, app.package
        if app.variant_of is not None:
            assert app.variant_of in catalog
            assert catalog.category_of(app.variant_of) == app.category
            assert app.note, f"{app.package}: say why the variant exists"


def test_package_names_are_case_sensitive():
    catalog = load_catalog()
    assert "com.Slack" in catalog
    assert "com.slack" not in catalog
    assert catalog.category_of("com.slack") == "other"


def test_unknown_package_is_other_and_named_by_itself():
    catalog = load_catalog()
    assert catalog.category_of("com.example.unknown") == "other"
    assert catalog.name_of("com.example.unknown") == "com.example.unknown"
    assert catalog.get("com.example.unknown") is None
    assert "other" in CATEGORIES


def test_with_additions_adds_and_recategorises_without_touching_the_original():
    catalog = load_catalog()
    changed = catalog.with_additions(
        [
            CatalogApp("com.example.timesheet", "Timesheet", "workplace"),
            CatalogApp("com.tencent.mm", "", "workplace"),
        ]
    )
    assert changed.category_of("com.example.timesheet") == "workplace"
    assert changed.category_of("com.tencent.mm") == "workplace"
    assert changed.name_of("com.tencent.mm") == catalog.name_of("com.tencent.mm")
    assert catalog.category_of("com.tencent.mm") == "social"
    assert "com.example.timesheet" not in catalog
    assert len(changed) == len(catalog) + 1
    unnamed = catalog.with_additions([CatalogApp("com.example.x", "", "social")])
    assert unnamed.name_of("com.example.x") == "com.example.x"


def test_packages_listing_is_sorted_and_filtered():
    catalog = load_catalog()
    workplace = catalog.packages("workplace")
    assert list(workplace) == sorted(workplace)
    assert set(workplace) == {a.package for a in catalog if a.category == "workplace"}
    assert set(catalog.packages()) == set(workplace) | set(catalog.packages("social"))


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("com.tencent.mm", True),
        ("com.Slack", True),
        ("cn.wps.moffice_eng", True),
        ("tencent", False),
        ("com..mm", False),
        ("com.1app", False),
        ("com.tencent.mm; reboot", False),
        ("com.tencent.*", False),
        ("", False),
    ],
)
def test_is_package_name(text, ok):
    assert is_package_name(text) is ok


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"games": {}}, "unknown category"),
        ({"social": {"not a package": {"name": "x"}}}, "not a package name"),
        ({"social": {"a.b": {"name": "x", "colour": "red"}}}, "unknown fields"),
        ({"social": {"a.b": {"name": "x"}}, "workplace": {"a.b": {"name": "y"}}}, "twice"),
        ({"social": {"a.b": {"name": "x", "variant_of": "c.d"}}}, "variant of unknown"),
    ],
)
def test_parse_catalog_rejects_malformed_data(data, message):
    with pytest.raises(ValueError, match=message):
        parse_catalog(data)

"""Realistic filler for personas: the ROM's system packages and ordinary third-party apps.

Personas name the apps that matter (workplace and social apps, legacy apps); everything
else a real phone carries - a few hundred system packages, a hundred ordinary apps - is
generated here, deterministically from a seed, so a persona file stays readable and
`apps=N` can build a phone of any size for benchmarks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# (package, partition dir, privileged, shared user) per ROM family. Shared users:
# android.uid.system (1000), android.uid.phone (1001), android.uid.shell (2000).
_AOSP_CORE = [
    ("android", "/system/framework/framework-res.apk", True, "android.uid.system"),
    ("com.android.settings", "/system/priv-app/Settings", True, "android.uid.system"),
    ("com.android.shell", "/system/priv-app/Shell", True, "android.uid.shell"),
    ("com.android.phone", "/system/priv-app/TeleService", True, "android.uid.phone"),
    (
        "com.android.providers.settings",
        "/system/priv-app/SettingsProvider",
        True,
        "android.uid.system",
    ),
    ("com.android.systemui", "/system_ext/priv-app/SystemUI", True, None),
    ("com.android.providers.contacts", "/system/priv-app/ContactsProvider", True, None),
    ("com.android.providers.calendar", "/system/priv-app/CalendarProvider", True, None),
    ("com.android.providers.downloads", "/system/priv-app/DownloadProvider", True, None),
    ("com.android.providers.media", "/system/priv-app/MediaProviderLegacy", True, None),
    (
        "com.android.providers.telephony",
        "/system/priv-app/TelephonyProvider",
        True,
        "android.uid.phone",
    ),
    ("com.android.providers.blockednumber", "/system/priv-app/BlockedNumberProvider", True, None),
    ("com.android.providers.userdictionary", "/system/app/UserDictionaryProvider", False, None),
    ("com.android.providers.downloads.ui", "/system/app/DownloadProviderUi", False, None),
    ("com.android.bluetooth", "/system/app/Bluetooth", False, None),
    ("com.android.nfc", "/system/app/NfcNci", False, None),
    ("com.android.keychain", "/system/app/KeyChain", False, "android.uid.system"),
    ("com.android.certinstaller", "/system/app/CertInstaller", False, None),
    ("com.android.backupconfirm", "/system/app/BackupRestoreConfirmation", False, None),
    ("com.android.sharedstoragebackup", "/system/app/SharedStorageBackup", False, None),
    ("com.android.externalstorage", "/system/priv-app/ExternalStorageProvider", True, None),
    ("com.android.mtp", "/system/priv-app/MtpService", True, None),
    ("com.android.pacprocessor", "/system/app/PacProcessor", False, None),
    ("com.android.proxyhandler", "/system/app/ProxyHandler", False, None),
    ("com.android.inputdevices", "/system/priv-app/InputDevices", True, "android.uid.system"),
    ("com.android.location.fused", "/system/priv-app/FusedLocation", True, "android.uid.system"),
    ("com.android.vpndialogs", "/system/priv-app/VpnDialogs", True, None),
    ("com.android.wallpaperbackup", "/system/app/WallpaperBackup", False, "android.uid.system"),
    ("com.android.localtransport", "/system/priv-app/LocalTransport", True, "android.uid.system"),
    ("com.android.emergency", "/system/priv-app/EmergencyInfo", True, None),
    ("com.android.bookmarkprovider", "/system/app/BookmarkProvider", False, None),
    ("com.android.printspooler", "/system/app/PrintSpooler", False, None),
    ("com.android.statementservice", "/system/app/StatementService", False, None),
    ("com.android.dreams.basic", "/system/app/BasicDreams", False, None),
    ("com.android.egg", "/system/app/EasterEgg", False, None),
    ("com.android.smspush", "/system/app/WAPPushManager", False, None),
    ("com.android.stk", "/system/app/Stk", False, "android.uid.phone"),
    ("com.android.carrierconfig", "/system/priv-app/CarrierConfig", True, "android.uid.phone"),
    ("com.android.carrierdefaultapp", "/system/app/CarrierDefaultApp", False, None),
    ("com.android.companiondevicemanager", "/system/app/CompanionDeviceManager", False, None),
    ("com.android.mms.service", "/system/priv-app/MmsService", True, "android.uid.phone"),
    ("com.android.server.telecom", "/system/priv-app/Telecom", True, "android.uid.system"),
    ("com.android.simappdialog", "/system/app/SimAppDialog", False, None),
    ("com.android.bips", "/system/app/BuiltInPrintService", False, None),
    ("com.android.cts.priv.ctsshim", "/system/priv-app/CtsShimPrivPrebuilt", True, None),
    ("com.android.wallpaper.livepicker", "/system/app/LiveWallpapersPicker", False, None),
    ("com.android.musicfx", "/system/priv-app/MusicFX", True, None),
    ("com.android.se", "/system/app/SecureElement", False, "android.uid.se"),
    ("com.android.ons", "/system/priv-app/ONS", True, "android.uid.phone"),
    ("com.android.traceur", "/system/app/Traceur", False, None),
    ("com.android.dynsystem", "/system/priv-app/DynamicSystemInstallationService", True, None),
]
_MODERN_EXTRA = [
    ("com.android.intentresolver", "/system/priv-app/IntentResolver", True, None),
    ("com.android.credentialmanager", "/system/app/CredentialManager", False, None),
    ("com.android.cameraextensions", "/system/app/CameraExtensionsProxy", False, None),
    ("com.android.imsserviceentitlement", "/system/app/ImsServiceEntitlement", False, None),
    ("com.android.wifi.resources", "/apex/com.android.wifi/app/ServiceWifiResources", False, None),
    ("com.android.wifi.dialog", "/apex/com.android.wifi/app/WifiDialog", False, None),
    ("com.android.devicelockcontroller", "/system/priv-app/DeviceLockController", True, None),
    (
        "com.android.healthconnect.controller",
        "/apex/com.android.healthfitness/priv-app/HealthConnectController",
        True,
        None,
    ),
    (
        "com.android.safetycenter.resources",
        "/apex/com.android.permission/app/SafetyCenterResources",
        False,
        None,
    ),
    ("com.android.managedprovisioning", "/system/priv-app/ManagedProvisioning", True, None),
    ("com.android.storagemanager", "/system/priv-app/StorageManager", True, None),
    (
        "com.android.networkstack.tethering",
        "/apex/com.android.tethering/priv-app/Tethering",
        True,
        None,
    ),
    (
        "com.android.cellbroadcastreceiver",
        "/apex/com.android.cellbroadcast/priv-app/CellBroadcastApp",
        True,
        None,
    ),
    ("com.android.role.notes.enabled", "/system/app/RoleNotesEnabled", False, None),
    (
        "com.android.virtualmachine.res",
        "/apex/com.android.virt/app/VirtualMachineResources",
        False,
        None,
    ),
]
_GOOGLE = [
    ("com.google.android.gms", "/product/priv-app/PrebuiltGmsCore", True, None),
    ("com.google.android.gsf", "/product/priv-app/GoogleServicesFramework", True, None),
    ("com.android.vending", "/product/priv-app/Phonesky", True, None),
    (
        "com.google.android.permissioncontroller",
        "/apex/com.android.permission/priv-app/GooglePermissionController",
        True,
        None,
    ),
    ("com.google.android.packageinstaller", "/system/priv-app/GooglePackageInstaller", True, None),
    (
        "com.google.android.documentsui",
        "/apex/com.android.mediaprovider/priv-app/DocumentsUIGoogle",
        True,
        None,
    ),
    (
        "com.google.android.providers.media.module",
        "/apex/com.android.mediaprovider/priv-app/MediaProviderGoogle",
        True,
        None,
    ),
    (
        "com.google.android.networkstack",
        "/apex/com.android.networkstack/priv-app/NetworkStackGoogle",
        True,
        None,
    ),
    (
        "com.google.android.captiveportallogin",
        "/apex/com.android.networkstack/app/CaptivePortalLoginGoogle",
        False,
        None,
    ),
    ("com.google.android.webview", "/product/app/WebViewGoogle", False, None),
    ("com.google.android.inputmethod.latin", "/product/app/LatinIMEGooglePrebuilt", False, None),
    ("com.google.android.apps.maps", "/product/app/Maps", False, None),
    ("com.google.android.gm", "/product/app/PrebuiltGmail", False, None),
    ("com.google.android.youtube", "/product/app/YouTube", False, None),
    ("com.google.android.apps.photos", "/product/app/Photos", False, None),
    ("com.google.android.apps.docs", "/product/app/Drive", False, None),
    ("com.google.android.calendar", "/product/app/CalendarGooglePrebuilt", False, None),
    ("com.google.android.contacts", "/product/priv-app/GoogleContacts", True, None),
    ("com.google.android.dialer", "/product/priv-app/GoogleDialer", True, None),
    ("com.google.android.apps.messaging", "/product/app/PrebuiltBugle", False, None),
    ("com.google.android.deskclock", "/product/app/PrebuiltDeskClockGoogle", False, None),
    ("com.google.android.googlequicksearchbox", "/product/priv-app/Velvet", True, None),
    ("com.google.android.apps.wellbeing", "/product/priv-app/WellbeingPrebuilt", True, None),
    ("com.google.android.marvin.talkback", "/product/app/talkback", False, None),
    ("com.google.android.tts", "/product/app/GoogleTTS", False, None),
    ("com.google.android.setupwizard", "/product/priv-app/SetupWizardPrebuilt", True, None),
    ("com.google.android.partnersetup", "/product/priv-app/PartnerSetupPrebuilt", True, None),
    ("com.google.android.configupdater", "/product/priv-app/ConfigUpdater", True, None),
    (
        "com.google.android.ext.services",
        "/apex/com.android.extservices/priv-app/GoogleExtServices",
        True,
        None,
    ),
    (
        "com.google.android.ext.shared",
        "/apex/com.android.extservices/app/GoogleExtShared",
        False,
        None,
    ),
    (
        "com.google.android.printservice.recommendation",
        "/product/app/GooglePrintRecommendationService",
        False,
        None,
    ),
    ("com.google.android.feedback", "/product/priv-app/GoogleFeedback", True, None),
    (
        "com.google.android.onetimeinitializer",
        "/product/priv-app/GoogleOneTimeInitializer",
        True,
        None,
    ),
    ("com.google.android.apps.restore", "/product/priv-app/GoogleRestorePrebuilt", True, None),
    ("com.google.android.apps.turbo", "/product/priv-app/TurboPrebuilt", True, None),
    (
        "com.google.android.as",
        "/product/priv-app/DevicePersonalizationPrebuiltPixel2023",
        True,
        None,
    ),
    (
        "com.google.android.apps.nexuslauncher",
        "/system_ext/priv-app/NexusLauncherRelease",
        True,
        None,
    ),
    ("com.google.android.GoogleCamera", "/product/app/GoogleCamera", False, None),
    ("com.google.android.apps.safetyhub", "/product/priv-app/SafetyHubPrebuilt", True, None),
    ("com.google.android.apps.tachyon", "/product/app/Duo", False, None),
    (
        "com.google.android.settings.intelligence",
        "/product/priv-app/SettingsIntelligenceGooglePrebuilt",
        True,
        None,
    ),
    (
        "com.google.android.apps.wallpaper",
        "/product/priv-app/WallpaperPickerGoogleRelease",
        True,
        None,
    ),
    ("com.google.android.euicc", "/product/priv-app/EuiccGoogle", True, None),
    ("com.google.android.apps.pixelmigrate", "/product/priv-app/PixelMigratePrebuilt", True, None),
    ("com.google.android.apps.recorder", "/product/app/RecorderPrebuilt", False, None),
    ("com.google.android.soundpicker", "/product/app/SoundPickerPrebuilt", False, None),
    ("com.google.android.apps.youtube.music", "/product/app/YouTubeMusicPrebuilt", False, None),
    ("com.google.android.videos", "/product/app/Videos", False, None),
    ("com.google.android.keep", "/product/app/PrebuiltKeep", False, None),
    ("com.google.android.apps.googleassistant", "/product/app/AssistantShell", False, None),
    ("com.google.android.apps.walletnfcrel", "/product/app/WalletPrebuilt", False, None),
    ("com.google.android.apps.subscriptions.red", "/product/app/GoogleOne", False, None),
    ("com.google.android.apps.safetyhub", "/product/priv-app/SafetyHubPrebuilt", True, None),
    (
        "com.google.android.hotspot2.osulogin",
        "/apex/com.android.wifi/app/OsuLoginGoogle",
        False,
        None,
    ),
    (
        "com.google.android.overlay.modules.permissioncontroller",
        "/product/overlay/GooglePermissionControllerOverlay.apk",
        False,
        None,
    ),
    (
        "com.google.android.overlay.gmsconfig.common",
        "/product/overlay/GmsConfigOverlayCommon.apk",
        False,
        None,
    ),
    (
        "com.google.android.overlay.pixelconfigcommon",
        "/product/overlay/PixelConfigOverlayCommon.apk",
        False,
        None,
    ),
]
_XIAOMI = [
    "com.miui.daemon",
    "com.miui.powerkeeper",
    "com.miui.securitycenter",
    "com.miui.securitycore",
    "com.miui.securityadd",
    "com.lbe.security.miui",
    "com.miui.home",
    "com.miui.gallery",
    "com.miui.core",
    "com.miui.rom",
    "com.miui.system",
    "com.miui.analytics",
    "com.miui.aod",
    "com.miui.face",
    "com.miui.freeform",
    "com.miui.notification",
    "com.miui.guardprovider",
    "com.miui.miwallpaper",
    "com.miui.mishare.connectivity",
    "com.miui.misightservice",
    "com.miui.extraphoto",
    "com.miui.mediaviewer",
    "com.miui.core.internal.services",
    "com.xiaomi.xmsf",
    "com.xiaomi.account",
    "com.xiaomi.joyose",
    "com.xiaomi.finddevice",
    "com.xiaomi.discover",
    "com.xiaomi.bluetooth",
    "com.xiaomi.micloud.sdk",
    "com.xiaomi.aicr",
    "com.xiaomi.devauth",
    "com.xiaomi.cameramind",
    "com.xiaomi.ugd",
    "com.xiaomi.miralink",
    "com.android.camera",
    "com.android.updater",
    "com.android.deskclock",
    "com.android.incallui",
    "com.mi.android.globalFileexplorer",
    "com.milink.service",
    "com.miui.weather2",
    "com.miui.cleanmaster",
    "com.miui.player",
    "com.miui.compass",
    "com.android.thememanager",
    "com.xiaomi.market",
    "com.miui.hybrid",
    "com.miui.voiceassist",
    "com.xiaomi.mipicks",
]
_SAMSUNG = [
    "com.samsung.android.app.telephonyui",
    "com.samsung.android.messaging",
    "com.samsung.android.dialer",
    "com.samsung.android.contacts",
    "com.sec.android.app.launcher",
    "com.sec.android.app.camera",
    "com.sec.android.gallery3d",
    "com.sec.android.app.clockpackage",
    "com.sec.android.app.myfiles",
    "com.sec.android.app.sbrowser",
    "com.samsung.android.calendar",
    "com.samsung.android.app.notes",
    "com.samsung.android.bixby.agent",
    "com.samsung.android.knox.containercore",
    "com.samsung.android.knox.containeragent",
    "com.samsung.knox.securefolder",
    "com.samsung.android.lool",
    "com.samsung.android.sm.devicesecurity",
    "com.samsung.android.scloud",
    "com.samsung.android.mobileservice",
    "com.samsung.android.app.smartcapture",
    "com.samsung.android.game.gamehome",
    "com.samsung.android.honeyboard",
    "com.samsung.android.oneconnect",
    "com.samsung.android.app.routines",
    "com.samsung.android.smartswitchassistant",
    "com.samsung.android.provider.filterprovider",
    "com.samsung.android.app.galaxyfinder",
    "com.samsung.android.da.daagent",
    "com.samsung.android.authfw",
    "com.samsung.android.biometrics.app.setting",
    "com.osp.app.signin",
    "com.samsung.android.app.spage",
    "com.samsung.android.themestore",
    "com.samsung.android.voc",
    "com.samsung.android.spay",
    "com.samsung.android.wellbeing",
    "com.samsung.android.kidsinstaller",
    "com.samsung.android.dqagent",
    "com.samsung.android.fmm",
]

_ROM_SETS = {
    "pixel": (_AOSP_CORE + _MODERN_EXTRA + _GOOGLE, []),
    "xiaomi": (_AOSP_CORE + _MODERN_EXTRA + _GOOGLE[:34], _XIAOMI),
    "samsung": (_AOSP_CORE + _MODERN_EXTRA + _GOOGLE[:30], _SAMSUNG),
    "aosp9": (_AOSP_CORE + _GOOGLE[:30], []),
}


@dataclass
class SystemApp:
    package: str
    code_path: str
    privileged: bool
    shared_user: str | None
    requested: list[str] = field(default_factory=list)
    grants: dict[str, str] = field(default_factory=dict)


def _vendor_path(package: str, privileged: bool) -> str:
    leaf = "".join(part.capitalize() for part in package.split(".")[-2:])
    return f"/system/{'priv-app' if privileged else 'app'}/{leaf}"


# Role holders and default grants on a stock phone (GRANTED_BY_DEFAULT / SYSTEM_FIXED ...).
_SYSTEM_GRANTS: dict[str, dict[str, str]] = {
    "com.google.android.gms": {
        "ACCESS_FINE_LOCATION": "granted SYSTEM_FIXED GRANTED_BY_DEFAULT",
        "ACCESS_COARSE_LOCATION": "granted SYSTEM_FIXED GRANTED_BY_DEFAULT",
        "ACCESS_BACKGROUND_LOCATION": "granted SYSTEM_FIXED GRANTED_BY_DEFAULT",
        "READ_CONTACTS": "granted GRANTED_BY_DEFAULT",
        "GET_ACCOUNTS": "granted GRANTED_BY_DEFAULT",
        "CAMERA": "granted GRANTED_BY_DEFAULT",
        "RECORD_AUDIO": "granted GRANTED_BY_DEFAULT",
    },
    "com.android.providers.contacts": {
        "READ_CONTACTS": "granted SYSTEM_FIXED GRANTED_BY_DEFAULT",
        "WRITE_CONTACTS": "granted SYSTEM_FIXED GRANTED_BY_DEFAULT",
        "GET_ACCOUNTS": "granted SYSTEM_FIXED GRANTED_BY_DEFAULT",
    },
    "com.google.android.contacts": {
        "READ_CONTACTS": "granted GRANTED_BY_DEFAULT",
        "WRITE_CONTACTS": "granted GRANTED_BY_DEFAULT",
        "GET_ACCOUNTS": "granted GRANTED_BY_DEFAULT",
        "CALL_PHONE": "granted GRANTED_BY_DEFAULT",
    },
    "com.google.android.dialer": {
        "READ_CONTACTS": "granted GRANTED_BY_ROLE",
        "CALL_PHONE": "granted GRANTED_BY_ROLE",
        "READ_CALL_LOG": "granted GRANTED_BY_ROLE",
        "READ_PHONE_STATE": "granted GRANTED_BY_ROLE",
        "RECORD_AUDIO": "granted GRANTED_BY_DEFAULT",
    },
    "com.google.android.GoogleCamera": {
        "CAMERA": "granted GRANTED_BY_DEFAULT",
        "RECORD_AUDIO": "granted GRANTED_BY_DEFAULT",
        "ACCESS_FINE_LOCATION": "denied USER_SET",
        "ACCESS_COARSE_LOCATION": "denied USER_SET",
    },
    "com.android.phone": {},
    "com.google.android.apps.messaging": {
        "READ_SMS": "granted GRANTED_BY_ROLE",
        "SEND_SMS": "granted GRANTED_BY_ROLE",
        "RECEIVE_SMS": "granted GRANTED_BY_ROLE",
        "READ_CONTACTS": "granted GRANTED_BY_DEFAULT",
    },
    "com.google.android.apps.maps": {
        "ACCESS_FINE_LOCATION": "granted USER_SET",
        "ACCESS_COARSE_LOCATION": "granted USER_SET",
    },
    "com.android.camera": {
        "CAMERA": "granted SYSTEM_FIXED GRANTED_BY_DEFAULT",
        "RECORD_AUDIO": "granted SYSTEM_FIXED GRANTED_BY_DEFAULT",
    },
    "com.sec.android.app.camera": {
        "CAMERA": "granted SYSTEM_FIXED GRANTED_BY_DEFAULT",
        "RECORD_AUDIO": "granted SYSTEM_FIXED GRANTED_BY_DEFAULT",
    },
    "com.samsung.android.dialer": {
        "READ_CONTACTS": "granted SYSTEM_FIXED GRANTED_BY_DEFAULT",
        "CALL_PHONE": "granted SYSTEM_FIXED GRANTED_BY_DEFAULT",
    },
}


def system_apps(rom_set: str) -> list[SystemApp]:
    core, vendor = _ROM_SETS[rom_set]
    apps: list[SystemApp] = []
    seen: set[str] = set()
    for package, path, privileged, shared in core:
        if package in seen:
            continue
        seen.add(package)
        apps.append(SystemApp(package, path, privileged, shared))
    for package in vendor:
        if package in seen:
            continue
        seen.add(package)
        privileged = any(
            word in package
            for word in ("security", "daemon", "powerkeeper", "knox", "core", "system")
        )
        apps.append(SystemApp(package, _vendor_path(package, privileged), privileged, None))
    for app in apps:
        grants = _SYSTEM_GRANTS.get(app.package, {})
        app.grants = dict(grants)
        app.requested = ["INTERNET", *grants]
    return apps


# Ordinary third-party apps: (package, requested runtime permissions).
_ORDINARY = [
    ("com.spotify.music", "RECORD_AUDIO BLUETOOTH_CONNECT POST_NOTIFICATIONS READ_MEDIA_AUDIO"),
    ("com.netflix.mediaclient", "POST_NOTIFICATIONS"),
    (
        "com.amazon.mShop.android.shopping",
        "CAMERA RECORD_AUDIO ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION POST_NOTIFICATIONS",
    ),
    (
        "com.ubercab",
        "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION CAMERA READ_CONTACTS POST_NOTIFICATIONS",
    ),
    (
        "com.airbnb.android",
        "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION CAMERA READ_CALENDAR POST_NOTIFICATIONS",
    ),
    ("com.duolingo", "RECORD_AUDIO POST_NOTIFICATIONS"),
    (
        "com.booking",
        "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION POST_NOTIFICATIONS READ_CALENDAR "
        "WRITE_CALENDAR",
    ),
    (
        "com.dropbox.android",
        "CAMERA READ_MEDIA_IMAGES READ_MEDIA_VIDEO READ_CONTACTS POST_NOTIFICATIONS",
    ),
    (
        "com.evernote",
        "CAMERA RECORD_AUDIO ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION READ_CALENDAR",
    ),
    ("com.adobe.reader", "POST_NOTIFICATIONS CAMERA"),
    (
        "org.mozilla.firefox",
        "CAMERA RECORD_AUDIO ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION POST_NOTIFICATIONS",
    ),
    (
        "com.brave.browser",
        "CAMERA RECORD_AUDIO ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION POST_NOTIFICATIONS",
    ),
    ("com.opera.browser", "CAMERA RECORD_AUDIO ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION"),
    (
        "com.shazam.android",
        "RECORD_AUDIO ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION POST_NOTIFICATIONS",
    ),
    ("com.soundcloud.android", "POST_NOTIFICATIONS READ_MEDIA_AUDIO"),
    (
        "com.strava",
        "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION ACCESS_BACKGROUND_LOCATION "
        "ACTIVITY_RECOGNITION BODY_SENSORS CAMERA READ_CONTACTS POST_NOTIFICATIONS",
    ),
    (
        "com.nianticlabs.pokemongo",
        "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION CAMERA ACTIVITY_RECOGNITION "
        "POST_NOTIFICATIONS",
    ),
    ("com.king.candycrushsaga", "POST_NOTIFICATIONS"),
    ("com.supercell.clashofclans", "POST_NOTIFICATIONS"),
    ("com.mojang.minecraftpe", "RECORD_AUDIO"),
    ("com.roblox.client", "CAMERA RECORD_AUDIO POST_NOTIFICATIONS"),
    ("com.pinterest", "CAMERA READ_MEDIA_IMAGES POST_NOTIFICATIONS"),
    ("com.reddit.frontpage", "CAMERA POST_NOTIFICATIONS READ_MEDIA_IMAGES"),
    ("com.tumblr", "CAMERA POST_NOTIFICATIONS"),
    (
        "com.paypal.android.p2pmobile",
        "CAMERA READ_CONTACTS ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION POST_NOTIFICATIONS",
    ),
    (
        "com.revolut.revolut",
        "CAMERA READ_CONTACTS ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION POST_NOTIFICATIONS",
    ),
    ("com.transferwise.android", "CAMERA READ_CONTACTS POST_NOTIFICATIONS"),
    (
        "com.waze",
        "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION ACCESS_BACKGROUND_LOCATION "
        "RECORD_AUDIO READ_CONTACTS READ_CALENDAR POST_NOTIFICATIONS",
    ),
    (
        "com.citymapper.app.release",
        "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION POST_NOTIFICATIONS",
    ),
    (
        "de.hafas.android.db",
        "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION CAMERA POST_NOTIFICATIONS",
    ),
    (
        "com.accuweather.android",
        "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION ACCESS_BACKGROUND_LOCATION POST_NOTIFICATIONS",
    ),
    ("com.todoist", "RECORD_AUDIO READ_CALENDAR POST_NOTIFICATIONS"),
    ("com.ticktick.task", "READ_CALENDAR WRITE_CALENDAR POST_NOTIFICATIONS"),
    ("md.obsidian", "CAMERA RECORD_AUDIO"),
    ("com.notion.id", "CAMERA RECORD_AUDIO POST_NOTIFICATIONS"),
    (
        "com.microsoft.office.outlook",
        "READ_CONTACTS WRITE_CONTACTS READ_CALENDAR WRITE_CALENDAR CAMERA POST_NOTIFICATIONS",
    ),
    ("com.microsoft.office.word", "CAMERA RECORD_AUDIO"),
    ("com.microsoft.skydrive", "CAMERA READ_MEDIA_IMAGES READ_MEDIA_VIDEO POST_NOTIFICATIONS"),
    (
        "com.zhiliaoapp.musically",
        "CAMERA RECORD_AUDIO READ_CONTACTS ACCESS_COARSE_LOCATION POST_NOTIFICATIONS",
    ),
    (
        "com.instagram.android",
        "CAMERA RECORD_AUDIO READ_CONTACTS ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION "
        "POST_NOTIFICATIONS",
    ),
    (
        "com.facebook.katana",
        "CAMERA RECORD_AUDIO READ_CONTACTS ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION "
        "READ_CALENDAR POST_NOTIFICATIONS",
    ),
    (
        "com.facebook.orca",
        "CAMERA RECORD_AUDIO READ_CONTACTS ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION "
        "READ_PHONE_STATE POST_NOTIFICATIONS",
    ),
    (
        "com.twitter.android",
        "CAMERA RECORD_AUDIO READ_CONTACTS ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION "
        "POST_NOTIFICATIONS",
    ),
    ("com.linkedin.android", "CAMERA READ_CONTACTS READ_CALENDAR POST_NOTIFICATIONS"),
    (
        "com.snapchat.android",
        "CAMERA RECORD_AUDIO READ_CONTACTS ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION "
        "POST_NOTIFICATIONS",
    ),
    (
        "org.thoughtcrime.securesms",
        "CAMERA RECORD_AUDIO READ_CONTACTS WRITE_CONTACTS READ_PHONE_STATE "
        "POST_NOTIFICATIONS BLUETOOTH_CONNECT",
    ),
    ("com.discord", "CAMERA RECORD_AUDIO BLUETOOTH_CONNECT POST_NOTIFICATIONS READ_MEDIA_IMAGES"),
    (
        "com.viber.voip",
        "CAMERA RECORD_AUDIO READ_CONTACTS WRITE_CONTACTS READ_PHONE_STATE CALL_PHONE "
        "POST_NOTIFICATIONS",
    ),
    (
        "jp.naver.line.android",
        "CAMERA RECORD_AUDIO READ_CONTACTS ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION "
        "POST_NOTIFICATIONS",
    ),
    (
        "us.zoom.videomeetings",
        "CAMERA RECORD_AUDIO READ_PHONE_STATE BLUETOOTH_CONNECT READ_CALENDAR POST_NOTIFICATIONS",
    ),
    (
        "com.cisco.webex.meetings",
        "CAMERA RECORD_AUDIO READ_PHONE_STATE BLUETOOTH_CONNECT READ_CALENDAR",
    ),
    ("com.google.android.apps.meetings", "CAMERA RECORD_AUDIO POST_NOTIFICATIONS"),
    ("com.alibaba.aliexpresshd", "CAMERA ACCESS_COARSE_LOCATION POST_NOTIFICATIONS"),
    ("com.ebay.mobile", "CAMERA ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION POST_NOTIFICATIONS"),
    ("com.zalando.mobile", "CAMERA POST_NOTIFICATIONS"),
    ("com.ikea.kompis", "CAMERA ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION"),
    ("com.mcdonalds.app", "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION CAMERA POST_NOTIFICATIONS"),
    (
        "com.starbucks.mobilecard",
        "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION CAMERA POST_NOTIFICATIONS",
    ),
    ("com.bumble.app", "CAMERA ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION POST_NOTIFICATIONS"),
    ("com.tinder", "CAMERA ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION POST_NOTIFICATIONS"),
    ("com.headspace.android", "POST_NOTIFICATIONS"),
    ("com.calm.android", "POST_NOTIFICATIONS"),
    (
        "com.fitbit.FitbitMobile",
        "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION ACTIVITY_RECOGNITION BODY_SENSORS "
        "BLUETOOTH_SCAN BLUETOOTH_CONNECT READ_CONTACTS POST_NOTIFICATIONS",
    ),
    ("com.myfitnesspal.android", "CAMERA ACTIVITY_RECOGNITION POST_NOTIFICATIONS"),
    ("com.audible.application", "POST_NOTIFICATIONS BLUETOOTH_CONNECT"),
    ("com.amazon.kindle", "POST_NOTIFICATIONS"),
    ("com.wikipedia", "POST_NOTIFICATIONS"),
    ("com.nytimes.android", "POST_NOTIFICATIONS"),
    ("bbc.mobile.news.ww", "POST_NOTIFICATIONS ACCESS_COARSE_LOCATION"),
    ("flipboard.app", "POST_NOTIFICATIONS"),
    ("com.google.android.apps.translate", "CAMERA RECORD_AUDIO"),
    ("com.deepl.mobiletranslator", "CAMERA RECORD_AUDIO"),
    ("com.lastpass.lpandroid", "CAMERA POST_NOTIFICATIONS"),
    ("com.x8bit.bitwarden", "CAMERA POST_NOTIFICATIONS"),
    ("com.authy.authy", "CAMERA POST_NOTIFICATIONS"),
    (
        "com.azure.authenticator",
        "CAMERA ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION POST_NOTIFICATIONS",
    ),
    ("org.videolan.vlc", "READ_MEDIA_AUDIO READ_MEDIA_VIDEO RECORD_AUDIO"),
    ("com.mxtech.videoplayer.ad", "READ_MEDIA_VIDEO READ_MEDIA_AUDIO"),
    (
        "com.google.android.apps.fitness",
        "ACTIVITY_RECOGNITION BODY_SENSORS ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION",
    ),
    ("com.sec.android.easyMover", "READ_CONTACTS READ_CALENDAR READ_SMS READ_CALL_LOG"),
    ("com.nordvpn.android", "POST_NOTIFICATIONS"),
    ("com.cloudflare.onedotonedotonedotone", "POST_NOTIFICATIONS"),
    ("com.tripadvisor.tripadvisor", "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION CAMERA"),
    ("com.google.android.apps.authenticator2", "CAMERA"),
    ("com.valvesoftware.android.steam.community", "CAMERA POST_NOTIFICATIONS"),
    ("com.twitch.android.app", "CAMERA RECORD_AUDIO POST_NOTIFICATIONS"),
    ("tv.pluto.android", "POST_NOTIFICATIONS"),
    ("com.disney.disneyplus", "POST_NOTIFICATIONS"),
    ("com.hbo.hbonow", "POST_NOTIFICATIONS"),
    (
        "com.lyft.android",
        "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION READ_CONTACTS POST_NOTIFICATIONS",
    ),
    ("com.bolt.taxi", "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION POST_NOTIFICATIONS"),
    ("com.getyourguide.android", "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION POST_NOTIFICATIONS"),
    ("com.skyscanner.android.main", "ACCESS_COARSE_LOCATION POST_NOTIFICATIONS"),
    (
        "com.expedia.bookings",
        "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION READ_CALENDAR POST_NOTIFICATIONS",
    ),
    ("com.google.android.apps.podcasts", "POST_NOTIFICATIONS"),
    ("au.com.shiftyjelly.pocketcasts", "POST_NOTIFICATIONS BLUETOOTH_CONNECT"),
    ("com.anydo", "READ_CALENDAR WRITE_CALENDAR READ_CONTACTS RECORD_AUDIO POST_NOTIFICATIONS"),
    ("com.sololearn", "POST_NOTIFICATIONS"),
    ("org.khanacademy.android", "POST_NOTIFICATIONS"),
    ("com.quizlet.quizletandroid", "CAMERA RECORD_AUDIO POST_NOTIFICATIONS"),
    ("com.canva.editor", "CAMERA READ_MEDIA_IMAGES READ_MEDIA_VIDEO"),
    ("com.adobe.lrmobile", "CAMERA ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION READ_MEDIA_IMAGES"),
    ("com.vsco.cam", "CAMERA ACCESS_COARSE_LOCATION READ_MEDIA_IMAGES"),
    ("com.snapseed", "READ_MEDIA_IMAGES"),
    ("com.picsart.studio", "CAMERA READ_MEDIA_IMAGES POST_NOTIFICATIONS"),
    (
        "com.whatsapp.w4b",
        "CAMERA RECORD_AUDIO READ_CONTACTS WRITE_CONTACTS ACCESS_FINE_LOCATION "
        "ACCESS_COARSE_LOCATION POST_NOTIFICATIONS",
    ),
    ("org.telegram.plus", "CAMERA RECORD_AUDIO READ_CONTACTS POST_NOTIFICATIONS"),
    (
        "com.kakao.talk",
        "CAMERA RECORD_AUDIO READ_CONTACTS ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION "
        "READ_PHONE_STATE POST_NOTIFICATIONS",
    ),
    (
        "com.grabtaxi.passenger",
        "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION CAMERA READ_CONTACTS POST_NOTIFICATIONS",
    ),
    ("com.shopee.sg", "CAMERA ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION POST_NOTIFICATIONS"),
    ("com.lazada.android", "CAMERA ACCESS_COARSE_LOCATION POST_NOTIFICATIONS"),
    ("com.google.android.apps.classroom", "CAMERA POST_NOTIFICATIONS"),
    ("com.google.earth", "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION"),
    ("com.google.android.street", "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION CAMERA"),
    ("com.openai.chatgpt", "RECORD_AUDIO CAMERA POST_NOTIFICATIONS"),
    ("com.anthropic.claude", "RECORD_AUDIO CAMERA POST_NOTIFICATIONS"),
]
_CN_ORDINARY = [
    (
        "com.eg.android.AlipayGphone",
        "CAMERA RECORD_AUDIO READ_CONTACTS ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION "
        "READ_PHONE_STATE POST_NOTIFICATIONS",
    ),
    (
        "com.taobao.taobao",
        "CAMERA RECORD_AUDIO ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION READ_PHONE_STATE",
    ),
    (
        "com.jingdong.app.mall",
        "CAMERA ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION READ_PHONE_STATE",
    ),
    (
        "com.xunmeng.pinduoduo",
        "CAMERA ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION READ_PHONE_STATE",
    ),
    ("com.sankuai.meituan", "CAMERA ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION READ_CONTACTS"),
    ("me.ele", "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION CAMERA"),
    ("com.sdu.didi.psnger", "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION READ_CONTACTS CALL_PHONE"),
    (
        "com.autonavi.minimap",
        "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION ACCESS_BACKGROUND_LOCATION RECORD_AUDIO",
    ),
    ("com.baidu.BaiduMap", "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION RECORD_AUDIO"),
    (
        "com.sina.weibo",
        "CAMERA RECORD_AUDIO READ_CONTACTS ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION",
    ),
    (
        "com.smile.gifmaker",
        "CAMERA RECORD_AUDIO READ_CONTACTS ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION",
    ),
    ("com.xingin.xhs", "CAMERA RECORD_AUDIO ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION"),
    ("tv.danmaku.bili", "CAMERA RECORD_AUDIO ACCESS_COARSE_LOCATION"),
    ("com.zhihu.android", "CAMERA READ_MEDIA_IMAGES"),
    ("com.ss.android.article.news", "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION READ_PHONE_STATE"),
    ("com.netease.cloudmusic", "RECORD_AUDIO READ_MEDIA_AUDIO READ_PHONE_STATE"),
    ("com.tencent.qqmusic", "RECORD_AUDIO READ_PHONE_STATE"),
    ("com.tencent.qqlive", "READ_PHONE_STATE"),
    ("com.youku.phone", "READ_PHONE_STATE"),
    ("com.tencent.wemeet.app", "CAMERA RECORD_AUDIO READ_PHONE_STATE BLUETOOTH_CONNECT"),
    ("cn.wps.moffice_eng", "READ_EXTERNAL_STORAGE WRITE_EXTERNAL_STORAGE"),
    ("com.tencent.docs", "CAMERA READ_MEDIA_IMAGES"),
    ("com.baidu.netdisk", "CAMERA READ_MEDIA_IMAGES READ_MEDIA_VIDEO READ_PHONE_STATE"),
    ("com.UCMobile", "CAMERA RECORD_AUDIO ACCESS_COARSE_LOCATION READ_PHONE_STATE"),
    (
        "com.baidu.searchbox",
        "CAMERA RECORD_AUDIO ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION READ_PHONE_STATE",
    ),
    ("com.tencent.mtt", "CAMERA RECORD_AUDIO ACCESS_COARSE_LOCATION"),
    ("com.chinamworld.main", "CAMERA ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION READ_PHONE_STATE"),
    ("com.icbc", "CAMERA ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION READ_PHONE_STATE"),
    ("cmb.pb", "CAMERA ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION READ_PHONE_STATE"),
    ("ctrip.android.view", "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION CAMERA READ_CONTACTS"),
    ("com.MobileTicket", "CAMERA ACCESS_COARSE_LOCATION READ_PHONE_STATE"),
    ("com.dianping.v1", "ACCESS_FINE_LOCATION ACCESS_COARSE_LOCATION CAMERA"),
    ("com.kugou.android", "RECORD_AUDIO READ_MEDIA_AUDIO READ_PHONE_STATE"),
    ("com.tencent.tmgp.sgame", "RECORD_AUDIO READ_PHONE_STATE"),
    ("com.miHoYo.Yuanshen", "RECORD_AUDIO"),
]

_VENDORS = [
    "acme",
    "zentry",
    "blueleaf",
    "northwind",
    "polaris",
    "quanta",
    "riverbyte",
    "solstice",
    "tangent",
    "umbra",
    "vertex",
    "wavefront",
    "yellowpine",
    "zephyr",
    "kestrel",
    "lumen",
]
_WORDS = [
    "notes",
    "tracker",
    "scanner",
    "weather",
    "fitness",
    "planner",
    "reader",
    "wallet",
    "photos",
    "radio",
    "recipes",
    "budget",
    "flashcards",
    "maps",
    "tasks",
    "journal",
    "habits",
    "sleep",
    "timer",
    "podcasts",
    "chess",
    "sudoku",
    "puzzle",
    "drive",
]
_FILLER_PERMS = [
    "CAMERA",
    "RECORD_AUDIO",
    "ACCESS_FINE_LOCATION",
    "ACCESS_COARSE_LOCATION",
    "READ_CONTACTS",
    "POST_NOTIFICATIONS",
    "READ_CALENDAR",
    "READ_MEDIA_IMAGES",
    "BLUETOOTH_CONNECT",
    "ACTIVITY_RECOGNITION",
]


def ordinary_apps(
    count: int, seed: int, region: str, taken: set[str]
) -> list[tuple[str, list[str]]]:
    """`count` ordinary apps: real-world names first, then generated vendor.word names."""
    rng = random.Random(seed)
    pool = (_CN_ORDINARY + _ORDINARY) if region == "cn" else (_ORDINARY + _CN_ORDINARY[:8])
    out: list[tuple[str, list[str]]] = []
    for package, perm_words in pool:
        if len(out) >= count:
            break
        if package not in taken:
            out.append((package, perm_words.split()))
            taken.add(package)
    serial = 0
    while len(out) < count:
        serial += 1
        vendor = _VENDORS[rng.randrange(len(_VENDORS))]
        word = _WORDS[rng.randrange(len(_WORDS))]
        package = f"com.{vendor}.{word}" if serial < 150 else f"com.{vendor}.{word}{serial}"
        if package in taken:
            continue
        taken.add(package)
        perms = rng.sample(_FILLER_PERMS, rng.randrange(0, 5))
        if "ACCESS_FINE_LOCATION" in perms and "ACCESS_COARSE_LOCATION" not in perms:
            perms.append("ACCESS_COARSE_LOCATION")
        out.append((package, perms))
    return out

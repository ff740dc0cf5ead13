"""The virtual phone: a device-side ADB server backed by a stateful Android model.

`adbd` speaks the ADB wire protocol to real clients; `android` answers their shell
commands the way Android does. They meet at the `DeviceShell` protocol in `device`.
"""

"""Which URLs a webhook may be sent to. Pure (no ORM): the form and the sender both ask.

Server-side request forgery: a registered URL must not make the server call itself or the
province's internal network (the database, the admin, a metadata service). So only https,
and no host that is, or resolves to, a loopback, private, link-local or reserved address;
`allow_local` (setting KHENTHUONG_WEBHOOKS_ALLOW_LOCAL, on in development and tests) lifts
both for a receiver on 127.0.0.1. The sender checks again at each attempt, since DNS can
change after registration.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _


def _local(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return not ip.is_global or ip.is_multicast


def problem(url: str, *, allow_local: bool, resolve: bool = True) -> str | None:
    """Why `url` may not receive webhooks, or None when it may."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return str(_("Địa chỉ nhận: phải là một URL đầy đủ, bắt đầu bằng https://."))
    if parts.username or parts.password:
        return str(_("Địa chỉ nhận: không ghi tên đăng nhập, mật khẩu trong URL."))
    if allow_local:
        return None
    if parts.scheme != "https":
        return str(_("Địa chỉ nhận: phải dùng https:// (mã hóa đường truyền)."))
    host = parts.hostname
    try:
        addresses = [host] if _is_ip(host) else _resolved(host) if resolve else []
    except OSError:
        return str(_("Địa chỉ nhận: không tìm thấy máy chủ “%(host)s”.") % {"host": host})
    if any(_local(a) for a in addresses):
        return str(
            _("Địa chỉ nhận: “%(host)s” là địa chỉ nội bộ; chỉ gửi tới máy chủ trên Internet.")
            % {"host": host}
        )
    return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _resolved(host: str) -> list[str]:
    return sorted({info[4][0] for info in socket.getaddrinfo(host, None)})

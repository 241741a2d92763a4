"""Public verification of a decision or an award: /xac-minh/<token>/, no log-in.

Anyone holding a certificate or a printed decision scans its QR code and reads, from the
issuer's own server: the decision's number, date and issuer, the award form, the awardee's
name, whether the award stands or was revoked, and the SHA-256 of the signed PDF (to
compare with the file they were sent). Nothing else personal: no birth year, identity
code, position, achievement or revocation reason (Law 06/2022 makes the award public, not
the dossier).

Threats: enumeration (the tokens are secrets.token_urlsafe(16), 128 random bits, never an
id, and unknown tokens answer 404 like a draft's); scraping and guessing (a per-IP counter
in the cache, KHENTHUONG_VERIFY_RATE a minute, answers 429 beyond it).
"""

from dataclasses import dataclass
from datetime import date
from io import BytesIO

import segno
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from registry.models import RegistryEntry, RegistryStatus

from .models import Decision, DecisionStatus, SignedDecision

WINDOW_SECONDS = 60


def verification_url(token: str) -> str:
    """The short absolute address printed beside the QR code."""
    return f"{settings.SITE_URL}{reverse('verify', kwargs={'token': token})}"


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def qr_png(url: str, *, scale: int = 6) -> bytes:
    buffer = BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


@dataclass(frozen=True)
class Awardee:
    full_name: str
    award_name: str
    year: int
    revoked: bool
    revoked_on: date | None


@dataclass(frozen=True)
class Verified:
    number: str
    issued_on: date | None
    issuer: str
    award_name: str
    sha256: str
    signer: str
    awardees: list[Awardee]
    single: bool  # the link of one awardee (a certificate), not of the whole decision


def _awardee(entry: RegistryEntry) -> Awardee:
    revoked = entry.status == RegistryStatus.REVOKED
    return Awardee(
        full_name=entry.full_name,
        award_name=entry.award_name,
        year=entry.year,
        revoked=revoked,
        revoked_on=entry.revoked_at.date() if revoked and entry.revoked_at else None,
    )


def verified(token: str) -> Verified | None:
    """What the public page shows for a token; None for an unknown token or a draft."""
    entry = (
        RegistryEntry.objects.select_related("decision__issuer")
        .filter(verification_token=token, decision__status=DecisionStatus.ISSUED)
        .first()
    )
    decision = entry.decision if entry else None
    if decision is None:
        decision = (
            Decision.objects.select_related("issuer")
            .filter(verification_token=token, status=DecisionStatus.ISSUED)
            .first()
        )
    if decision is None:
        return None
    entries = [entry] if entry else list(decision.registry.order_by("pk"))
    signed = SignedDecision.objects.filter(decision=decision).first()
    return Verified(
        number=decision.number_symbol,
        issued_on=decision.issued_on,
        issuer=decision.issuer.name,
        award_name=decision.award_type.name,
        sha256=signed.sha256 if signed else "",
        signer=signed.signer_subject if signed else "",
        awardees=[_awardee(e) for e in entries],
        single=entry is not None,
    )


def over_limit(request: HttpRequest) -> bool:
    """Count this request against its IP's minute; True past KHENTHUONG_VERIFY_RATE."""
    ip = request.META.get("REMOTE_ADDR") or "unknown"
    key = f"verify-rate:{ip}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count > settings.KHENTHUONG_VERIFY_RATE


@never_cache
@require_GET
def verify(request: HttpRequest, token: str) -> HttpResponse:
    if over_limit(request):
        response = render(request, "decisions/verify_limited.html", status=429)
        response["Retry-After"] = str(WINDOW_SECONDS)
        return response
    result = verified(token)
    if result is None:
        raise Http404
    url = verification_url(token)
    response = render(
        request,
        "decisions/verify.html",
        {"result": result, "url": url, "qr": qr_svg(url)},
    )
    response["X-Robots-Tag"] = "noindex"
    return response

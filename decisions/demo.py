"""Demo award history (as if imported from paper), so eligibility has something to read.

Hoàng Thị Thu Trang of Trường Tiểu học Hợp Thành holds CSTĐCS for 2023–2025 (eligible for
CSTĐ tỉnh in 2026); Nông Văn Quyết misses 2024 (the check names the gap). Idempotent.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from organisations.models import Organisation
from organisations.roles import Role
from registry.models import RegistryEntry
from registry.services import import_award

from .signing import make_demo_ca

HISTORY = [
    ("Hoàng Thị Thu Trang", 1984, "cstdcs", "Chiến sĩ thi đua cơ sở", (2023, 2024, 2025)),
    ("Nông Văn Quyết", 1979, "cstdcs", "Chiến sĩ thi đua cơ sở", (2023, 2025)),
    ("Hoàng Thị Thu Trang", 1984, "ldtt", "Lao động tiên tiến", (2023, 2024, 2025)),
    ("Nông Văn Quyết", 1979, "ldtt", "Lao động tiên tiến", (2023, 2024, 2025)),
    ("Lương Thị Mai Hương", 1990, "ldtt", "Lao động tiên tiến", (2025,)),
]


def seed_signing() -> None:
    """The demo CA and a signing certificate for every body with a signing authority, so an
    issued demo decision is signed and verifiable out of the box (docs/signing.md).
    Idempotent; never for production (the demo root is trusted by nobody)."""
    issuers = Organisation.objects.filter(memberships__role=Role.SIGNING_AUTHORITY).distinct()
    make_demo_ca(list(issuers))


@transaction.atomic
def seed_registry() -> None:
    seed_signing()
    if RegistryEntry.objects.exists():
        return
    unit = Organisation.objects.get(code="th-hop-thanh")
    commune = Organisation.objects.get(code="hop-thanh")
    registrar = get_user_model().objects.get(username="hop-thanh.vanphong")
    for name, born, code, award, years in HISTORY:
        for year in years:
            import_award(
                by=registrar,
                issuer=commune,
                unit=unit,
                full_name=name,
                birth_year=born,
                award_code=code,
                award_name=award,
                year=year,
                decision_label=f"{year - 2000:02d}/QĐ-UBND",
                decision_date=date(year, 12, 20),
            )

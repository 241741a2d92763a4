"""Identity keys of the registry: who holds an award, and what it rewarded. Pure.

Every key is made here, whether a decision records an award, an award is imported from
paper, or eligibility compares a nominee with the registry: one spelling, so they match.
"""

import hashlib
import unicodedata
from datetime import date


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def subject_key(
    *,
    identity_code: str = "",
    full_name: str,
    birth_year: int | None = None,
    organisation_name: str = "",
) -> str:
    """The identity under which awards are counted: the identity code when the dossier gives
    one (it survives renamed and merged units), otherwise name + birth year + unit."""
    if identity_code and identity_code.strip():
        return "id:" + identity_code.strip().upper()
    return f"name:{_norm(full_name)}|{birth_year or ''}|{_norm(organisation_name)}"


def act_fingerprint(description: str) -> str:
    """A description normalised so that retyping it does not make a new act: Unicode NFC,
    case, accents (đ as d), punctuation and spacing ignored; hashed to a fixed length."""
    text = unicodedata.normalize("NFD", (description or "").replace("đ", "d").replace("Đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").casefold()
    words = "".join(ch if ch.isalnum() else " " for ch in text).split()
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:16]


def achievement_key(
    *,
    kind: str,
    year: int,
    campaign_id: int | None = None,
    reference: str = "",
    act_date: date | None = None,
    act_description: str = "",
) -> str:
    """What was rewarded (Law 06/2022: one achievement, one reward), whatever the form: a
    year's results, a campaign, or one act (an ad hoc dossier: its date and description, so
    the same act proposed twice, in any form, has one key). An ad hoc dossier without its
    act's date keeps the dossier's own reference (it can only clash with itself)."""
    if kind == "thematic" and campaign_id:
        return f"campaign:{campaign_id}"
    if kind == "ad_hoc":
        if act_date and (act_description or "").strip():
            return f"act:{act_date.isoformat()}:{act_fingerprint(act_description)}"
        return f"act:{reference}"
    return f"year:{year}"


def dossier_achievement_key(dossier) -> str:
    """The achievement key of a dossier (any object with the dossier's fields)."""
    return achievement_key(
        kind=dossier.kind,
        year=dossier.year,
        campaign_id=dossier.campaign_id,
        reference=dossier.reference,
        act_date=getattr(dossier, "act_date", None),
        act_description=getattr(dossier, "act_description", ""),
    )


def nominee_subject_key(nominee) -> str:
    """The subject key of a nominee (or any object with its identity fields)."""
    return subject_key(
        identity_code=nominee.identity_code,
        full_name=nominee.full_name,
        birth_year=nominee.birth_year,
        organisation_name=nominee.organisation_name,
    )

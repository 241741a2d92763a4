"""Identity keys of the registry: who holds an award, and what it rewarded. Pure.

Every key is made here, whether a decision records an award, an award is imported from
paper, or eligibility compares a nominee with the registry: one spelling, so they match.
"""

import unicodedata


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


def achievement_key(
    *, kind: str, year: int, campaign_id: int | None = None, reference: str = ""
) -> str:
    """What was rewarded (Law 06/2022: one achievement, one reward): a year's results, a
    campaign, or one act (an ad hoc dossier)."""
    if kind == "thematic" and campaign_id:
        return f"campaign:{campaign_id}"
    if kind == "ad_hoc":
        return f"act:{reference}"
    return f"year:{year}"

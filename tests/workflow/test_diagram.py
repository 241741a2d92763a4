from pathlib import Path

from workflow.diagram import lifecycle_mermaid

DOC = Path(__file__).resolve().parents[2] / "docs" / "lifecycle.md"


def test_documented_lifecycle_matches_the_code():
    """Regenerate with `python manage.py state_diagram` when a transition changes."""
    assert lifecycle_mermaid() in DOC.read_text(encoding="utf-8")


def test_lifecycle_has_the_legal_steps():
    diagram = lifecycle_mermaid()
    assert "returned --> intermediate_appraisal: resubmit" in diagram
    assert "provincial_council --> awaiting_decision: conclude_council" in diagram
    assert "awaiting_decision --> decided: decide" in diagram
    assert "provincial_appraisal --> intermediate_appraisal" not in diagram  # never backwards

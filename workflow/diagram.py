"""The dossier lifecycle as a mermaid state diagram, read from the FSM transitions themselves."""

from django_fsm import RETURN_VALUE

from dossiers.models import Dossier


def lifecycle_mermaid() -> str:
    lines = ["stateDiagram-v2", "    [*] --> draft"]
    edges: set[tuple[str, str, str]] = set()
    field = Dossier._meta.get_field("status")
    for transition in field.get_all_transitions(Dossier):
        target = transition.target
        if target is None:  # no state change (e.g. accept_complete starts the clock)
            target = transition.source
        targets = target.allowed_states if isinstance(target, RETURN_VALUE) else [target]
        for state in targets:
            edges.add((str(transition.source), str(state), transition.name))
    lines += [f"    {src} --> {dst}: {name}" for src, dst, name in sorted(edges)]
    lines += [f"    {s} --> [*]" for s in ("decided", "not_approved", "withdrawn")]
    return "\n".join(lines) + "\n"

"""The import rules of docs/architecture.md, checked over the real import graph (grimp, the
graph library of import-linter; every import statement counts, inline ones included).

- No import cycle anywhere: a chain of imports never comes back to the module it left.
- `core`, `office`, `notifications` and `audit` are leaves: they import no other app.
- The registry sits below the apps that ask it: it imports no dossier, workflow, council or
  decision code (issue 11: its models name those apps by string only).
- The workflow kernel that `dossiers.models` builds on (states, lifecycle, actors, conditions,
  stage rules, calendar) imports no dossier, council or decision module, so the Dossier model
  can mix the lifecycle in without a cycle.
- Pure rules (calendar, stage rules, vote tally, eligibility) import no ORM at all.
"""

import grimp
import pytest

APPS = (
    "config",
    "core",
    "organisations",
    "audit",
    "notifications",
    "office",
    "registry",
    "dossiers",
    "workflow",
    "councils",
    "decisions",
    "demo",
    "integrity",
    "campaigns",
    "api",
    "reports",
    "webhooks",
    "interchange",
)
LEAVES = ("core", "office", "notifications", "audit")
KERNEL = (
    "workflow.states",
    "workflow.lifecycle",
    "workflow.actors",
    "workflow.conditions",
    "workflow.stage_rules",
    "workflow.calendar",
)
PURE = (
    "workflow.calendar",
    "workflow.stage_rules",
    "councils.voting",
    "registry.eligibility",
    "campaigns.ranking",
    "reports.percentiles",
    "reports.layouts",
    "reports.charts",
)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*APPS, include_external_packages=True)


def app_of(module: str) -> str:
    return module.split(".")[0]


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    project = {m for m in graph.modules if app_of(m) in APPS}
    for root in sorted(project):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root) & project)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    imported = graph.find_modules_directly_imported_by(child) & project
                    work.append((child, iter(sorted(imported))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def imports_of(graph: grimp.ImportGraph, package: str) -> set[tuple[str, str]]:
    modules = {m for m in graph.modules if m == package or m.startswith(package + ".")}
    return {(m, t) for m in modules for t in graph.find_modules_directly_imported_by(m)}


def test_there_is_no_import_cycle(graph):
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_planted_cycle():
    planted = grimp.build_graph(*APPS)
    planted.add_import(importer="organisations.models", imported="dossiers.models")
    found = cycles(planted)
    assert any({"organisations.models", "dossiers.models"} <= set(c) for c in found)


@pytest.mark.parametrize("leaf", LEAVES)
def test_leaf_apps_import_no_other_app(graph, leaf):
    wrong = {(m, t) for m, t in imports_of(graph, leaf) if app_of(t) in APPS and app_of(t) != leaf}
    if leaf == "audit":  # the audit trail names users only through settings.AUTH_USER_MODEL
        wrong = {(m, t) for m, t in wrong if app_of(t) != "core"}
    assert wrong == set()


def test_the_registry_imports_none_of_the_apps_that_ask_it(graph):
    above = {"dossiers", "workflow", "councils", "decisions", "demo", "integrity"}
    assert {(m, t) for m, t in imports_of(graph, "registry") if app_of(t) in above} == set()


def test_the_workflow_kernel_imports_no_dossier_council_or_decision_module(graph):
    above = {"dossiers", "councils", "decisions", "demo", "integrity"}
    wrong = {(m, t) for k in KERNEL for m, t in imports_of(graph, k) if app_of(t) in above}
    assert wrong == set()


@pytest.mark.parametrize("module", PURE)
def test_pure_rules_import_no_orm(graph, module):
    imported = {t for _, t in imports_of(graph, module)}
    assert not {t for t in imported if t.startswith("django.db") or app_of(t) in APPS} - {
        "workflow.stage_rules",  # the vote tally reads the typed stage rules (pure too)
        "workflow.states",  # and the stage rules name the tiers (an enum)
    }

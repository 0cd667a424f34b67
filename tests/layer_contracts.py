"""An import-linter contract type of ours: no import cycle among the modules of the packages
named, at the level of modules (DESIGN.md §4: "no two modules import each other, not even
inside a function").

import-linter's own `acyclic_siblings` contract looks at packages squashed into their
children, so it also refuses two sibling packages that each use a different part of the other
(app.migrate uses app.services.backups, app.services.restore uses app.migrate) although no
module is in a cycle; this one reports exactly the modules that import each other, through
which lines. Registered in pyproject.toml ([tool.importlinter] contract_types).
"""

from __future__ import annotations

from typing import Any

import grimp
from importlinter.application import contract_utils, output
from importlinter.application.contract_utils import AlertLevel
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck
from importlinter.domain.helpers import module_expressions_to_modules
from importlinter.domain.imports import ModuleExpression


def strongly_connected(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Groups of two or more modules that reach each other by imports (Tarjan's algorithm,
    iterative: the graph may be deep)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for root in sorted(modules):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = []
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work.append((root, sorted(graph.find_modules_directly_imported_by(root) & modules)))
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph.find_modules_directly_imported_by(nxt)
                                             & modules)))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return sorted(groups)


class AcyclicModulesContract(Contract):
    type_name = "acyclic_modules"

    packages = fields.SetField(subfield=fields.ModuleExpressionField())
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(AlertLevel, default=AlertLevel.ERROR)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph, ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting)  # type: ignore[arg-type]
        expressions: set[ModuleExpression] = self.packages  # type: ignore[assignment]
        roots = {m.name for m in module_expressions_to_modules(
            graph, sorted(expressions), raise_if_unmatched=True)}
        modules = {m for m in graph.modules
                   if any(m == r or m.startswith(r + ".") for r in roots)}
        cycles = []
        for group in strongly_connected(graph, modules):
            members = set(group)
            imports: list[dict[str, Any]] = []
            for importer in group:
                for imported in sorted(graph.find_modules_directly_imported_by(importer)
                                       & members):
                    lines = [d["line_number"] for d in graph.get_import_details(
                        importer=importer, imported=imported)]
                    imports.append({"importer": importer, "imported": imported,
                                    "lines": lines})
            cycles.append({"modules": group, "imports": imports})
        return ContractCheck(kept=not cycles, warnings=list(removal.warnings),
                             ignored_import_count=removal.ignored_import_count,
                             metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error("These modules import each other: "
                               + ", ".join(cycle["modules"]))
            for imp in cycle["imports"]:
                lines = ", ".join(f"l.{n}" for n in imp["lines"])
                output.print_error(f"- {imp['importer']} -> {imp['imported']} ({lines})")
            output.new_line()

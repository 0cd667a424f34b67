"""The rules layer (DESIGN.md §4): pure functions of plain values, no database session.

Below the services, above the store: a service reads the rows, asks a rule, writes what the
rule says; the window, the command line, the import and the demo generator reach the rules
through the services (the demo generator, which writes rows in bulk, calls the same rules on
its own rows). One module a rule:

- app.workflow            the stage guards: which moves are allowed, what a move is
- app.rules.stages        the stage groups (open, unresolved, resolved, waiting ...)
- app.rules.edits         what each stage lets a user edit (a closed complaint: nothing)
- app.rules.move_effects  what a move does to the complaint (pause, due time, revisit, close)
- app.sla                 the SLA clock, due times (also after a reassessment), overdue and
                          its one SQL twin
- app.rules.compensation  the compensation ledger: amounts per type, the current entry
- app.rules.history       the state an imported history row may take (imports bypass guards)
- app.permissions         who may do what
"""

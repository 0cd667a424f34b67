"""Printing our PDFs at their own size through the system's print service (DESIGN.md §3).

`paper` reads the print system's paper names, `placement` decides on which paper and where a
page goes (1:1, never enlarged), `sheets` composes the page onto that paper, `cups` talks to
CUPS, `desk_printers` keeps this PC's printer choices and `print_service` is what the window
and the `print` command call.
"""

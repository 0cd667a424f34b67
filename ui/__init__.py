from ui import pyside_refcounts  # noqa: F401 - must run before any Qt signal reaches Python

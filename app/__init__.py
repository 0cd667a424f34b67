"""Complaint Desk: everything that is not Qt (models, rules, services, reports)."""

__version__ = "0.1.0"

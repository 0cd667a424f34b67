"""The supervisors' alerts (F8): complaints escalated to them, open until marked handled."""

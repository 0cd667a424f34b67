"""Data ▸ Import… and Data ▸ Export CSV…: moving complaints in and out of the desk in bulk."""

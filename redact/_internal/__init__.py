"""Internal modules of ``redact``: not a public API."""

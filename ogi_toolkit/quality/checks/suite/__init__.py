"""The built-in checks: each module here is one check, registered with
:func:`ogi_toolkit.quality.checks.registry.register`, with its config section's defaults in the
YAML file of the same name beside it. Every module of this package is imported by
:func:`~ogi_toolkit.quality.checks.registry.checks`."""

"""One module per ``ogi`` sub-command (see ``ogi_toolkit.cli``)."""

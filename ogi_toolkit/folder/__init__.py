"""The dataset-folder layer: what a folder written or read by a command may hold."""

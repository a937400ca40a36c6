"""Quality control of generated pairs: offline checks, the VLM judge (:mod:`.judge`), filtering."""

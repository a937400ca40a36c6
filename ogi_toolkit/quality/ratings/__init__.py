"""Human ratings of a dataset folder (``ratings.jsonl``: items, order, resume; :mod:`.ratings`)
and their agreement with the VLM judge (``ogi agreement``; :mod:`.agreement`).

    from ogi_toolkit.quality.ratings import RatingSession, agreement, load_ratings
"""
from .agreement import AgreementReport, agreement, agreement_table
from .ratings import (JUDGE_RATER, RatingItem, RatingSession, failed_ids, latest_ratings, load_ratings,
                      make_rating, rating_items, rating_order, validate_rater)

__all__ = ["JUDGE_RATER", "AgreementReport", "RatingItem", "RatingSession", "agreement",
           "agreement_table", "failed_ids", "latest_ratings", "load_ratings", "make_rating", "rating_items",
           "rating_order", "validate_rater"]

"""Difficulty calibration between two configurations (issue #15): where does the strong one
pass and the weak one fail?

    from ogi_toolkit.calibration import calibrate
    result = calibrate("sketch", "sketch-ablated", out="calib/", per_cell=3)   # offline
    result.frame()                                  # one row per (subtask, grade)
    plan(total=40000, calibration="calib/calibration.json")   # mixes moved to the sweet spot
"""
from .cells import cell_table, verdicts
from .heatmap import plot_heatmap
from .run import CALIBRATION_NAME, CalibrationResult, calibrate, calibration_plan
from .sides import Side, parse_side
from .stats import wilson

__all__ = ["CALIBRATION_NAME", "CalibrationResult", "Side", "calibrate", "calibration_plan", "cell_table",
           "parse_side", "plot_heatmap", "verdicts", "wilson"]

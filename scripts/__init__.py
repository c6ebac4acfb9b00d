"""Command-line tools of the French trade warehouse: sample, load, build, render."""

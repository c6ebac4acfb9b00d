"""The synthetic sample.

Written in the customs' own layouts, so the default build runs the real path.
"""

"""The build: sample, load, dbt, pages.

Also the state that makes rebuilds incremental, the Parquet export and the
Spark registration of the raw tables.
"""

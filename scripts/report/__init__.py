"""The static report pages: marts read through reports/queries, laid out, charted and written."""

"""Names of the warehouse's files, apart from the code that writes them: the read-only commands
(`sql`, `show`) import this, not publish.py, and so start without pandas and Pandera."""

DATABASE = "ofsted.duckdb"

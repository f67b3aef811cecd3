"""The one run sequence (sequence.py), the per-document worker (worker.py) and the supervised
pool of worker processes (pool.py); plain Python, testable without Prefect. Light to import: the
command line decides that nothing changed before it imports Prefect or pandas."""

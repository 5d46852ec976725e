"""Events of the scans app, for apps that act on them (e.g. the workspace mails contacts).

``park_scans_stored`` is sent once per ``ingest_results`` call with the
successful ParkScans it stored (``park_scans``), only after the storing
transaction committed, so a receiver never announces a result that was
rolled back. Receivers' errors are logged, never raised into the scan run.
"""

from django.dispatch import Signal

park_scans_stored = Signal()
# Sent with ``run`` when a batch scan run ends (completed, failed or interrupted),
# after its results are stored; the open-data downloads are regenerated on it (api).
# Only batch runs (services.execute_run) send it; a queued one-park scan (queue.py)
# does not, so a receiver's work is done once per batch, never once per park.
scan_run_finished = Signal()

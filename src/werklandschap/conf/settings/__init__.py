"""Settings split by environment (base / dev / test / production), as Open Zaak does.

``DJANGO_SETTINGS_MODULE`` picks one; the ``werklandschap`` command defaults to
``dev`` unless the environment says otherwise.
"""

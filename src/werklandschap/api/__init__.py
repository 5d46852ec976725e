"""The open API (``/api/v1/``) and the bulk open-data downloads (issue 21).

Django REST framework with drf-spectacular (docs/architecture.md says why);
the API follows the NLGov REST API Design Rules: see ``problems.py`` (errors as
RFC 9457 problem details), ``base.py`` (API-Version, caching, CORS) and
``schema.py`` (the served OpenAPI 3 document).
"""

"""The open-data files served as they are: exact content type, ETag, Last-Modified,
public caching, CORS.

Plain Django views (not REST framework): a file is not a JSON resource. The ETag is
the generation's folder name plus the file name, so a client revalidates cheaply and
gets the new file after the next batch scan.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from . import opendata
from .base import CORS_METHODS, matches


def _serve(request: HttpRequest, name: str) -> HttpResponse:
    kind = opendata.FILES[name]
    opendata.ensure()
    folder = opendata.root()  # resolved once: the ETag and the file are of one generation
    etag = '"' + hashlib.sha256(f"{folder.name}|{name}".encode()).hexdigest()[:32] + '"'
    if matches(request, etag):
        response: HttpResponse = HttpResponse(status=304)
    else:
        path = folder / name
        response = FileResponse(path.open("rb"), content_type=kind.media_type)
        response["Content-Disposition"] = f'attachment; filename="werklandschappen-{name}"'
    response["ETag"] = etag
    # When the generation was written (what the licence asks users to cite).
    response["Last-Modified"] = http_date((folder / name).stat().st_mtime)
    response["Cache-Control"] = f"public, max-age={settings.API_PUBLIC_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = CORS_METHODS
    response["X-Content-Type-Options"] = "nosniff"
    return response


def make_view(name: str):
    @require_safe
    def view(request: HttpRequest) -> HttpResponse:
        return _serve(request, name)

    view.__name__ = f"open_data_{opendata.url_name(name).replace('-', '_')}"
    view.__doc__ = f"The open-data file {name}."
    return view

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from .models import Park


def park_list(request):
    return render(request, "registry/park_list.html", {"parks": Park.objects.all()})


def parks_geojson(request):
    return JsonResponse({"type": "FeatureCollection", "features": []})


def park_detail(request, slug):
    park = get_object_or_404(Park, slug=slug)
    return render(request, "registry/park_detail.html", {"park": park})

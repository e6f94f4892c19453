"""The portal's URLs plus the benchmark's minimal view (devdata.bench_wsgi
only: the product's URLconf never includes this module)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from khuyencong.urls import urlpatterns as portal


def minimal(request: HttpRequest) -> HttpResponse:
    # Reading the user loads the session and the user, as every page does.
    return HttpResponse(
        b"in" if request.user.is_authenticated else b"out",
        content_type="text/plain",
    )


urlpatterns = [path("__bench__/minimal/", minimal), *portal]

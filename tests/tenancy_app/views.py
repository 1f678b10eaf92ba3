from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from rest_framework import parsers, viewsets

from apps.core.api.serializers import TenantModelSerializer
from tests.tenancy_app.models import Widget


@login_required
def widget_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse(", ".join(w.name for w in Widget.objects.all()))


@login_required
def widget_detail(request: HttpRequest, pk: str) -> HttpResponse:
    widget = get_object_or_404(Widget.objects.all(), pk=pk)
    if request.method == "POST":
        widget.name = request.POST.get("name", widget.name)
        widget.save(update_fields=["name"])
    return HttpResponse(widget.name)


class WidgetSerializer(TenantModelSerializer):
    class Meta:
        model = Widget
        fields = ["id", "name"]


class WidgetViewSet(viewsets.ModelViewSet):
    serializer_class = WidgetSerializer
    # The tenancy tests post forms as well as JSON (the portal's own API reads JSON only).
    parser_classes = [parsers.JSONParser, parsers.FormParser, parsers.MultiPartParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Widget.objects.none()
        return Widget.objects.all()

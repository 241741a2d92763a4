"""/api/v1/ (the API), /api/schema/ (OpenAPI 3) and /api/docs/ (Swagger UI, served from
this site: the sidecar's files, no CDN, and no inline script, so the CSP holds)."""

from csp.decorators import csp_update
from django.http import JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from . import views
from .errors import body

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("rule-sets", views.RuleSetViewSet, basename="rule-set")
router.register("award-forms", views.AwardFormViewSet, basename="award-form")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("dossiers", views.DossierViewSet, basename="dossier")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("councils", views.CouncilViewSet, basename="council")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("ballots", views.BallotViewSet, basename="ballot")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register("registry", views.RegistryViewSet, basename="registry")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("tokens", views.TokenViewSet, basename="token")


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    permission_classes = [AllowAny]
    authentication_classes = []


@csrf_exempt  # it writes nothing; a POST to an unknown path gets the same 404
def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any other path under /api/: the API's 404 in its one shape, never the site's page."""
    return JsonResponse(
        body("not_found", _("Không tìm thấy, hoặc bạn không có quyền xem.")), status=404
    )


urlpatterns = [
    path("v1/", include(router.urls)),
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[]),
        name="schema",
    ),
    # Swagger UI draws its icons as data: SVG images; only this page allows them.
    path(
        "docs/",
        csp_update({"img-src": ["'self'", "data:"]})(SwaggerView.as_view(url_name="api:schema")),
        name="docs",
    ),
    re_path(r"^", not_found),
]

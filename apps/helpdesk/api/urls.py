from rest_framework.routers import SimpleRouter

from apps.helpdesk.api import views

router = SimpleRouter()
router.register("tickets", views.TicketViewSet, basename="ticket")

urlpatterns = router.urls

from rest_framework.routers import SimpleRouter

from apps.outreach.api.campaigns import register as register_campaigns
from apps.outreach.api.segments import register as register_segments

router = SimpleRouter()
register_segments(router)
register_campaigns(router)
urlpatterns = router.urls

"""/helpdesk/: the MSMEs' pages (member), the agents' (agent), counselling sessions (sessions) and the
agency staff's helpdesk settings (settings)."""

from apps.helpdesk.views import agent, member, sessions, settings

app_name = "helpdesk"

urlpatterns = [*member.urlpatterns, *agent.urlpatterns, *sessions.urlpatterns, *settings.urlpatterns]

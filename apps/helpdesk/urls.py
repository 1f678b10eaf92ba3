"""/helpdesk/: the MSMEs' pages (member), the agents' (agent) and counselling sessions (sessions)."""

from apps.helpdesk.views import agent, member, sessions

app_name = "helpdesk"

urlpatterns = [*member.urlpatterns, *agent.urlpatterns, *sessions.urlpatterns]

"""The helpdesk's API: tickets, their timeline and the agents' and MSMEs' actions, under /api/v1/tickets/."""

"""Events and trainings: webinars, workshops and courses, with registration, reminders and feedback."""

"""Monitor: the Django project and the analyst-facing domain (stories, entities, figures, the dashboard)."""

"""Feed sources and everything that fetches: the safe HTTP client, feed polling and article pages."""

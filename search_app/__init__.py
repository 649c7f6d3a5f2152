"""hanil's search service: the search logic, the Flask app and the `hanil` command."""

"""Forms: they validate input; the services do the writing."""

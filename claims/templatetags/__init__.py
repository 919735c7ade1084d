"""Template tags of the review area."""

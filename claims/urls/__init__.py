"""URL lists of the claims app, one module per audience."""

"""Every write the app makes, as functions that views, admin actions, the API and tasks call."""

"""Views, split by audience: public pages and the staff review area."""

"""Poll source feeds now and read their new items into the archive, here in this process.

For `make run` (no broker, no beat) and for an admin who wants a feed read at once; with a
broker, beat polls every feed on its own schedule (FEED_POLL_MINUTES).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from claims.models import FeedItem, SourceFeed
from claims.services import feeds


class Command(BaseCommand):
    help = "Poll source feeds now (all active ones, or those given) and archive their new items."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--feed", type=int, action="append", help="a feed's id (repeatable)")
        parser.add_argument("--source", help="only the feeds of the source with this slug")

    def handle(self, *args, **options) -> None:
        chosen = SourceFeed.objects.select_related("source").order_by("pk")
        if options["feed"]:
            chosen = chosen.filter(pk__in=options["feed"])
        else:
            chosen = chosen.filter(active=True, source__active=True)
        if options["source"]:
            chosen = chosen.filter(source__slug=options["source"])
        feed_ids = list(chosen.values_list("pk", flat=True))
        if not feed_ids:
            raise CommandError("No feed to poll: add feeds to a source in the admin.")
        for feed_id in feed_ids:
            result = feeds.feed_poll(feed_id=feed_id, force=True, enqueue_items=False)
            name = f"{result.feed} ({result.feed.url})" if result.feed.title else result.feed.url
            if result.error:
                self.stdout.write(self.style.ERROR(f"{name}: {result.error}"))
                continue
            if result.not_modified:
                self.stdout.write(f"{name}: not modified since the last poll")
                continue
            archived = 0
            for item_id in result.new_items:
                item = feeds.feed_item_archive(item_id=item_id)
                if item is not None and item.status != FeedItem.Status.FAILED:
                    archived += 1
            line = f"{name}: {len(result.new_items)} new items, {archived} in the archive"
            self.stdout.write(self.style.SUCCESS(line))
            if result.warning:
                self.stdout.write(self.style.WARNING(f"  {result.warning}"))

"""The queue's day-to-day tools in a real browser: a bulk dismissal picked with shift-click, a
notification reaching a second person's open page after an assignment, keyboard work, and an
@mention chosen from the suggestions."""

from __future__ import annotations

import pytest

from claims.models import Claim, Notification
from tests import factories

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def settled(page) -> None:
    """Wait until htmx has finished swapping; acting in between lands on stale elements."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, "
        ".htmx-added')"
    )


def _claims(n: int) -> list[Claim]:
    article = factories.ArticleFactory(headline="Council budget hearing")
    # Scores from high to low, so the queue lists them in this order.
    return [
        factories.ClaimFactory(
            article=article,
            content=f"Claim number {i} about the council budget",
            checkworthiness=round(0.95 - i * 0.05, 2),
        )
        for i in range(n)
    ]


def test_bulk_dismiss_with_shift_click(new_page, inline_tasks, screenshot):
    reviewer = factories.reviewer(username="rita", first_name="Rita")
    claims = _claims(6)
    page = new_page(reviewer)
    page.goto("/review/?status=new")
    boxes = page.locator("input[data-select-row]")
    expect(boxes).to_have_count(6)
    boxes.nth(1).click()
    boxes.nth(3).click(modifiers=["Shift"])  # ticks 1, 2 and 3
    expect(page.locator("[data-bulk-count]")).to_have_text("3 claims selected")
    page.select_option("#bulk-form select[name=reason]", "opinion")
    page.fill("#bulk-form input[name=note]", "Columnists' views")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "notify-bulk-bar")
    page.click("#bulk-form button[value=dismiss]")
    expect(page.locator("#bulk-result")).to_contain_text("3 claims dismissed.")
    settled(page)
    # The queue reloads in place: the New tab no longer lists them.
    expect(page.locator(".queue-row")).to_have_count(3)
    expect(page.locator("[data-bulk-count]")).to_have_text("No claims selected")
    screenshot(page, "notify-bulk-done")
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert [statuses[claim.pk] for claim in claims] == [
        "new",
        "dismissed",
        "dismissed",
        "dismissed",
        "new",
        "new",
    ]
    assert Claim.objects.get(pk=claims[2].pk).dismissal_reason == "opinion"


def test_a_notification_reaches_a_second_person_after_an_assignment(
    new_page, inline_tasks, settings, screenshot
):
    settings.NOTIFICATION_POLL_SECONDS = 1
    reviewer = factories.reviewer(username="rita", first_name="Rita")
    editor = factories.editor(username="ed", first_name="Ed")
    (claim,) = _claims(1)

    reviewer_page = new_page(reviewer)  # left open on the queue
    expect(reviewer_page.locator("#notification-bell .bell-count")).to_have_count(0)

    editor_page = new_page(editor)
    editor_page.goto(f"/review/claims/{claim.pk}/")
    editor_page.locator("summary", has_text="Assign…").click()
    editor_page.select_option("select[name=assign-assignee]", str(reviewer.pk))
    editor_page.get_by_role("button", name="Assign", exact=True).click()
    expect(editor_page.locator("#claim-panel")).to_contain_text("Assignment saved")

    # The reviewer's page learns of it by itself, without a reload.
    bell = reviewer_page.locator("#notification-bell .bell-count")
    expect(bell).to_have_text("1", timeout=10_000)
    screenshot(reviewer_page, "notify-bell")
    reviewer_page.click("#notification-bell")
    item = reviewer_page.locator(".notification").first
    expect(item).to_contain_text("Ed assigned you a claim")
    expect(item).to_have_class("notification notification-assigned is-unread")
    screenshot(reviewer_page, "notify-notifications-page")
    assert Notification.objects.get(recipient=reviewer).read_at is not None
    expect(reviewer_page.locator("#notification-bell .bell-count")).to_have_count(0)
    item.locator("a").click()
    reviewer_page.wait_for_url(f"**/review/claims/{claim.pk}/")


def test_keyboard_work_in_the_queue(new_page, inline_tasks, screenshot):
    reviewer = factories.reviewer(username="rita", first_name="Rita")
    claims = _claims(4)
    page = new_page(reviewer)
    page.goto("/review/?status=new")
    links = page.locator(".row-link")

    page.keyboard.press("j")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(links.nth(1)).to_be_focused()

    # x ticks the current claim; a assigns it to me, and the queue keeps my place.
    page.keyboard.press("x")
    expect(page.locator("input[data-select-row]").nth(1)).to_be_checked()
    page.keyboard.press("a")
    expect(page.locator("#bulk-result")).to_contain_text("1 claim taken.")
    settled(page)
    expect(page.locator(".queue-row").nth(1)).to_contain_text("Rita")
    expect(links.nth(1)).to_be_focused()
    assert Claim.objects.get(pk=claims[1].pk).assignee == reviewer

    # d takes the current claim to the dismissal reason.
    page.keyboard.press("j")
    page.keyboard.press("d")
    expect(page.locator("#bulk-form select[name=reason]")).to_be_focused()
    expect(page.locator("input[data-select-row]").nth(2)).to_be_checked()

    # / goes to the search box; typing there is typing, not shortcuts.
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("/")
    search = page.locator("#queue-filters input[name=q]")
    expect(search).to_be_focused()
    page.keyboard.type("budget")  # "d" here is a letter, not the dismiss shortcut
    expect(search).to_have_value("budget")
    expect(page.locator("#bulk-form select[name=reason]")).not_to_be_focused()
    settled(page)

    # ? lists the shortcuts; Escape closes the list.
    page.locator("h1").click()
    page.keyboard.press("?")
    help_dialog = page.locator("#shortcut-help")
    expect(help_dialog).to_be_visible()
    screenshot(page, "notify-shortcuts")
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()

    # Enter opens the focused claim.
    links.nth(0).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/review/claims/{claims[0].pk}/")


def test_mention_suggestions_in_a_comment(new_page, inline_tasks):
    reviewer = factories.reviewer(username="rita", first_name="Rita")
    editor = factories.editor(username="edwina", first_name="Edwina")
    factories.UserFactory(username="edgar")  # no role: not offered
    (claim,) = _claims(1)
    page = new_page(reviewer)
    page.goto(f"/review/claims/{claim.pk}/")
    box = page.locator("textarea[name=comment-body]")
    box.click()
    page.keyboard.type("Could @ed")
    options = page.locator(".mention-options [data-mention]")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("@edwina")
    page.keyboard.press("Enter")
    expect(box).to_have_value("Could @edwina ")
    page.keyboard.type("check the figures?")
    page.locator("form[action$='/comment/'] button[type=submit]").click()
    expect(page.locator(".comment-list")).to_contain_text("Could @edwina check the figures?")
    assert Notification.objects.filter(recipient=editor, kind="mentioned").count() == 1

"""`manage.py ingest`: files, folders and web addresses, as the web form takes them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.models import Article
from tests import factories
from tests.ingest_pages import REFERENCE_ARTICLE, article_html

# The command runs outside any transaction, as from a shell: jobs are queued on commit at once.
pytestmark = pytest.mark.django_db(transaction=True)


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("ingest", *args, "--timeout", "10", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_ingests_a_file():
    # No role needed: admins run the command. (Roles are data from a migration, and transactional
    # tests may run after others have flushed it.)
    reviewer_user = factories.UserFactory(username="cli-admin")
    out, _ = run(str(REFERENCE_ARTICLE), "--user", reviewer_user.username)
    article = Article.objects.get()
    assert article.status == Article.Status.READY
    assert article.origin == Article.Origin.UPLOAD
    assert article.added_by == reviewer_user
    assert out.startswith(f"ready      #{article.pk:<6} {REFERENCE_ARTICLE}")
    assert f"({article.claims.count()} claims)" in out


def test_the_same_input_twice_is_one_article():
    out, _ = run(str(REFERENCE_ARTICLE), str(REFERENCE_ARTICLE))
    assert Article.objects.count() == 1
    assert out.splitlines()[1].startswith("duplicate")


def test_a_failed_input_given_again_is_tried_again(allow_private, httpserver):
    httpserver.expect_oneshot_request("/story").respond_with_data("down", status=404)
    httpserver.expect_request("/story").respond_with_data(article_html(), content_type="text/html")
    with pytest.raises(CommandError):
        run(httpserver.url_for("/story"))
    assert Article.objects.get().status == Article.Status.FAILED
    out, _ = run(httpserver.url_for("/story"))
    article = Article.objects.get()
    assert article.status == Article.Status.READY
    assert out.startswith(f"ready      #{article.pk:<6} ")


def test_it_ingests_web_addresses_and_folders(tmp_path, allow_private, httpserver):
    httpserver.expect_request("/story").respond_with_data(article_html(), content_type="text/html")
    (tmp_path / "one.txt").write_text(
        "Officials said 25 fighters were killed in the strikes on Sunday in western Iraq."
    )
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "two.html").write_text(
        article_html(
            "Talks end in Geneva",
            [
                "The foreign minister said the talks in Geneva ended on Friday without a deal.",
                "Diplomats from twelve countries attended the meeting, according to officials.",
            ],
        )
    )
    (tmp_path / "notes.md").write_text("ignored")
    out, err = run(httpserver.url_for("/story"), str(tmp_path))
    assert err == ""
    assert out.count("ready") == 3
    assert Article.objects.filter(status=Article.Status.READY).count() == 3


def test_failures_and_refusals_are_reported_and_fail_the_command(
    tmp_path, allow_private, httpserver
):
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    good = tmp_path / "good.txt"
    good.write_text("Officials said 25 fighters were killed in the strikes on Sunday in Iraq.")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="3 of 4 inputs were not ingested"):
        call_command(
            "ingest",
            httpserver.url_for("/gone"),
            str(tmp_path / "photo.txt"),
            str(tmp_path / "missing.txt"),
            str(good),
            stdout=out,
            stderr=err,
        )
    err = err.getvalue()
    assert "The page returned 404 (Not Found)." in err
    assert "The file is not text: photo.txt looks like a PNG image." in err
    assert "missing.txt: No such file or folder." in err
    assert "ready" in out.getvalue()


def test_an_unknown_user_is_refused():
    with pytest.raises(CommandError, match="No user called 'nobody'"):
        run(str(REFERENCE_ARTICLE), "--user", "nobody")


def test_it_ingests_transcripts(tmp_path):
    path = tmp_path / "debate.txt"
    path.write_text(
        "HOLT: Good evening. What about jobs?\n"
        "TRUMP: We have lost 70,000 factories since China joined the World Trade Organization.\n"
    )
    run(str(path), "--transcript", "--moderators", "Lester Holt")
    article = Article.objects.get()
    assert article.status == Article.Status.READY
    assert (article.kind, article.moderators) == (Article.Kind.TRANSCRIPT, "Lester Holt")
    assert [claim.speaker_text for claim in article.claims.all()] == ["TRUMP"]

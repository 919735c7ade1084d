"""Page furniture in markup: pop-up cards, class names that hide link text, link lists,
figures and embedded posts, handled before trafilatura reads the page."""

from __future__ import annotations

from lxml import html as lxml_html

from claims.page_furniture import parse_page, remove_furniture, visible_text


def cleaned(body: str) -> str:
    tree = parse_page(f"<html><body><article>{body}</article></body></html>")
    remove_furniture(tree)
    return " ".join(tree.find("body").text_content().split())


def test_a_pop_up_card_goes_but_its_link_and_the_sentence_stay():
    text = cleaned(
        '<p>Gov. <span class="rollover-people"><a class="rollover-people-link" href="/p">'
        'Kim Lee</a><span class="rollover-people-block">Kimberly Lee Governor MORE</span>'
        "</span> (R) signed it.</p>"
    )
    assert text == "Gov. Kim Lee (R) signed it."


def test_tooltips_and_hidden_elements_go():
    text = cleaned(
        '<p>The <span class="tooltip">hover text</span>fund <span hidden>x</span>grew'
        '<span style="display: none"> y</span> <span aria-hidden="true">z</span>fast.</p>'
    )
    assert text == "The fund grew fast."


def test_inline_elements_lose_the_classes_that_make_trafilatura_drop_them():
    tree = parse_page(
        '<html><body><p>It said <span class="link-embed"><a class="social" href="/x">'
        "the fine</a></span> stands.</p></body></html>"
    )
    remove_furniture(tree)
    assert not tree.xpath("//p//*[@class]")
    assert tree.find(".//p").text_content() == "It said the fine stands."


def test_link_lists_and_short_link_blocks_go_but_linked_sentences_stay():
    text = cleaned(
        '<ul><li><a href="/1">Other story one</a></li><li><a href="/2">Other story two</a></li>'
        '</ul><p><strong><a href="/more">SEE MORE</a></strong></p>'
        '<p><a href="/v">Team makes final decision on game [VIDEO]</a></p>'
        '<p><a href="/a">Port operators</a> blamed <a href="/b">the trade dispute</a> and '
        '<a href="/c">a typhoon that shut the terminals</a> for two days.</p>'
    )
    assert text == (
        "Port operators blamed the trade dispute and a typhoon that shut the terminals for two "
        "days."
    )


def test_figures_and_captions_go():
    text = cleaned(
        "<p>The river rose.</p><figure><img src='a.jpg'><figcaption>Flooded streets. Photo: AP"
        "</figcaption></figure><div class='image-caption'>A boat. Credit: Jo Bloggs</div>"
    )
    assert text == "The river rose."


def test_an_embedded_post_becomes_one_signed_paragraph():
    tree = parse_page(
        '<html><body><blockquote class="twitter-tweet"><p lang="en">Big news today! '
        '<a href="https://t.co/x">pic.twitter.com/x</a></p>&mdash; Jo Blake (@joblake) '
        '<a href="/s">May 1, 2019</a></blockquote></body></html>'
    )
    remove_furniture(tree)
    [paragraph] = tree.findall(".//p")
    assert paragraph.text == "Big news today! — Jo Blake (@joblake) May 1, 2019"
    assert tree.find(".//blockquote") is None


def test_visible_text_leaves_out_scripts_and_styles():
    tree = lxml_html.document_fromstring(
        "<html><body><p>One</p><script>var x = 'two';</script><style>p{}</style> three</body>"
        "</html>"
    )
    assert visible_text(tree) == "One three"

"""`Co-authored-by:` trailer parsing (connectors.github.co_authors) on generated commit
messages: every trailer line gives its name and email, in order, whatever the case of the
key, the spacing, the line endings and the script of the name; no other line gives one
(other trailers, a key in mid-line, a trailer without email followed by a quoted `<email>`)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.github import co_authors

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines() splits on
names = st.text(
    st.characters(blacklist_characters="<>" + LINE_BREAKS, blacklist_categories=("Cs",)), min_size=1, max_size=20
).filter(str.strip)
emails = st.builds(
    lambda user, host: f"{user}@{host}.example",
    st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd", "Lo")), min_size=1, max_size=8),
    st.sampled_from(["users.noreply.github", "loadbearing-demo", "例え"]),
)
keys = st.sampled_from(["Co-authored-by", "co-authored-by", "CO-AUTHORED-BY", "Co-Authored-By"])
spaces = st.sampled_from(["", " ", "  ", "\t"])

trailer = st.tuples(keys, spaces, names, emails, spaces).map(
    lambda t: ([f"{t[1]}{t[0]}: {t[2]} <{t[3]}>{t[4]}"], (t[2].strip(), t[3]))
)
decoy = st.sampled_from(
    [
        ["Signed-off-by: Ada Quill <ada.quill@loadbearing-demo.example>"],
        ["Reviewed-by: Bo Tern <bo.tern@loadbearing-demo.example>"],
        ["Thanks to everyone. Co-authored-by: Cy Wren <cy.wren@loadbearing-demo.example>"],  # not at line start
        ["Co-authored-by: Di Lamb"],  # no email: not a credit
        ["Co-authored-by: Di Lamb", "<di.lamb@loadbearing-demo.example>"],  # nor with the email on the next line
        ["Co-authored-by:", "Ed Stone <ed.stone@loadbearing-demo.example>"],  # nor with the name there
        [""],
    ]
).map(lambda lines: (lines, None))
prose = st.text(st.characters(blacklist_characters="<" + LINE_BREAKS, blacklist_categories=("Cs",)), max_size=30).map(
    lambda line: ([line], None)
)


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(st.one_of(trailer, decoy, prose), max_size=12), newline=st.sampled_from(["\n", "\r\n"]))
def test_every_trailer_and_nothing_else(lines, newline):
    message = newline.join(["Fix the flaky retry", ""] + [line for text, _ in lines for line in text])
    expected = [{"name": name, "email": email} for _, credit in lines if credit for name, email in [credit]]
    assert co_authors(message) == expected

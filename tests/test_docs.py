"""`clickgen docs`: the HTML catalog of the example and of the hostile-names reference.

Checks that every page exists, every local link (and its #fragment) resolves, the
HTML nests properly, the output is deterministic, and that no text of the reference
reaches the page unescaped: injected <script> tags and javascript: links stay text.
"""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

import pytest

from clickgen.docs import build_docs, constraints, foreign_output
from clickgen.frontend import analyze_folder
from clickgen.ir import Field, FieldType
from clickgen.diagnostics import Span
from clickgen.versioning import Lock, Release, environment_content_hash

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "reference"
HOSTILE = ROOT / "tests" / "cases" / "hostile-names" / "reference"
FAILING = ROOT / "tests" / "cases" / "fail-semantic" / "reference"

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
INJECTED = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'


class Page(HTMLParser):
    """Parses one page, recording what the tests look at and every nesting problem."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.links: list[str] = []
        self.ids: list[str] = []
        self.scripts = 0
        self.text: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action") and value is not None:
                self.links.append(value)
            if name == "id" and value is not None:
                self.ids.append(value)
            if name.startswith("on"):
                self.problems.append(f"event handler attribute {name}= on <{tag}>")
        if tag == "script":
            self.scripts += 1
            self.in_script = True
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False
        if tag in VOID:
            self.problems.append(f"end tag for void element </{tag}>")
        elif not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}> at line {self.getpos()[0]}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.in_script:
            self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text("utf-8"))
    page.close()
    if page.stack:
        page.problems.append(f"unclosed: {page.stack}")
    if len(page.ids) != len(set(page.ids)):
        page.problems.append("duplicate ids")
    return page


def text_of(path: Path) -> str:
    return "".join(parse(path).text)


def html_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    """Docs of a reference, built once per module through the command line."""
    from click.testing import CliRunner

    from clickgen.cli import main

    cache: dict[Path, Path] = {}

    def build(reference: Path) -> Path:
        if reference not in cache:
            out = tmp_path_factory.mktemp("docs") / "site"
            result = CliRunner().invoke(main, ["--reference", str(reference), "docs", "--out", str(out)], catch_exceptions=False)
            assert result.exit_code == 0, result.output
            cache[reference] = out
        return cache[reference]

    return build


def hostile_copy(root: Path) -> Path:
    """The hostile-names reference, with HTML injection added to its texts."""
    target = root / "reference"
    shutil.copytree(HOSTILE, target)
    event = target / "events" / "keywords" / "class.yaml"
    text = event.read_text("utf-8")
    text = text.replace("owner: \"team \\\"quotes\\\" */ ?>\"", "owner: " + json.dumps("team " + INJECTED))
    text = text.replace("docs: ['https://docs.example.com/class?x=\"*/\"']", "docs: ['javascript:alert(1)', 'https://docs.example.com/class?x=\"*/\"&y=<b>']")
    text = text.replace("description: Adds every scalar type; `default` is gone.", "description: " + json.dumps(INJECTED + " Adds every scalar type"))
    event.write_text(text, "utf-8")
    fields = target / "fields" / "keywords.yaml"
    fields.write_text(
        fields.read_text("utf-8")
        + "\nxss:\n  type: string\n  enum: ['</code><script>alert(2)</script>', '\" onmouseover=\"alert(3)', '🚀']\n"
        + "  description: " + json.dumps(INJECTED + " 👋 Привет", ensure_ascii=False) + "\n",
        "utf-8",
    )
    select = target / "environments" / "select.yaml"
    select.write_text(select.read_text("utf-8").replace("common_fields:\n", "common_fields:\n  xss: optional\n"), "utf-8")
    return target


# --- pages and links --------------------------------------------------------------


@pytest.mark.parametrize("reference", [EXAMPLE, HOSTILE], ids=["example", "hostile-names"])
def test_every_entity_has_a_page(built: Callable[[Path], Path], reference: Path) -> None:
    out = built(reference)
    ir = analyze_folder(reference).reference
    expected = {"index.html", "style.css"}
    expected |= {f"events/{n}.html" for n in ir.events}
    expected |= {f"fields/{n}.html" for n in ir.fields}
    expected |= {f"environments/{n}.html" for n in ir.environments}
    assert set(tree(out)) == expected


@pytest.mark.parametrize("reference", [EXAMPLE, HOSTILE], ids=["example", "hostile-names"])
def test_pages_are_well_formed_and_links_resolve(built: Callable[[Path], Path], reference: Path) -> None:
    out = built(reference)
    pages = {path: parse(path) for path in html_files(out)}
    problems = []
    for path, page in pages.items():
        problems += [f"{path.relative_to(out)}: {p}" for p in page.problems]
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            assert not parts.scheme, f"{path.relative_to(out)}: unexpected link {link!r}"
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_file():
                problems.append(f"{path.relative_to(out)}: broken link {link}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in pages[target].ids:
                problems.append(f"{path.relative_to(out)}: no #{parts.fragment} in {target.relative_to(out)}")
    assert problems == []


def test_the_index_lists_and_counts_everything(built: Callable[[Path], Path]) -> None:
    out = built(EXAMPLE)
    ir = analyze_folder(EXAMPLE).reference
    index = (out / "index.html").read_text("utf-8")
    text = text_of(out / "index.html")
    versions = sum(len(e.versions) for e in ir.events.values())
    assert f"{len(ir.events)} events" in text and f"{versions} event versions" in text
    assert f"{len(ir.fields)} fields" in text and f"{len(ir.environments)} environments" in text
    for name in ir.events:
        assert index.count(f'href="events/{name}.html"') >= 2  # folder table and owner list (and deprecations)
    assert "events/auth/" in text and "events/search/" in text
    assert 'id="search"' in index and index.count("<script>") == 1
    # the deprecated field of the example is listed with its replacement
    deprecated = index[index.index('id="deprecated"'):]
    assert 'href="fields/signup_channel.html"' in deprecated and 'href="fields/registration_method.html"' in deprecated


def test_pages_use_no_network(built: Callable[[Path], Path]) -> None:
    out = built(EXAMPLE)
    for path in html_files(out):
        html = path.read_text("utf-8")
        assert "<script src" not in html and "//cdn" not in html and "@import" not in html
    assert "url(" not in (out / "style.css").read_text("utf-8")


# --- event, field and environment pages ----------------------------------------------


def test_event_page_shows_versions_changes_names_and_a_sample(built: Callable[[Path], Path]) -> None:
    out = built(EXAMPLE)
    ir = analyze_folder(EXAMPLE).reference
    page = out / "events" / "registration_submit.html"
    html = page.read_text("utf-8")
    text = text_of(page)
    assert "team-auth" in text and "User submitted the registration form" in text
    assert 'href="https://wiki.internal/analytics/registration-funnel"' in html
    assert ["v1", "v2", "v3"] == sorted(i for i in parse(page).ids if i.startswith("v"))
    v2 = html[html.index('id="v2"'):html.index('id="v1"')]
    assert "added</span> <a href=\"../fields/registration_method.html\">registration_method</a> <span class=\"muted\">(required)" in v2
    assert "removed</span> <a href=\"../fields/signup_channel.html\">signup_channel</a> <span class=\"muted\">(was optional)" in v2
    assert "First version." in text
    for name in ("RegistrationSubmitV3", "NewRegistrationSubmitV3"):
        assert f"<code>{name}</code>" in html
    for package in ("mkt-clickstream-ios-app", "mkt_clickstream_ios_app", "example.com/mkt/clickstream/ios-app", "mkt/marketplace-ios-app", "Mkt\\Clickstream\\IosApp"):
        assert f"<code>{package}</code>" in html
    samples = [json.loads(s) for s in _pre_blocks(page)]
    assert [s["event_version"] for s in samples] == [3, 2, 1]
    assert all(s["event_id"] == ir.events["registration_submit"].id for s in samples)


def _pre_blocks(page: Path) -> list[str]:
    class Pre(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.inside = False
            self.blocks: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "pre":
                self.inside = True
                self.blocks.append("")

        def handle_endtag(self, tag: str) -> None:
            if tag == "pre":
                self.inside = False

        def handle_data(self, data: str) -> None:
            if self.inside:
                self.blocks[-1] += data

    parser = Pre()
    parser.feed(page.read_text("utf-8"))
    return parser.blocks


def test_field_page_lists_where_it_is_used(built: Callable[[Path], Path]) -> None:
    out = built(EXAMPLE)
    html = (out / "fields" / "user_id.html").read_text("utf-8")
    assert 'href="../events/registration_submit.html#v3"' in html and 'href="../events/registration_submit.html#v1"' in html
    assert "at least 1" in html
    common = (out / "fields" / "session_id.html").read_text("utf-8")
    assert 'href="../environments/ios-app.html"' in common and "sent with every event of the environment" in common


def test_environment_page_shows_langpacks_and_events(built: Callable[[Path], Path]) -> None:
    out = built(EXAMPLE)
    text = text_of(out / "environments" / "backend-search.html")
    # python builds generations 1 and 2 side by side; nothing is released: no lock
    assert "0.1.0" in text and "0.2.0" in text and "unreleased" in text
    assert "mkt_clickstream_backend_search" in text and "example.com/mkt/clickstream/backend-search" in text
    ir = analyze_folder(EXAMPLE).reference
    html = (out / "environments" / "backend-search.html").read_text("utf-8")
    for event in ir.environments["backend-search"].events:
        assert f'href="../events/{event.name}.html"' in html


def test_released_versions_come_from_the_lock(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(EXAMPLE, reference)
    ir = analyze_folder(reference).reference
    lock = Lock()
    lock.add(Release("ios-app", 1, 6, environment_content_hash(ir, "ios-app")))
    lock.add(Release("website", 1, 3, "sha256:" + "0" * 64))
    files = {f.path: f.content.decode() for f in build_docs(ir, lock)}
    assert "<code>0.1.6</code></td>" in files["environments/ios-app.html"]  # released, unchanged
    assert "<code>0.1.4</code> <span class=\"badge optional\"" in files["environments/website.html"]  # changed since 0.1.3


def test_constraints_in_plain_words() -> None:
    span = Span("fields/x.yaml")

    def words(**kw: object) -> list[str]:
        return [c.words + (" " + ", ".join(c.values) if c.values else "") for c in constraints(Field(name="x", description="", span=span, **kw))]  # type: ignore[arg-type]

    assert words(type=FieldType.INTEGER, minimum=1, maximum=100) == ["from 1 to 100"]
    assert words(type=FieldType.INTEGER) == ["any 64-bit signed integer"]
    assert words(type=FieldType.NUMBER, maximum=0.5) == ["at most 0.5"]
    assert words(type=FieldType.STRING, min_length=1) == ["length at least 1 character"]
    assert words(type=FieldType.STRING, max_length=0) == ["always the empty string"]
    assert words(type=FieldType.STRING, enum=("a", "b c")) == ['one of "a", "b c"']
    assert words(type=FieldType.ARRAY, items=FieldType.INTEGER, max_items=3, minimum=0) == ["at most 3 items", "each item at least 0"]
    assert words(type=FieldType.ARRAY, items=FieldType.STRING, min_items=2, max_items=2, pattern="[a-z]+") == [
        "exactly 2 items",
        "each item the whole value matches the regular expression [a-z]+",
    ]
    assert words(type=FieldType.BOOLEAN) == []


# --- hostile text -----------------------------------------------------------------


def test_hostile_text_is_escaped_and_shown_as_written(tmp_path: Path, clickgen_cli) -> None:  # type: ignore[no-untyped-def]
    reference = hostile_copy(tmp_path)
    analysis = analyze_folder(reference)
    assert analysis.ok, analysis.diagnostics
    out = tmp_path / "site"
    result = clickgen_cli("--reference", reference, "docs", "--out", out)
    assert result.exit_code == 0, result.stderr
    for path in html_files(out):
        page = parse(path)
        assert page.problems == [], path
        assert page.scripts == (1 if path.name == "index.html" else 0), path
        html = path.read_text("utf-8")
        assert "javascript:" not in [link[:11].lower() for link in page.links]
        assert "<img" not in html and "<b>" not in html
    # the texts come back unchanged once the browser decodes the entities
    event = text_of(out / "events" / "class.html")
    assert "team " + INJECTED in event
    assert INJECTED + " Adds every scalar type" in event
    assert 'https://docs.example.com/class?x="*/"&y=<b>' in event
    assert "javascript:alert(1)" in event  # shown, not linked
    field = text_of(out / "fields" / "xss.html")
    assert INJECTED + " 👋 Привет" in field
    assert '"</code><script>alert(2)</script>"' in field and '"\\" onmouseover=\\"alert(3)"' in field and '"🚀"' in field
    environment = text_of(out / "environments" / "select.html")
    select = analysis.reference.environments["select"]
    assert select.owner in environment and select.description.strip() in environment and select.collector in environment
    # the index's search data is escaped too
    index = (out / "index.html").read_text("utf-8")
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in index


def test_hostile_names_keep_their_text(built: Callable[[Path], Path]) -> None:
    out = built(HOSTILE)
    ir = analyze_folder(HOSTILE).reference
    for name, f in ir.fields.items():
        text = text_of(out / "fields" / f"{name}.html")
        assert f.description.strip() in text
        for value in f.enum or ():
            assert json.dumps(value, ensure_ascii=False) in text
    assert ir.settings.description in text_of(out / "index.html")
    error = (out / "events" / "error.html").read_text("utf-8")
    assert "No fields." in error


# --- determinism, errors, the output folder ------------------------------------------


def test_output_is_deterministic(tmp_path: Path, clickgen_cli) -> None:  # type: ignore[no-untyped-def]
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert clickgen_cli("--reference", HOSTILE, "docs", "--out", out).exit_code == 0
    assert tree(first) == tree(second)
    again = clickgen_cli("--reference", HOSTILE, "docs", "--out", first)
    assert again.exit_code == 0 and "0 changed" in again.stdout
    for content in tree(first).values():
        assert b"2025" not in content and b"2026" not in content  # no build date anywhere


def test_a_reference_with_errors_exits_1(tmp_path: Path, clickgen_cli) -> None:  # type: ignore[no-untyped-def]
    result = clickgen_cli("--reference", FAILING, "docs", "--out", tmp_path / "site")
    assert result.exit_code == 1
    assert "error[CG" in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_folder_of_other_files_is_not_replaced(tmp_path: Path, clickgen_cli) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "docs"
    out.mkdir()
    (out / "handbook.md").write_text("mine\n", "utf-8")
    assert foreign_output(out)
    result = clickgen_cli("--reference", EXAMPLE, "docs", "--out", out)
    assert result.exit_code == 2 and "did not write" in result.stderr
    assert (out / "handbook.md").read_text("utf-8") == "mine\n"
    # a previous catalog is replaced, stale pages removed
    site = tmp_path / "site"
    assert clickgen_cli("--reference", EXAMPLE, "docs", "--out", site).exit_code == 0
    (site / "events" / "gone.html").write_text("old", "utf-8")
    assert not foreign_output(site)
    assert clickgen_cli("--reference", EXAMPLE, "docs", "--out", site).exit_code == 0
    assert not (site / "events" / "gone.html").exists()


def test_docs_requires_out(clickgen_cli) -> None:  # type: ignore[no-untyped-def]
    result = clickgen_cli("--reference", EXAMPLE, "docs")
    assert result.exit_code == 2


def test_object_fields_have_a_page_with_members_linked_both_ways(built: Callable[[Path], Path]) -> None:
    site = built(EXAMPLE)
    line = parse(site / "fields" / "cart_line.html")
    assert not line.problems
    text = "".join(line.text)
    assert "Members" in text and "cart_quantity" in text and "item_condition" in text
    assert {"../fields/item_id.html", "../fields/cart_quantity.html", "../fields/cart_lines.html"} <= set(line.links)
    member = parse(site / "fields" / "cart_quantity.html")
    assert "../fields/cart_line.html" in member.links and "member of the object cart_line" in "".join(member.text)
    lines = text_of(site / "fields" / "cart_lines.html")
    assert "array of cart_line objects" in lines and "Each item is a cart_line object." in lines

"""Text out of HTML pages and PDF files, in a child process with limits on time, memory and the
size of the text, because these files come from anyone: a PDF of 28 KB can keep a parser busy for
hours, or unpack gigabytes.

`extract_isolated` runs `html_article` or `pdf_text` in a fresh Python process (`python -m
geo.documents.extraction`), which limits its own memory before it reads the file; the parent stops it after
`MAX_SECONDS`. Whatever goes wrong (a library's exception, the time or memory limit, a crash) comes
back as `RejectedFile` with a one-line reason. The child imports neither pandas nor the rest of the
pipeline: it starts in a fraction of a second.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass
from html.parser import HTMLParser

MAX_PDF_PAGES = 1000
MAX_SECONDS = 60  # a real 1,000-page report reads in well under this
MAX_MEMORY_BYTES = 1024 * 1024 * 1024  # the child's address space
MAX_TEXT_CHARS = 20 * 1024 * 1024  # as much text as the largest file allowed holds
# Readers running at once in one server: the others wait their turn, so that uploads (hostile or
# not) from many sessions never take every core from the sessions that only read.
MAX_READERS = max(1, (os.cpu_count() or 2) - 1)
_readers = threading.BoundedSemaphore(MAX_READERS)


class RejectedFile(ValueError):
    """A file that cannot be added, with the reason in words for the user."""


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str = ""
    author: str = ""
    published: str = ""  # ISO YYYY, YYYY-MM or YYYY-MM-DD, or ""


# --- HTML ---------------------------------------------------------------------------------------

_SKIPPED_TAGS = {
    "script", "style", "noscript", "template", "svg", "math", "nav", "header", "footer", "aside",
    "form", "button", "iframe", "select", "textarea", "figure", "object", "canvas", "dialog",
}  # fmt: skip
_VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
}  # fmt: skip
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "blockquote", "pre", "table", "tr", "dl", "dt", "dd", "br", "hr", "title", "body",
}  # fmt: skip
# class or id words of page furniture: menus, share buttons, cookie banners, related links.
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|footer|header|sidebar|share|sharing|social|cookie|consent|"
    r"banner|advert|ads?|promo|related|comments?|newsletter|subscribe|breadcrumbs?|masthead|"
    r"skip-link|byline-share)(?:$|[\s_-])",
    re.IGNORECASE,
)
_DATE_META = (
    "article:published_time",
    "datepublished",
    "pubdate",
    "date",
    "dc.date",
    "publishdate",
)


class _ArticleText(HTMLParser):
    """Collects the readable text of a page, in blocks, noting which lie inside <article>/<main>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, bool]] = []  # (text, inside article/main)
        self._current: list[str] = []
        self._skip: list[str] = []  # open tags whose content is dropped
        self._article_depth = 0
        self._in_title = False
        self._in_h1 = False
        self.title_tag = ""
        self.h1 = ""
        self.meta: dict[str, str] = {}
        self.time_datetime = ""

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append((text, self._article_depth > 0))
        self._current = []

    def handle_starttag(self, tag, attrs):
        attrs = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (
                attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or ""
            ).lower()
            if key and attrs.get("content") and key not in self.meta:
                self.meta[key] = attrs["content"].strip()
            return
        if tag == "time" and attrs.get("datetime") and not self.time_datetime:
            self.time_datetime = attrs["datetime"]
        if tag in _VOID_TAGS:
            if tag in ("br", "hr") and not self._skip:
                self._flush()
            return
        if self._skip:
            self._skip.append(tag)
            return
        marks = f"{attrs.get('class', '')} {attrs.get('id', '')} {attrs.get('role', '')}"
        if tag in _SKIPPED_TAGS or (tag not in ("body", "html", "main", "article")
                                    and _BOILERPLATE.search(marks)):  # fmt: skip
            self._flush()
            self._skip.append(tag)
            return
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag in ("article", "main"):
            self._article_depth += 1
        self._in_title = self._in_title or tag == "title"
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self._skip:
            # Close the innermost open tag of this name; unclosed ones inside it go with it.
            if tag in self._skip:
                while self._skip and self._skip.pop() != tag:
                    pass
            return
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag in ("article", "main") and self._article_depth:
            self._article_depth -= 1
        if tag == "title":
            self._in_title = False
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._skip:
            return
        if self._in_title:
            self.title_tag += data
            return
        if self._in_h1:
            self.h1 += data
        self._current.append(data)

    def close(self):
        super().close()
        self._flush()


def _iso_date(value: str) -> str:
    match = re.match(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value or "")
    if not match:
        return ""
    return "-".join(p for p in match.groups() if p)


def html_article(html: str) -> Extracted:
    """The article text of a page: the <article>/<main> content when the page marks one, else the
    body; scripts, styles, navigation, headers, footers, forms and asides dropped."""
    parser = _ArticleText()
    parser.feed(html)
    parser.close()
    inside = [text for text, in_article in parser.blocks if in_article]
    blocks = inside or [text for text, _ in parser.blocks]
    meta = parser.meta
    title = " ".join(
        (meta.get("og:title") or parser.h1 or parser.title_tag or meta.get("title") or "").split()
    )
    published = ""
    for key in _DATE_META:
        published = _iso_date(meta.get(key, ""))
        if published:
            break
    published = published or _iso_date(parser.time_datetime)
    author = " ".join((meta.get("author") or meta.get("article:author") or "").split())
    if author.startswith(("http://", "https://")):
        author = ""
    if title and (not blocks or blocks[0] != title):
        blocks = [title, *blocks]
    return Extracted("\n\n".join(blocks) + "\n", title=title, author=author, published=published)


# --- PDF ----------------------------------------------------------------------------------------


def pdf_text(data: bytes, max_chars: int | None = None) -> Extracted:
    """The text layer of a PDF, page by page, with the title, author and date its metadata gives.

    Any failure of the PDF library on a broken or hostile file is a `RejectedFile` with a one-line
    reason; so is a text layer over `max_chars` characters (a compressed stream can hold gigabytes).
    """
    from pypdf import PdfReader

    max_chars = MAX_TEXT_CHARS if max_chars is None else max_chars
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")  # many "protected" PDFs open with an empty password
            except Exception as exc:  # noqa: BLE001 - pypdf raises several kinds here
                raise RejectedFile("the PDF is encrypted") from exc
        declared = _declared_pages(reader)  # read before walking the tree, which may be huge
        if declared > MAX_PDF_PAGES:
            raise RejectedFile(f"the PDF has {declared:,} pages; the limit is {MAX_PDF_PAGES:,}")
        n_pages = len(reader.pages)
        if n_pages > MAX_PDF_PAGES:
            raise RejectedFile(f"the PDF has {n_pages:,} pages; the limit is {MAX_PDF_PAGES:,}")
        pages, size = [], 0
        for page in reader.pages:
            text = (page.extract_text() or "").strip()
            size += len(text)
            if size > max_chars:
                raise RejectedFile(
                    f"its text is over the limit of {max_chars:,} characters "
                    f"(reached on page {len(pages) + 1} of {n_pages:,})"
                )
            pages.append(text)
        info = reader.metadata or {}
        title = " ".join(str(info.get("/Title") or "").split())
        author = " ".join(str(info.get("/Author") or "").split())
        created = str(info.get("/CreationDate") or "")
    except RejectedFile:
        raise
    except RecursionError:
        raise RejectedFile("not a readable PDF (its objects are nested too deeply)") from None
    except MemoryError:
        raise RejectedFile("not a readable PDF (it needs too much memory to read)") from None
    except Exception as exc:  # noqa: BLE001 - a hostile file makes pypdf raise anything
        raise RejectedFile(f"not a readable PDF ({one_line(exc)})") from None
    text = "\n\n".join(p for p in pages if p)
    if not text.strip():
        raise RejectedFile("the PDF has no text layer (a scan?); run OCR on it first")
    match = re.match(r"D:(\d{4})(\d{2})?(\d{2})?", created)
    published = "-".join(p for p in match.groups() if p) if match else ""
    if title and not text.lstrip().startswith(title):
        text = f"{title}\n\n{text}"
    return Extracted(text + "\n", title=title[:500], author=author[:500], published=published)


def _declared_pages(reader) -> int:
    """The page count the PDF's page tree states (0 if it states none)."""
    try:
        count = reader.root_object["/Pages"].get_object().get("/Count", 0)
        return int(count)
    except Exception:  # noqa: BLE001 - a broken tree: counting the pages says more
        return 0


def one_line(exc: BaseException, limit: int = 200) -> str:
    """An exception as one short line for the user: its type when it says nothing else."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the child process --------------------------------------------------------------------------


def extract_isolated(
    kind: str,
    payload: bytes,
    seconds: float = MAX_SECONDS,
    memory_bytes: int = MAX_MEMORY_BYTES,
    max_chars: int = MAX_TEXT_CHARS,
) -> Extracted:
    """`pdf_text(payload)` (kind "pdf") or `html_article(payload as UTF-8)` (kind "html") run in a
    child process within the limits; `RejectedFile` with the reason when it fails or goes over.
    At most MAX_READERS run at once; a call waits for its turn first."""
    with _readers:
        return _extract_in_child(kind, payload, seconds, memory_bytes, max_chars)


def _extract_in_child(kind, payload, seconds, memory_bytes, max_chars) -> Extracted:
    command = [
        sys.executable,
        "-m",
        "geo.documents.extraction",
        kind,
        str(memory_bytes),
        str(max_chars),
    ]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,  # a Ctrl-C meant for the server is not the child's
        )
    except OSError as exc:
        raise RejectedFile(f"could not start the text extractor ({one_line(exc)})") from None
    try:
        out, err = proc.communicate(payload, timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise RejectedFile(
            f"reading its text took longer than the limit of {seconds:.0f} s "
            "(a file made to stall the reader?)"
        ) from None
    if proc.returncode == 0:
        try:
            answer = json.loads(out)
        except ValueError:
            answer = {"error": "the text extractor answered nonsense"}
        if "error" in answer:
            raise RejectedFile(str(answer["error"]))
        return Extracted(**answer)
    if proc.returncode == _OUT_OF_MEMORY or b"MemoryError" in err[-2000:]:
        raise RejectedFile(
            f"reading its text needs more than the limit of {memory_bytes // 2**20:,} MB of memory"
        )
    raise RejectedFile(f"the text extractor failed on it ({_exit_reason(proc.returncode)})")


_OUT_OF_MEMORY = 3


def _exit_reason(code: int) -> str:
    if code < 0:
        try:
            import signal

            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def _child(argv: list[str]) -> int:
    kind, memory_bytes, max_chars = argv[0], int(argv[1]), int(argv[2])
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):  # not on Linux: only the time limit holds
        pass
    payload = sys.stdin.buffer.read()
    try:
        if kind == "pdf":
            extracted = pdf_text(payload, max_chars)
        else:
            extracted = html_article(payload.decode("utf-8", "surrogatepass"))
            if len(extracted.text) > max_chars:
                raise RejectedFile(f"its text is over the limit of {max_chars:,} characters")
        answer = asdict(extracted)
    except RejectedFile as exc:
        answer = {"error": str(exc)}
    except MemoryError:
        return _OUT_OF_MEMORY
    except RecursionError:
        answer = {"error": "not a readable page (its elements are nested too deeply)"}
    except Exception as exc:  # noqa: BLE001 - the reason goes back as one line
        answer = {"error": f"not a readable file ({one_line(exc)})"}
    sys.stdout.write(json.dumps(answer, ensure_ascii=True))
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))

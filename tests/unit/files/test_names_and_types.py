"""File names made safe for display and headers; the type allowlist and content sniffing."""

import pytest

from sampark.tenants.files.names import clean_name, content_disposition, extension
from sampark.tenants.files.schemas import FileTypeRefused
from sampark.tenants.files.validation import check_content, file_type


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\a\\report.pdf", "report.pdf"),
        ("..", "file"),
        ("", "file"),
        ("  .hidden.txt ", "hidden.txt"),
        ("a\u202etxt.exe", "atxt.exe"),  # the right-to-left override is gone
        ("line\nbreak.txt", "line break.txt"),
        ('"quoted" <b>.md', '"quoted" <b>.md'),
        ("Cafe\u0301.txt", "Café.txt"),
    ],
)
def test_clean_name(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean


def test_long_names_keep_their_extension() -> None:
    name = clean_name("x" * 400 + ".pdf")
    assert len(name) == 255 and name.endswith(".pdf")


def test_content_disposition_cannot_be_broken_out_of() -> None:
    header = content_disposition('a"; filename="evil.html\\ résumé.pdf')
    fallback = header.split("; filename*=")[0]
    assert fallback == 'attachment; filename="a__ filename=_evil.html_ resume.pdf"'
    assert header.endswith("filename*=UTF-8''a%22%3B%20filename%3D%22evil.html%5C%20r%C3%A9sum%C3%A9.pdf")
    assert content_disposition("日本.txt").startswith('attachment; filename="file.txt"')
    assert content_disposition("日本").startswith('attachment; filename="file"')


def test_extension() -> None:
    assert extension("Report.PDF") == "pdf"
    assert extension(".bashrc") == ""
    assert extension("noext") == ""


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("a.pdf", b"%PDF-1.4"),
        ("a.png", b"\x89PNG\r\n\x1a\n...."),
        ("a.JPG", b"\xff\xd8\xff\xe0"),
        ("a.gif", b"GIF89a"),
        ("a.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 "),
        ("a.docx", b"PK\x03\x04"),
        ("a.csv", "name,city\nAnn,Köln\n".encode()),
        ("a.ics", b"BEGIN:VCALENDAR\r\n"),
        ("a.eml", b"From: a@example.com\r\nSubject: hi\r\n\r\nbody"),
        ("a.md", "# नमस्ते".encode()),
    ],
)
def test_allowed_content(name: str, head: bytes) -> None:
    check_content(file_type(name), head, complete=True)


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("a.html", b"<p>hi</p>"),
        ("a.svg", b"<svg/>"),
        ("a.exe", b"MZ"),
        ("a.pdf", b"<html>"),
        ("a.webp", b"RIFF\x00\x00\x00\x00AVI "),
        ("a.txt", b"\xff\xfe\x00\x00"),
        ("a.txt", b"  <!DOCTYPE HTML><p>"),
        ("a.csv", b"\x7fELF\x02"),
        ("a.txt", b"<?xml version='1.0'?><svg/>"),
    ],
)
def test_refused_content(name: str, head: bytes) -> None:
    with pytest.raises(FileTypeRefused):
        check_content(file_type(name), head, complete=True)


def test_a_character_cut_at_the_end_of_the_sniffed_part_is_fine() -> None:
    head = "a" * 10 + "é"
    cut = head.encode()[:-1]
    check_content(file_type("a.txt"), cut, complete=False)
    with pytest.raises(FileTypeRefused):
        check_content(file_type("a.txt"), cut, complete=True)

"""In a real browser: upload a file from a contact page (htmx, with the progress bar) and see it listed."""

from tests.support.web import add_contact, make_member


async def test_upload_a_file_from_a_contact_page(page, live_server, tenant) -> None:
    member = await make_member(tenant)
    contact_id = await add_contact(tenant, member, "Lucius")
    await page.goto(f"{live_server}/t/{tenant.slug}/")
    await page.fill("#email", member.email)
    await page.fill("#password", member.password)
    await page.click("#login-form button[type=submit]")
    await page.wait_for_url(f"{live_server}/t/{tenant.slug}/")

    await page.goto(f"{live_server}/t/{tenant.slug}/contacts/{contact_id}")
    # The files section arrives through htmx.
    await page.wait_for_selector("#files-section >> text=No files yet.")
    await page.set_input_files(
        "#files-section input[type=file]",
        files=[
            {
                "name": "Quarterly <plan>.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.7\n" + b"x" * 200_000,
            }
        ],
    )
    await page.fill("#files-section #note", "first draft")
    await page.click("#files-section button[type=submit]")
    await page.wait_for_selector("#files-section >> text=Quarterly <plan>.pdf was uploaded.")
    row = await page.text_content("#files-section table")
    assert "Quarterly <plan>.pdf" in row and "195.3 KB" in row

    # A refused type shows the server's message in place (a 415 swapped in by files.js).
    await page.set_input_files(
        "#files-section input[type=file]",
        files=[{"name": "setup.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00"}],
    )
    await page.click("#files-section button[type=submit]")
    await page.wait_for_selector("#files-section >> text=This type of file cannot be uploaded.")

    await page.click("#files-section >> text=Quarterly <plan>.pdf")
    await page.wait_for_selector("h1:has-text('Quarterly <plan>.pdf')")
    log = await page.text_content("main")
    assert "Who worked on this file" in log and "Uploaded" in log and "Opened" in log

"""The README's quick start and the access table in docs/access.md stay true."""

from cadrecare.org.access import access_table_markdown
from config.env import BASE_DIR


def test_the_documented_access_table_is_the_one_in_code() -> None:
    readme = (BASE_DIR / "docs" / "access.md").read_text()
    start = readme.index("<!-- access-table:start -->") + len("<!-- access-table:start -->\n")
    end = readme.index("\n<!-- access-table:end -->")

    assert readme[start:end] == access_table_markdown(), "run `python manage.py access_table` and paste it"


def test_readme_quick_start_shows_the_two_commands() -> None:
    readme = (BASE_DIR / "README.md").read_text()

    assert "make run" in readme and "make test" in readme

"""config/README.md is generated from the schema and up to date; every key is documented."""

from cossim.config import load_schema
from cossim.config_docs import README, SCHEMA, config_markdown, key_rows


def leaf_keys(schema, prefix="", defaulted_parent=False):
    """(dotted key, schema, whether an enclosing object carries the default) of every leaf."""
    for name, sub in schema.get("properties", {}).items():
        if sub.get("type") == "object" and "properties" in sub:
            yield from leaf_keys(sub, f"{prefix}{name}.", defaulted_parent or "default" in sub)
        else:
            yield f"{prefix}{name}", sub, defaulted_parent


def test_committed_config_readme_is_up_to_date():
    expected = config_markdown(load_schema(SCHEMA))
    assert README.read_text(encoding="utf-8") == expected, "run: .venv/bin/python -m cossim.config_docs"


def test_every_key_has_a_description_a_default_and_a_row():
    schema = load_schema(SCHEMA)
    text = README.read_text(encoding="utf-8")
    for key, sub, defaulted_parent in leaf_keys(schema):
        assert sub.get("description"), key
        assert "default" in sub or defaulted_parent, key
        assert f"| `{key}` |" in text, key


def test_rows_follow_the_schema_descriptions():
    schema = {"properties": {"a": {"type": "integer", "minimum": 1, "default": 2, "description": "Widgets | n."}}}
    assert key_rows(schema) == ["| `a` | integer >= 1 | `2` | Widgets \\| n. |"]

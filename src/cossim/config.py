"""Validation of the workflow configuration, before any job runs.

The JSON schema (``workflow/schemas/config.schema.yaml``) states types, ranges, allowed
names and forbids unknown keys; :func:`cross_field_errors` adds the rules a schema cannot
express (``k <= p``, ordered ranges, probabilities summing to 1). Every message names the
offending key.
"""

from __future__ import annotations

import copy
import math

import jsonschema
import yaml


class ConfigError(ValueError):
    """An invalid configuration; the message lists every problem, each naming its key."""


def load_schema(path) -> dict:
    """Read a JSON schema stored as YAML."""
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def with_defaults(config: dict, schema: dict) -> dict:
    """A copy of ``config`` with the schema's defaults filled in for missing keys, recursively."""
    merged = copy.deepcopy(config) if isinstance(config, dict) else config
    if not isinstance(merged, dict) or schema.get("type") != "object":
        return merged
    for key, subschema in schema.get("properties", {}).items():
        if key not in merged and "default" in subschema:
            merged[key] = copy.deepcopy(subschema["default"])
        elif key not in merged and subschema.get("type") == "object":
            merged[key] = {}
        if key in merged:
            merged[key] = with_defaults(merged[key], subschema)
    return merged


def accepts_string(schema: dict) -> bool:
    """Whether a schema node admits a string value (or says nothing about its type)."""
    options = schema.get("oneOf", [schema])
    return any(o.get("type", "string") == "string" and "enum" not in o or
               any(isinstance(v, str) for v in o.get("enum", [])) for o in options)


def coerce_command_line(value, schema: dict):
    """Undo Snakemake's ``--config`` parsing, which leaves nested values as strings.

    ``--config model="{rank: 20}"`` arrives as ``{"rank": "20"}``; where the schema expects
    no string, a string is read as YAML (``"20"`` -> 20, ``"null"``/``"None"`` -> None).
    A string that is not valid YAML of another type is kept, so validation names it.
    """
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        return {key: coerce_command_line(item, properties.get(key, {})) for key, item in value.items()}
    if isinstance(value, list):
        item_schema = next((o.get("items", {}) for o in schema.get("oneOf", [schema]) if "items" in o), {})
        return [coerce_command_line(item, item_schema) for item in value]
    if isinstance(value, str) and not accepts_string(schema):
        if value == "None":
            return None
        try:
            return yaml.safe_load(value)
        except yaml.YAMLError:
            return value
    return value


def deep_update(base: dict, overrides: dict) -> dict:
    """A copy of ``base`` with ``overrides`` merged in, dictionaries recursively."""
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_update(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def key_path(path) -> str:
    """``simulation.n_users`` style name of a location in the configuration."""
    return ".".join(str(part) for part in path) or "<top level>"


BOUND_WORDS = (("minimum", ">="), ("exclusiveMinimum", ">"), ("maximum", "<="), ("exclusiveMaximum", "<"))
TYPE_WORDS = {"integer": "an integer", "number": "a number", "string": "a string", "boolean": "true or false",
              "null": "null", "object": "a mapping", "array": "a list"}


def allowed_values(schema: dict) -> str:
    """What a schema node accepts, in words: ``an integer >= 1``, ``one of 'zipf', 'pareto'``."""
    if "enum" in schema:
        return ", ".join(repr(value) for value in schema["enum"])
    if "oneOf" in schema:
        return " or ".join(allowed_values(option) for option in schema["oneOf"])
    kind = schema.get("type")
    words = TYPE_WORDS.get(kind, "any value")
    bounds = [f"{sign} {schema[key]}" for key, sign in BOUND_WORDS if key in schema]
    if bounds:
        words += " " + " and ".join(bounds)
    if "pattern" in schema:
        words += f" matching {schema['pattern']}"
    if kind == "array":
        low, high = schema.get("minItems"), schema.get("maxItems")
        count = f"{low}" if low is not None and low == high else f"at least {low}" if low else ""
        words = f"a list of {count} values".replace("  ", " ")
        if "items" in schema:
            words += f", each {allowed_values(schema['items'])}"
    if kind == "object" and "properties" in schema:
        words += " with keys " + ", ".join(sorted(schema["properties"]))
    return words


def describe_schema_error(error: jsonschema.ValidationError) -> str:
    """One line naming the key, the problem and the allowed values."""
    where = key_path(error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return f"{where}: {error.message}; allowed keys: {', '.join(allowed)}"
    if error.validator == "enum":
        return f"{where}: {error.instance!r} is not allowed; allowed values: {allowed_values(error.schema)}"
    description = error.schema.get("description")
    hint = f" ({description})" if description else ""
    return f"{where}: {error.message}; allowed values: {allowed_values(error.schema)}{hint}"


def schema_errors(config: dict, schema: dict) -> list[str]:
    """Every schema violation of ``config``, one message each, in a stable order."""
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    return [describe_schema_error(error) for error in errors]


def cross_field_errors(config: dict) -> list[str]:
    """Constraints between keys that the schema cannot express."""
    problems = []
    sim, model = config["simulation"], config["model"]
    low, high = sim["item_beta_range"]
    if low > high:
        problems.append(f"simulation.item_beta_range: low {low} exceeds high {high}; allowed values: [low, high] with 0 < low <= high")
    probabilities = sim["cluster_probabilities"]
    if len(probabilities) != sim["n_clusters"]:
        problems.append(
            f"simulation.cluster_probabilities: {len(probabilities)} values given but "
            f"simulation.n_clusters is {sim['n_clusters']}; allowed values: one probability per cluster"
        )
    if not math.isclose(sum(probabilities), 1.0, abs_tol=1e-9):
        problems.append(f"simulation.cluster_probabilities: values sum to {sum(probabilities)!r}, not 1; allowed values: probabilities summing to 1")
    if sim["min_items_per_user"] > sim["max_items_per_user"]:
        problems.append(
            f"simulation.min_items_per_user: {sim['min_items_per_user']} exceeds simulation.max_items_per_user "
            f"({sim['max_items_per_user']}); allowed values: min_items_per_user <= max_items_per_user"
        )
    if sim["min_items_per_user"] > sim["n_items"]:
        problems.append(
            f"simulation.min_items_per_user: {sim['min_items_per_user']} exceeds simulation.n_items "
            f"({sim['n_items']}); allowed values: min_items_per_user <= n_items"
        )
    simulated = config.get("own_data", {}).get("interactions") is None
    if simulated and model["rank"] > sim["n_items"]:
        problems.append(
            f"model.rank: k={model['rank']} exceeds the number of items p={sim['n_items']}; "
            f"allowed values: an integer from 1 to {sim['n_items']}"
        )
    colour_range = config["figure1"]["colour_range"]
    if colour_range is not None and not colour_range[0] < colour_range[1]:
        problems.append(
            f"figure1.colour_range: vmin {colour_range[0]} must be below vmax {colour_range[1]}; "
            "allowed values: [vmin, vmax] with vmin < vmax, or null"
        )
    return problems + recovery_errors(config) + fidelity_cross_field_errors(config)


def recovery_errors(config: dict) -> list[str]:
    """Cross-field rules of the ``recovery`` section."""
    problems = []
    recovery, n_items = config["recovery"], config["simulation"]["n_items"]
    low, high = recovery["exponent_range"]
    if not low < high:
        problems.append(f"recovery.exponent_range: low {low} must be below high {high}")
    if recovery["precision_k"] >= n_items:
        problems.append(f"recovery.precision_k ({recovery['precision_k']}) must be below simulation.n_items ({n_items})")
    if recovery["remedy_d_samples"] > recovery["random_d_samples"]:
        problems.append(
            f"recovery.remedy_d_samples ({recovery['remedy_d_samples']}) exceeds "
            f"recovery.random_d_samples ({recovery['random_d_samples']})"
        )
    return problems


def fidelity_cross_field_errors(config: dict) -> list[str]:
    """Constraints of the fidelity grid: named probabilities valid, names known, ranges ordered."""
    problems = []
    fidelity, sim = config["fidelity"], config["simulation"]
    for name, probabilities in fidelity["cluster_probabilities"].items():
        where = f"fidelity.cluster_probabilities.{name}"
        if len(probabilities) != sim["n_clusters"]:
            problems.append(f"{where}: {len(probabilities)} values given but simulation.n_clusters is {sim['n_clusters']}")
        if not math.isclose(sum(probabilities), 1.0, abs_tol=1e-9):
            problems.append(f"{where}: values sum to {sum(probabilities)!r}, not 1")
    grid = fidelity["grid"]
    for name in grid.get("cluster_probabilities", []):
        if name not in fidelity["cluster_probabilities"]:
            problems.append(f"fidelity.grid.cluster_probabilities: {name!r} is not a key of fidelity.cluster_probabilities")
    lows = grid.get("min_items_per_user", [sim["min_items_per_user"]])
    highs = grid.get("max_items_per_user", [sim["max_items_per_user"]])
    if max(lows) > min(highs):
        problems.append(f"fidelity.grid: a min_items_per_user ({max(lows)}) exceeds a max_items_per_user ({min(highs)})")
    if max(lows) > sim["n_items"]:
        problems.append(f"fidelity.grid.min_items_per_user: {max(lows)} exceeds simulation.n_items ({sim['n_items']})")
    for name, colour_range in fidelity["colour_ranges"].items():
        if colour_range is not None and not colour_range[0] < colour_range[1]:
            problems.append(f"fidelity.colour_ranges.{name}: vmin {colour_range[0]} must be below vmax {colour_range[1]}")
    return problems


def validate_config(config: dict, schema: dict) -> dict:
    """Validate a configuration and return it with defaults filled in.

    Raises
    ------
    ConfigError
        Listing every problem, each naming its key.
    """
    merged = with_defaults(config, schema)
    problems = schema_errors(merged, schema)
    if not problems:
        problems = cross_field_errors(merged)
    if problems:
        raise ConfigError("invalid configuration:\n  - " + "\n  - ".join(problems))
    return merged

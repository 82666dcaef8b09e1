"""Validation of the workflow configuration, before any job runs.

The JSON schema (``workflow/schemas/config.schema.yaml``) states types, ranges, allowed
names and forbids unknown keys; :func:`cross_field_errors` adds the rules a schema cannot
express (``k <= p``, ordered ranges, probabilities summing to 1, the run's memory estimate, see
:mod:`cossim.config_checks`). Every message names the offending key.

Types are strict: a ``number`` is a finite int or float (not NaN, not +-inf, not a boolean) and
an ``integer`` is an int (not a boolean, not an integer-valued float such as 20.0), at any
depth, so that a comparison with NaN can never let a value through a bound.
"""

from __future__ import annotations

import copy
import math

import jsonschema
import yaml

from .config_checks import dataset_name_errors, memory_errors, sweep_errors


class ConfigError(ValueError):
    """An invalid configuration; the message lists every problem, each naming its key."""


# libyaml's loader where PyYAML was built with it: the same documents, parsed about ten times faster
# (the schema is read at every invocation of the workflow, also an up-to-date one).
FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_schema(path) -> dict:
    """Read a JSON schema stored as YAML."""
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=FAST_SAFE_LOADER)


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
    A string that YAML reads as a string but Python as a float (``1e12``, ``nan``, ``inf``)
    becomes that float, so that validation refuses it as what it is. Any other string that is
    not valid YAML of another type is kept, so validation names it.
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
            loaded = yaml.safe_load(value)
        except yaml.YAMLError:
            return value
        if isinstance(loaded, str):  # YAML 1.1 reads 1e12, nan and inf as strings; Python does not
            try:
                return float(loaded)
            except ValueError:
                return loaded
        return loaded
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


def is_finite_number(checker, instance) -> bool:
    """JSON schema type ``number``: an int or float (not a boolean) with a finite float value."""
    if isinstance(instance, bool) or not isinstance(instance, (int, float)):
        return False
    try:
        return math.isfinite(float(instance))
    except OverflowError:  # an int beyond float64's range
        return False


def is_strict_integer(checker, instance) -> bool:
    """JSON schema type ``integer``: a Python int, not a boolean and not a float such as 20.0."""
    return isinstance(instance, int) and not isinstance(instance, bool)


StrictValidator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine_many(
        {"number": is_finite_number, "integer": is_strict_integer}
    ),
)
"""Draft 2020-12 with the strict ``number`` and ``integer`` types above."""


def non_finite_values(value) -> list:
    """The NaN and infinite floats (and ints too large for a float) in ``value``, nested
    lists and mappings included."""
    if isinstance(value, float):
        return [] if math.isfinite(value) else [value]
    if isinstance(value, int) and not isinstance(value, bool) and not is_finite_number(None, value):
        return [value]  # beyond float64's range
    if isinstance(value, dict):
        return [bad for item in value.values() for bad in non_finite_values(item)]
    if isinstance(value, list):
        return [bad for item in value for bad in non_finite_values(item)]
    return []


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
    if kind == "number":
        words += " (finite)"
    if "pattern" in schema:
        words += f" matching {schema['pattern']}"
    if "maxLength" in schema:
        words += f" of at most {schema['maxLength']} characters"
    if kind == "array":
        low, high = schema.get("minItems"), schema.get("maxItems")
        count = f"{low}" if low is not None and low == high else f"at least {low}" if low else ""
        words = f"a list of {count} values".replace("  ", " ")
        if high is not None and low != high:
            words += f" (at most {high})"
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
    return f"{where}: {problem_words(error)}; allowed values: {allowed_values(error.schema)}{hint}"


def problem_words(error: jsonschema.ValidationError) -> str:
    """What is wrong with the value, in words: jsonschema's message, made plain for the values
    that strict types refuse (NaN, infinity, booleans and floats where an integer belongs)."""
    instance = error.instance
    bad = non_finite_values(instance)
    if bad == [instance]:
        return f"{shown(instance)} is not a finite number (.nan, .inf and -.inf are refused)"
    if bad:
        return f"{shown(instance)} holds {shown(bad[0])}, which is not a finite number (.nan, .inf and -.inf are refused)"
    if error.validator == "type" and error.validator_value == "integer":
        if isinstance(instance, bool):
            return f"{instance!r} is a boolean, not an integer"
        if isinstance(instance, float):
            return f"{instance!r} is a float, not an integer (write it without a decimal point)"
    return error.message.replace(repr(instance), shown(instance))


def shown(value) -> str:
    """``repr(value)``, shortened when longer than 80 characters (a 300-character name)."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:40]}... ({len(text)} characters)"


def schema_errors(config: dict, schema: dict) -> list[str]:
    """Every schema violation of ``config``, one message each, in a stable order."""
    validator = StrictValidator(schema)
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
    problems += colour_range_errors("figure1.colour_range", config["figure1"]["colour_range"])
    return (problems + recovery_errors(config) + fidelity_cross_field_errors(config) + dataset_name_errors(config)
            + sweep_errors(config) + memory_errors(config))


MIN_COLOUR_WIDTH = 0.1
"""Narrowest colour range: vmax - vmin. Cosines lie in [-1, 1]; a range outside it, or a sliver
of it, would map every cosine to level 0 or 1 (an all-black or all-white heatmap)."""


def colour_range_errors(where: str, colour_range) -> list[str]:
    """Why ``[vmin, vmax]`` cannot be a heatmap's colour range (the schema already holds both
    within [-1, 1] and finite); [] for null (per-panel autoscale) or a valid range."""
    if colour_range is None:
        return []
    vmin, vmax = colour_range
    if not vmin < vmax:
        return [f"{where}: vmin {vmin} must be below vmax {vmax}; allowed values: [vmin, vmax] with "
                f"-1 <= vmin < vmax <= 1 and vmax - vmin >= {MIN_COLOUR_WIDTH}, or null"]
    if vmax - vmin < MIN_COLOUR_WIDTH:
        return [f"{where}: [{vmin}, {vmax}] is narrower than {MIN_COLOUR_WIDTH}, so nearly every cosine "
                f"would be drawn at level 0 or 1; allowed values: [vmin, vmax] with -1 <= vmin < vmax <= 1 "
                f"and vmax - vmin >= {MIN_COLOUR_WIDTH}, or null"]
    return []


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
        problems += colour_range_errors(f"fidelity.colour_ranges.{name}", colour_range)
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

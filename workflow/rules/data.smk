# The data: Section 4's simulated interactions, or, with own_data.interactions set, your own
# interaction file imported in their place. Every rule downstream of interactions.npz and
# items.csv is the same for both.

DATA = paths.study("data")


# Rule import_interactions makes only the configured data set, and only if own data is given;
# otherwise its pattern matches nothing and rule simulate makes every data set.
IMPORTED_DATASET = re.escape(DATASET) if own_data_given() else "(?!)"
OWN_DATA_FILES = {
    key: config["own_data"][key]
    for key in ("interactions", "item_clusters")
    if config["own_data"][key] is not None
}


ruleorder: import_interactions > simulate


from cossim.data.rules import data_origin

# (source, origin) of a data set, for rule describe_data.
data_origin_of = lambda dataset: data_origin(
    dataset,
    is_simulated(dataset),
    dataset_settings(dataset)[1] if is_simulated(dataset) else None,
    config["own_data"] if own_data_given() and dataset == DATASET else None,
)


rule simulate:
    """Section 4: simulate clustered user-item interactions."""
    output:
        interactions=DATA.interactions,
        item_table=DATA.items,
    log:
        DATA.log("simulate"),
    wildcard_constraints:
        # reserved names (cossim.config_checks): MovieLens' data sets are imported, never simulated
        dataset="(?!movielens)[A-Za-z0-9][A-Za-z0-9_-]*",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 264 MB, 5 s on config/config.yaml (benchmark max_rss, wall time)
        mem_mb=600,
        runtime=10,
        cpus_per_task=1,
    params:
        simulation=lambda wildcards: dataset_settings(wildcards.dataset)[0],
        seed=dataset_seed,
    script:
        "../scripts/data/simulate.py"


rule import_interactions:
    """Convert a user's interaction file (and optional item clusters) to the workflow's data set."""
    input:
        **OWN_DATA_FILES,
    output:
        interactions=DATA.interactions,
        item_table=DATA.items,
        item_ids=DATA.item_ids,
    log:
        DATA.log("import_interactions"),
    wildcard_constraints:
        dataset=IMPORTED_DATASET,
    conda:
        "../../envs/environment.yaml"
    resources:
        # not measured on the default config (no import there): as rule simulate, whose output it makes
        mem_mb=600,
        runtime=10,
        cpus_per_task=1,
    params:
        file_format=config["own_data"]["format"],
    script:
        "../scripts/data/import_interactions.py"


rule describe_data:
    """The data set in numbers and one sentence (source, sizes, clusters), which the notebooks print."""
    input:
        interactions=DATA.interactions,
        item_table=DATA.items,
    output:
        description=DATA.description,
    log:
        DATA.log("describe"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # a count over X and the item table: well below rule simulate's
        mem_mb=300,
        runtime=10,
        cpus_per_task=1,
    params:
        dataset=lambda wildcards: wildcards.dataset,
        source=lambda wildcards: data_origin_of(wildcards.dataset)[0],
        origin=lambda wildcards: data_origin_of(wildcards.dataset)[1],
    script:
        "../scripts/data/describe.py"


rule data:
    """Target: the configured data set."""
    input:
        DATA.at("interactions", dataset=DATASET),
        DATA.at("items", dataset=DATASET),
    localrule: True

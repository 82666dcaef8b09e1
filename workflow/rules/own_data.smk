# Your own data: with own_data.interactions set, the data set `dataset` is read from that file
# instead of being simulated; every rule downstream of interactions.npz/items.csv is unchanged.


ruleorder: import_interactions > simulate


rule import_interactions:
    """Convert a user's interaction file (and optional item clusters) to the workflow's data set."""
    input:
        unpack(own_data_files),
    output:
        interactions=data_path("interactions.npz", "{dataset}"),
        item_table=report(
            data_path("items.csv", "{dataset}"),
            caption="../report/items.rst",
            category="Data",
        ),
        item_ids=data_path("item_ids.csv", "{dataset}"),
    log:
        f"{LOGS}/import_interactions/{{dataset}}.log",
    wildcard_constraints:
        dataset=imported_dataset_pattern(),
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
        "../scripts/import_interactions.py"

rule simulate:
    """Section 4: simulate clustered user-item interactions."""
    output:
        interactions=data_path("interactions.npz", "{dataset}"),
        item_table=data_path("items.csv", "{dataset}"),
    log:
        f"{LOGS}/simulate/{{dataset}}.log",
    params:
        simulation=simulation_settings,
        seed=simulation_seed,
    script:
        "../scripts/simulate.py"

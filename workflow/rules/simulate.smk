rule simulate:
    """Section 4: simulate clustered user-item interactions."""
    output:
        interactions=data_path("interactions.npz", "{dataset}"),
        item_table=data_path("items.csv", "{dataset}"),
    params:
        simulation=simulation_settings,
        seed=simulation_seed,
    log:
        f"{LOGS}/simulate/{{dataset}}.log",
    script:
        "../scripts/simulate.py"

"""Rule verify: recompute the hashes of results/MANIFEST.json; fail naming each bad file."""

from cossim.logs import logged_to
from cossim.provenance.manifest import verify_manifest

with logged_to(snakemake.log[0]) as log:
    checked = verify_manifest(snakemake.params.manifest, config=dict(snakemake.params.config))
    log.info("all %d artifacts of %s match their sha256", checked, snakemake.params.manifest)
    print(f"verified {checked} artifacts against {snakemake.params.manifest}")

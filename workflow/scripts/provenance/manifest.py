"""Rule manifest: hash every artifact and record how it was made."""

from cossim.io import save_json
from cossim.logs import logged_to
from cossim.provenance.manifest import build_manifest

with logged_to(snakemake.log[0]) as log:
    manifest = build_manifest(dict(snakemake.params.provenance), dict(snakemake.params.config))
    log.info("%d artifacts hashed", len(manifest["artifacts"]))
    save_json(snakemake.output.manifest, manifest)

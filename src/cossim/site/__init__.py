"""The site study: the verdict scorecard and the static site of a run (``results/site/``)."""

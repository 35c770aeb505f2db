"""Events: the codebook, and loading and validating events CSVs (:mod:`titfortat.events.schema`)."""

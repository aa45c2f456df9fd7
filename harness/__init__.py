"""The local harness: the demo organization, the accuracy measures, and the deployments that
tests, benchmarks and scripts stand up against the sandbox. Not part of a production run."""

package dev.trainlayer.workflows.spec;

/**
 * The seed of the property tests: fixed, so a CI run is reproducible and a red one can be rerun exactly. Change
 * it (or run with another) to explore new inputs; a failure prints the shrunk input to add as an example test.
 */
final class PropertySeed {
    static final String SEED = "20261203";

    private PropertySeed() {}
}

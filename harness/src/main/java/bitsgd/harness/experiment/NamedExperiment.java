package bitsgd.harness.experiment;

/** An experiment's name and one-line description, which every experiment class passes up once. */
abstract class NamedExperiment implements Experiment {
    private final String name, description;

    NamedExperiment(String name, String description) {
        this.name = name;
        this.description = description;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }
}

package bitsgd.harness.experiment;

/** A scaling-curve sweep over k × n: t_c vs n, one line and one curve chart per k. */
class ScalingSweep extends SweepExperiment {
    ScalingSweep(String name, String description, String full, String quick) {
        super(name, description, full, quick);
    }

    @Override
    protected final String x() {
        return "n";
    }

    @Override
    protected final String line() {
        return "k";
    }

    @Override
    protected final String panel() {
        return "k";
    }
}

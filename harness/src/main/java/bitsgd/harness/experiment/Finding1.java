package bitsgd.harness.experiment;

/** Barak et al. 2022, Finding 1 for the 2-layer ReLU MLP: which (n, k) succeed for some lr (docs/protocols.md §A). */
final class Finding1 extends SweepExperiment {
    Finding1() {
        super("finding1",
                "Finding 1 grid: n in {10,20,30} x k in {2,3,4} x lr in {0.01,0.1,1}, ReLU width 1000, B = 32, hinge, 25 seeds, budget 1e5",
                """
                {"name": "finding1",
                 "description": "Barak et al. Finding 1 for the 2-layer ReLU MLP (width 1000): success = >= 20% of 25 seeds converge within 1e5 steps for at least one lr in {0.01, 0.1, 1}",
                 "fixed": {"width": 1000, "batch": 32, "loss": "hinge", "eval_every": 100, "eval_samples": 8192},
                 "grid": {"n": [10, 20, 30], "k": [2, 3, 4], "lr": [0.01, 0.1, 1]},
                 "seeds": 25,
                 "budget": 100000}
                """,
                """
                {"name": "finding1-quick",
                 "fixed": {"width": 1000, "batch": 32, "loss": "hinge", "eval_every": 10, "eval_samples": 8192},
                 "grid": {"n": [10, 20], "k": [2, 3], "lr": [0.1, 1]},
                 "seeds": 3,
                 "budget": 5000}
                """);
    }

    @Override
    protected String x() {
        return "n";
    }

    @Override
    protected String line() {
        return "k";
    }

    @Override
    protected String panel() {
        return "k";
    }
}

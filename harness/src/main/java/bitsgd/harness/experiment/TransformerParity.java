package bitsgd.harness.experiment;

/**
 * Barak et al. 2022's Transformer on sparse parities, small, under Adam: t_c vs n at k = 2 and 3 (log-log, fitted slope per k),
 * to set beside the paper's statement that it learns parities in n^O(k) iterations (docs/tasks.md#transformer).
 */
final class TransformerParity extends SweepExperiment {
    TransformerParity() {
        super("transformer",
                "Transformer t_c vs n: k = 2 at n in {10,15,20,25,30}, k = 3 at n in {10,12,...,20,25}; width 32, 4 heads, 1 block, Adam lr 1e-3, B = 32, hinge, 10 seeds, budget 6e4",
                """
                {"name": "transformer",
                 "description": "Barak et al. Transformer (small: width 32, 4 heads of dimension 8, 1 block), Adam lr 1e-3, B = 32, hinge: median t_c vs n per k; the paper: n^O(k) iterations",
                 "fixed": {"arch": "transformer", "width": 32, "heads": 4, "depth": 1, "batch": 32, "optimizer": "adam", "lr": 0.001,
                           "loss": "hinge", "eval_every": 100, "eval_samples": 4096},
                 "grid": [{"k": [2], "n": [10, 15, 20, 25, 30]},
                          {"k": [3], "n": [10, 12, 14, 16, 18, 20, 25]}],
                 "seeds": 10,
                 "budget": 60000}
                """,
                """
                {"name": "transformer-quick",
                 "fixed": {"arch": "transformer", "width": 32, "heads": 4, "depth": 1, "batch": 32, "optimizer": "adam", "lr": 0.001,
                           "loss": "hinge", "eval_every": 100, "eval_samples": 2048},
                 "grid": [{"k": [2], "n": [8, 12]},
                          {"k": [3], "n": [8, 10]}],
                 "seeds": 2,
                 "budget": 4000}
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

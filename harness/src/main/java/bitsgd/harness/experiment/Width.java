package bitsgd.harness.experiment;

import java.util.List;

/** Barak et al. 2022 width study at (n, k) = (40, 3): t_c vs width (docs/protocols.md §A). */
final class Width extends SweepExperiment {
    Width() {
        super("width",
                "Width study at (n,k) = (40,3): ReLU widths 1..32768, lr 1, B = 64, hinge, every-step checks; width < k solved at 55% accuracy; 25 seeds, budget 1e5",
                """
                {"name": "width",
                 "description": "Barak et al. width study at (40,3); networks narrower than k count as converged at 55% accuracy (docs/protocols.md §A)",
                 "fixed": {"n": 40, "k": 3, "batch": 64, "lr": 1, "loss": "hinge", "eval_every": 1, "eval_samples": 8192},
                 "grid": [{"width": [1, 2], "target_accuracy": [0.55]},
                          {"width": [3, 4, 6, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768]}],
                 "seeds": 25,
                 "budget": 100000}
                """,
                """
                {"name": "width-quick",
                 "fixed": {"n": 40, "k": 3, "batch": 64, "lr": 1, "loss": "hinge", "eval_every": 1, "eval_samples": 8192},
                 "grid": [{"width": [2], "target_accuracy": [0.55]},
                          {"width": [32, 128, 1024]}],
                 "seeds": 2,
                 "budget": 3000}
                """);
    }

    @Override
    public List<String> aliases() {
        return List.of("width-40-3");
    }

    @Override
    protected String x() {
        return "width";
    }
}

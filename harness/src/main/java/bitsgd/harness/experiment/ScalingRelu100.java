package bitsgd.harness.experiment;

import java.util.List;

/** Barak et al. 2022 scaling curves of the ReLU-100 MLP: t_c vs n for k = 2..5 (docs/protocols.md §A). */
final class ScalingRelu100 extends ScalingSweep {
    ScalingRelu100() {
        super("scaling-relu100",
                "ReLU width-100 scaling curves: k = 2..5, n = 10..40 step 5, lr 1, B = 64, hinge, t_c checked every step on 8192 samples, 25 seeds, budget 1e5",
                """
                {"name": "scaling-relu100",
                 "description": "Barak et al. scaling curves, 2-layer ReLU MLP width 100, lr 1, B 64 (docs/protocols.md §A: B = 64 matched the published k = 2, 3 medians)",
                 "fixed": {"width": 100, "batch": 64, "lr": 1, "loss": "hinge", "eval_every": 1, "eval_samples": 8192},
                 "grid": {"k": [2, 3, 4, 5], "n": [10, 15, 20, 25, 30, 35, 40]},
                 "seeds": 25,
                 "budget": 100000}
                """,
                """
                {"name": "scaling-relu100-quick",
                 "fixed": {"width": 100, "batch": 64, "lr": 1, "loss": "hinge", "eval_every": 1, "eval_samples": 8192},
                 "grid": {"k": [2, 3], "n": [10, 15, 20]},
                 "seeds": 5,
                 "budget": 20000}
                """);
    }

    @Override
    public List<String> aliases() {
        return List.of("relu100-scaling");
    }
}

package bitsgd.harness.reproduce;

import bitsgd.harness.UsageException;
import bitsgd.harness.sweep.SweepSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named sweeps for the seed paper's experiments (Barak et al. 2022; PROTOCOLS.md §A), each a sweep
 * spec plus how to plot it, in a full and a {@code --quick} variant. docs/sweeps.md lists them.
 */
public final class Presets {
    private Presets() {}

    /**
     * @param name        preset name
     * @param description one line for {@code --list}
     * @param full        the spec JSON of the full experiment
     * @param quick       a small variant that finishes in well under a minute on 2 cores
     * @param x           scaling chart x axis
     * @param line        scaling chart: one line per value of this axis (null: none)
     * @param panel       training-curve charts: one per value of this axis (null: one chart)
     */
    public record Preset(String name, String description, String full, String quick, String x, String line, String panel) {
        public SweepSpec spec(boolean quickVariant) {
            return SweepSpec.parse(quickVariant ? quick : full, name + (quickVariant ? "-quick" : ""));
        }
    }

    public static final Map<String, Preset> ALL = new LinkedHashMap<>();

    private static void add(Preset p) {
        ALL.put(p.name(), p);
    }

    static {
        add(new Preset("finding1",
                "Finding 1 grid: n in {10,20,30} x k in {2,3,4} x lr in {0.001,0.01,0.1,1}, ReLU width 100, B = 32, hinge, 25 seeds, budget 1e5",
                """
                {"name": "finding1",
                 "description": "Barak et al. Finding 1 for the 2-layer ReLU MLP (width 100): success = >= 20% of 25 seeds converge within 1e5 steps for at least one lr",
                 "fixed": {"width": 100, "batch": 32, "loss": "hinge", "eval_every": 100, "eval_samples": 8192},
                 "grid": {"n": [10, 20, 30], "k": [2, 3, 4], "lr": [0.001, 0.01, 0.1, 1]},
                 "seeds": 25,
                 "budget": 100000}
                """,
                """
                {"name": "finding1-quick",
                 "fixed": {"width": 100, "batch": 32, "loss": "hinge", "eval_every": 10, "eval_samples": 8192},
                 "grid": {"n": [10, 20], "k": [2, 3], "lr": [0.1, 1]},
                 "seeds": 5,
                 "budget": 10000}
                """, "n", "k", "k"));
        add(new Preset("relu100-scaling",
                "ReLU width-100 scaling curves: k = 2..5, n = 10..40 step 5, lr 1, B = 64, hinge, t_c checked every step on 8192 samples, 25 seeds, budget 1e5",
                """
                {"name": "relu100-scaling",
                 "description": "Barak et al. scaling curves, 2-layer ReLU MLP width 100, lr 1, B 64 (PROTOCOLS.md A: B = 64 matched the published k = 2, 3 medians)",
                 "fixed": {"width": 100, "batch": 64, "lr": 1, "loss": "hinge", "eval_every": 1, "eval_samples": 8192},
                 "grid": {"k": [2, 3, 4, 5], "n": [10, 15, 20, 25, 30, 35, 40]},
                 "seeds": 25,
                 "budget": 100000}
                """,
                """
                {"name": "relu100-scaling-quick",
                 "fixed": {"width": 100, "batch": 64, "lr": 1, "loss": "hinge", "eval_every": 1, "eval_samples": 8192},
                 "grid": {"k": [2, 3], "n": [10, 15, 20]},
                 "seeds": 5,
                 "budget": 20000}
                """, "n", "k", "k"));
        add(new Preset("width-40-3",
                "Width study at (n,k) = (40,3): widths 1..2048, lr 1, B = 64, hinge, every-step checks; width < k solved at 55% accuracy; 25 seeds, budget 1e5",
                """
                {"name": "width-40-3",
                 "description": "Barak et al. width study at (40,3); networks narrower than k count as converged at 55% accuracy (PROTOCOLS.md A)",
                 "fixed": {"n": 40, "k": 3, "batch": 64, "lr": 1, "loss": "hinge", "eval_every": 1, "eval_samples": 8192},
                 "grid": [{"width": [1, 2], "target_accuracy": [0.55]},
                          {"width": [3, 4, 6, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]}],
                 "seeds": 25,
                 "budget": 100000}
                """,
                """
                {"name": "width-40-3-quick",
                 "fixed": {"n": 40, "k": 3, "batch": 64, "lr": 1, "loss": "hinge", "eval_every": 1, "eval_samples": 8192},
                 "grid": [{"width": [2], "target_accuracy": [0.55]},
                          {"width": [4, 16, 128]}],
                 "seeds": 3,
                 "budget": 5000}
                """, "width", null, null));
    }

    public static Preset get(String name) {
        Preset p = ALL.get(name);
        if (p == null) throw new UsageException("unknown preset '" + name + "' (known: " + String.join(", ", ALL.keySet()) + ")");
        return p;
    }
}

package bitsgd.harness.reproduce;

import bitsgd.harness.UsageException;
import bitsgd.harness.sweep.SweepSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named sweeps of the papers' experiments (Barak et al. 2022, docs/protocols.md §A; Abbe et al. 2023, §C), each a
 * sweep spec plus how to summarise and plot it, in a full and a {@code --quick} variant. docs/results.md shows
 * what each produces; docs/sweeps.md lists them.
 */
public final class Presets {
    private Presets() {}

    /** Which extra tables and plots a preset writes besides summary.csv, the curves and the t_c scaling chart. */
    public enum Kind {
        /** sparse parity: nothing extra */
        PARITY,
        /** label noise: t_c and success vs flip rate, and vs 1/(1−2p)² (noisy.csv, noisy-*.png) */
        NOISY,
        /** finite sample: train vs test accuracy per grid point (grokking.csv, grokking-*.png) */
        GROKKING,
        /** leap targets: samples = t_c·B vs d per target with local and fitted slopes (leap.csv, leap-samples-vs-d.png) */
        LEAP
    }

    /**
     * @param name        preset name
     * @param description one line for {@code --list}
     * @param full        the spec JSON of the full experiment
     * @param quick       a small variant; all quick variants together finish in well under a minute on 2 cores
     * @param x           scaling chart x axis
     * @param line        scaling chart: one line per value of this axis (null: none)
     * @param panel       training-curve charts: one per value of this axis (null: one chart)
     * @param kind        extra tables and plots
     */
    public record Preset(String name, String description, String full, String quick, String x, String line, String panel, Kind kind) {
        public SweepSpec spec(boolean quickVariant) {
            return SweepSpec.parse(quickVariant ? quick : full, name + (quickVariant ? "-quick" : ""));
        }
    }

    public static final Map<String, Preset> ALL = new LinkedHashMap<>();

    /** Old preset names that still work: alias → name. */
    public static final Map<String, String> ALIASES = new LinkedHashMap<>();

    private static void add(Preset p) {
        ALL.put(p.name(), p);
    }

    /** The three Leap targets of Abbe et al. 2023 (docs/protocols.md §C), as {@code target} values. */
    public static final String LEAP1 = "monomials:x1+x1*x2+x1*x2*x3", LEAP2 = "monomials:x1+x1*x2*x3", LEAP3 = "monomials:x1+x1*x2*x3*x4";

    static {
        add(new Preset("finding1",
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
                """, "n", "k", "k", Kind.PARITY));
        add(new Preset("scaling-relu100",
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
                """, "n", "k", "k", Kind.PARITY));
        ALIASES.put("relu100-scaling", "scaling-relu100");
        add(new Preset("width",
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
                """, "width", null, null, Kind.PARITY));
        ALIASES.put("width-40-3", "width");
        add(new Preset("noisy",
                "Noisy parity (50,3): label-flip rate p in {0,0.1,0.2,0.3,0.4,0.45}, accuracy on clean labels; ReLU width 1000, B = 32, lr 0.1, hinge; 25 seeds, budget 3e5",
                """
                {"name": "noisy",
                 "description": "Barak et al. noisy sparse parity: each training label flipped with probability p; t_c = first check with 100% accuracy on 8192 clean eval samples",
                 "fixed": {"n": 50, "k": 3, "width": 1000, "batch": 32, "lr": 0.1, "loss": "hinge", "eval_every": 100, "eval_samples": 8192},
                 "grid": {"label_noise": [0, 0.1, 0.2, 0.3, 0.4, 0.45]},
                 "seeds": 25,
                 "budget": 300000}
                """,
                """
                {"name": "noisy-quick",
                 "fixed": {"n": 20, "k": 3, "width": 100, "batch": 32, "lr": 0.1, "loss": "hinge", "eval_every": 50, "eval_samples": 8192},
                 "grid": {"label_noise": [0, 0.2, 0.4]},
                 "seeds": 3,
                 "budget": 20000}
                """, "label_noise", null, null, Kind.NOISY));
        add(new Preset("grokking",
                "Finite sample (40,3), m = 1000 cycled, ReLU width 1000, B = 32, lr 0.1, weight decay 0.01 vs 0: train vs test accuracy; 25 seeds, 2e4 steps each",
                """
                {"name": "grokking",
                 "description": "Barak et al. finite-sample parity: m = 1000 fixed samples, multi-pass, weight decay; train accuracy (its own labels) vs test accuracy (8192 fresh samples) over all 2e4 steps",
                 "fixed": {"n": 40, "k": 3, "width": 1000, "batch": 32, "lr": 0.1, "loss": "hinge", "train_size": 1000,
                           "eval_every": 100, "eval_samples": 8192, "stop_on_solve": false},
                 "grid": {"wd": [0.01, 0]},
                 "seeds": 25,
                 "budget": 20000}
                """,
                """
                {"name": "grokking-quick",
                 "fixed": {"n": 20, "k": 3, "width": 100, "batch": 32, "lr": 0.1, "loss": "hinge", "train_size": 300,
                           "eval_every": 50, "eval_samples": 2048, "stop_on_solve": false},
                 "grid": {"wd": [0.01, 0]},
                 "seeds": 2,
                 "budget": 3000}
                """, "wd", null, "wd", Kind.GROKKING));
        add(new Preset("leap",
                "Leap 1/2/3 targets (Abbe et al. 2023): d in {25,50,100,200,400}, 2-layer ReLU width 128, online B = 16, lr 0.05, square loss; samples until eval MSE < 5% of Var; 5 seeds",
                """
                {"name": "leap",
                 "description": "Abbe et al. 2023 leap complexity: samples (t_c x B) to eval MSE <= 0.05 Var(h*) for x1+x1x2+x1x2x3 (Leap 1), x1+x1x2x3 (Leap 2), x1+x1x2x3x4 (Leap 3); conjecture: ~ d^max(Leap-1,1)",
                 "fixed": {"k": 3, "width": 128, "batch": 16, "lr": 0.05, "loss": "square", "target_mse": 0.05,
                           "eval_every": 20, "eval_samples": 4096},
                 "grid": {"target": ["%s", "%s", "%s"], "n": [25, 50, 100, 200, 400]},
                 "seeds": 5,
                 "budget": 1000000}
                """.formatted(LEAP1, LEAP2, LEAP3),
                """
                {"name": "leap-quick",
                 "fixed": {"k": 3, "width": 128, "batch": 16, "lr": 0.05, "loss": "square", "target_mse": 0.05,
                           "eval_every": 20, "eval_samples": 2048},
                 "grid": {"target": ["%s", "%s", "%s"], "n": [25, 50, 100]},
                 "seeds": 2,
                 "budget": 100000}
                """.formatted(LEAP1, LEAP2, LEAP3), "n", "target", "target", Kind.LEAP));
    }

    /** Canonical name of a preset or alias (null when neither). */
    public static String canonical(String name) {
        if (ALL.containsKey(name)) return name;
        return ALIASES.get(name);
    }

    public static Preset get(String name) {
        String c = canonical(name);
        if (c == null) {
            List<String> known = new ArrayList<>(ALL.keySet());
            known.addAll(Scripts.ALL.keySet());   // the script presets are run by name just the same
            throw new UsageException("unknown preset '" + name + "' (known: " + String.join(", ", known)
                    + "; old names: " + String.join(", ", ALIASES.keySet()) + ")");
        }
        Preset p = ALL.get(c);
        return p;
    }
}

package bitsgd.harness.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Barak et al. 2022 hidden progress at (30, 3) (docs/hidden-progress.md): a sine neuron and the ReLU-100 MLP with
 * ρ_t and the weights on and off S, each beside its random-label control, and the exact Fourier gap at n = 15.
 */
final class HiddenProgress extends ScriptExperiment {
    HiddenProgress() {
        super("hidden-progress",
                "Barak et al. hidden progress at (30,3): sine neuron and ReLU-100 MLP with rho_t and weights on/off S vs the random-label control; exact Fourier gap at n=15");
    }

    @Override
    protected int defaultSeeds(boolean quick) {
        return 1;
    }

    /** Sine neuron (η = 0.01) and ReLU-100 MLP (η = 1, B = 64, the scaling-curve settings) with probes, each with its control. */
    @Override
    protected List<List<String>> commands(Path dir, boolean quick, List<Integer> seeds) {
        int n = quick ? 12 : 30, nGap = quick ? 10 : 15;
        String steps = quick ? "3000" : "5000";   // the sine neuron solves (30,3) in ~1,500 steps; the control runs them all
        List<List<String>> c = new ArrayList<>();
        for (int seed : seeds) {
            for (boolean control : List.of(false, true)) {
                String suffix = control ? "-control" : "";
                c.add(train(dir, "sine" + suffix, seed, control, "--n", "" + n, "--k", "3", "--arch", "neuron", "--activation", "sin",
                        "--no-second-layer", "--lr", "0.01", "--batch", "32", "--max-steps", steps, "--eval-every", "20", "--probe-every", "20",
                        "--probe-neurons", "0"));
                c.add(train(dir, "mlp" + suffix, seed, control, "--n", "" + n, "--k", "3", "--width", "100", "--lr", "1", "--batch", "64",
                        "--max-steps", quick ? "2000" : "5000", "--eval-every", "5", "--probe-every", "5", "--probe-popgrad-max-n", "0"));
                // η = 0.1, B = 32: a plateau of a few hundred steps, long enough to watch the gap open before t_c
                c.add(train(dir, "gap-n" + nGap + suffix, seed, control, "--n", "" + nGap, "--k", "3", "--width", "100", "--lr", "0.1",
                        "--batch", "32", "--max-steps", quick ? "300" : "1000", "--eval-every", "5", "--probe-every", quick ? "10" : "5"));
            }
        }
        int s = seeds.getFirst();
        c.add(plot(dir, "rho", runDir("sine", s), runDir("sine-control", s), "sine neuron f = sin(w.x + b), (n,k) = (" + n + ",3), eta 0.01"));
        c.add(plot(dir, "rho", runDir("mlp", s), runDir("mlp-control", s), "ReLU MLP width 100, (n,k) = (" + n + ",3), eta 1, B 64"));
        c.add(plot(dir, "gap", runDir("gap-n" + nGap, s), runDir("gap-n" + nGap + "-control", s),
                "exact Fourier gap, ReLU MLP width 100, (n,k) = (" + nGap + ",3), eta 0.1, B 32"));
        return c;
    }
}

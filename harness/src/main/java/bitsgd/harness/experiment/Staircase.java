package bitsgd.harness.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Abbe et al. 2021, the main configuration: S_10 vs χ_{1:10} at n = 30 on a ReLU ResNet (docs/protocols.md §B). */
final class Staircase extends ScriptExperiment {
    Staircase() {
        super("staircase",
                "Abbe et al. 2021 main configuration: S_10 vs chi_1:10 at n=30, ResNet L=5 W=40, B=20, 60k samples, eta 0.01 halved every 15k, 100k steps, 3 seeds");
    }

    @Override
    protected int defaultSeeds(boolean quick) {
        return quick ? 1 : 3;
    }

    /** Both targets per seed (χ_{1:10} scored by MSE like the paper), then the charts of seed 0. */
    @Override
    protected List<List<String>> commands(Path dir, boolean quick, List<Integer> seeds) {
        int n = quick ? 15 : 30, d = quick ? 4 : 10;
        List<String> common = List.of("--n", "" + n, "--arch", "resnet", "--depth", "5", "--width", "40", "--loss", "square",
                "--lr", "0.01", "--batch", "20", "--train-size", quick ? "6000" : "60000", "--schedule", quick ? "halve:1500" : "halve:15000",
                "--max-steps", quick ? "3000" : "100000", "--eval-every", quick ? "250" : "1000", "--eval-samples", quick ? "3000" : "30000",
                "--track-prefixes", "" + d, "--no-stop-on-solve");
        List<List<String>> c = new ArrayList<>();
        for (int seed : seeds) {
            List<String> st = new ArrayList<>(common), chi = new ArrayList<>(common);
            st.addAll(List.of("--target", "staircase:" + d));
            chi.addAll(List.of("--target", "chi:" + d, "--score-mse"));
            c.add(train(dir, "staircase", seed, false, st.toArray(String[]::new)));
            c.add(train(dir, "chi", seed, false, chi.toArray(String[]::new)));
        }
        String st0 = runDir("staircase", seeds.getFirst()), chi0 = runDir("chi", seeds.getFirst());
        c.add(plot(dir, "curve", st0, chi0, "n=" + n + ": S_" + d + " vs chi_1:" + d + " eval MSE, ResNet L=5 W=40"));
        c.add(plot(dir, "coef", st0, null, "S_" + d + ": E[f(x) x1...xj], target 1/sqrt(" + d + ") for j >= 1"));
        c.add(plot(dir, "coef", chi0, null, "chi_1:" + d + ": E[f(x) x1...xj], target 1 at j = " + d + " only"));
        return c;
    }

    @Override
    protected List<Measure> extraMeasures(String run, List<Map<String, Object>> results) {
        return List.of(finalEvalMse(run, results));
    }
}

package bitsgd.harness.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Abbe et al. 2021, the other three configurations (docs/protocols.md §B, each with its own schedule): S_7 on biased
 * inputs (Ber(0.75), n = 30), S_5 on Gaussian inputs (n = 100, L = 8, W = 50) and the double staircase S_{7,7}.
 */
final class StaircaseVariants extends ScriptExperiment {
    StaircaseVariants() {
        super("staircase-variants",
                "Abbe et al. 2021 other configurations: S_7 on Ber(0.75) inputs (n=30), S_5 on Gaussian inputs (n=100, ResNet L=8 W=50), double staircase S_7,7; each with its schedule, 100k/100k/50k steps, 3 seeds");
    }

    @Override
    protected int defaultSeeds(boolean quick) {
        return quick ? 1 : 3;
    }

    /** One configuration: its run name, target, prefix coefficients tracked and settings (protocols.md §B's table). */
    private record Config(String run, String target, int prefixes, List<String> args) {}

    private static List<Config> configs(boolean quick) {
        if (quick) {   // the same three on small inputs: a few seconds each
            return List.of(
                    new Config("biased", "staircase:4", 4, List.of("--n", "15", "--inputs", "biased:0.75", "--depth", "5", "--width", "40", "--lr", "0.02",
                            "--train-size", "6000", "--schedule", "steps:1500:1,0.5", "--max-steps", "3000")),
                    new Config("gaussian", "staircase:3", 3, List.of("--n", "20", "--inputs", "gaussian", "--depth", "5", "--width", "40", "--lr", "0.05",
                            "--train-size", "6000", "--schedule", "steps:1500:1,0.5", "--max-steps", "3000")),
                    new Config("double", "double-staircase:3,3", 0, List.of("--n", "15", "--depth", "5", "--width", "50", "--lr", "0.004",
                            "--train-size", "6000", "--schedule", "steps:1500:1,0.5", "--max-steps", "3000")));
        }
        return List.of(
                new Config("biased", "staircase:7", 7, List.of("--n", "30", "--inputs", "biased:0.75", "--depth", "5", "--width", "40", "--lr", "0.01",
                        "--train-size", "60000", "--schedule", "steps:15000:1,0.5,0.5,0.25,0.25,0.125,0.0625", "--max-steps", "100000")),
                new Config("gaussian", "staircase:5", 5, List.of("--n", "100", "--inputs", "gaussian", "--depth", "8", "--width", "50", "--lr", "0.01",
                        "--train-size", "300000", "--schedule", "steps:10000:1,1,1,0.5,0.5,0.25,0.25", "--max-steps", "100000")),
                new Config("double", "double-staircase:7,7", 0, List.of("--n", "30", "--depth", "5", "--width", "50", "--lr", "0.004",
                        "--train-size", "100000", "--schedule", "steps:15000:1,0.5,0.5,0.25", "--max-steps", "50000")));
    }

    @Override
    protected List<List<String>> commands(Path dir, boolean quick, List<Integer> seeds) {
        List<List<String>> c = new ArrayList<>();
        List<Config> configs = configs(quick);
        for (int seed : seeds) {
            for (Config cf : configs) {
                List<String> a = new ArrayList<>(List.of("--target", cf.target(), "--arch", "resnet", "--loss", "square", "--batch", "20"));
                a.addAll(cf.args());
                a.addAll(List.of("--eval-every", quick ? "250" : "1000", "--eval-samples", quick ? "3000" : "30000", "--no-stop-on-solve"));
                if (cf.prefixes() > 0) a.addAll(List.of("--track-prefixes", String.valueOf(cf.prefixes())));
                c.add(train(dir, cf.run(), seed, false, a.toArray(String[]::new)));
            }
        }
        int s = seeds.getFirst();
        for (Config cf : configs) {
            c.add(plot(dir, "curve", runDir(cf.run(), s), null, cf.run() + ": " + cf.target() + " eval MSE, ResNet"));
            if (cf.prefixes() > 0) {
                c.add(plot(dir, "coef", runDir(cf.run(), s), null, cf.run() + " " + cf.target() + ": E[f(x) x1...xj] for j = 0.." + cf.prefixes()));
            }
        }
        return c;
    }

    @Override
    protected List<Measure> extraMeasures(String run, List<Map<String, Object>> results) {
        return List.of(finalEvalMse(run, results));
    }
}

package bitsgd.harness.train;

import bitsgd.kernel.mlp.MlpKernels;
import java.util.List;

/** Scalar vs vector training-step rates on one config, measured side by side by {@link Throughput}. */
public final class Speedup {
    private Speedup() {}

    public static SpeedupResult measure(TrainConfig cfg, MlpKernels scalar, MlpKernels vector,
                                        int rounds, double roundSeconds, double warmupSeconds) {
        double[][] rates = Throughput.measure(cfg, List.of(scalar, vector), rounds, roundSeconds, warmupSeconds);
        double s = Throughput.median(rates[0]), v = Throughput.median(rates[1]);
        return new SpeedupResult(s, v, v / s, vector.name(), rounds, roundSeconds);
    }
}

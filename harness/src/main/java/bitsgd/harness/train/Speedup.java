package bitsgd.harness.train;

import bitsgd.harness.task.SparseParity;
import bitsgd.harness.train.RunStreams.Stream;
import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.mlp.MlpKernels;
import java.util.Arrays;

/**
 * Measures training steps per second of two kernel implementations side by side on one config:
 * both train a copy of the same initial net on the same pool of fresh batches (labels included),
 * a warm-up for each, then {@code rounds} alternating timed rounds; reports the median rates.
 * Every round restarts from the initial net so both kernels see the same parameter regime.
 */
public final class Speedup {
    private static final int POOL = 64;

    private Speedup() {}

    public static SpeedupResult measure(TrainConfig cfg, MlpKernels scalar, MlpKernels vector,
                                        int rounds, double roundSeconds, double warmupSeconds) {
        cfg.validate();
        RunStreams streams = new RunStreams(cfg.seed());
        SparseParity target = Trainer.target(cfg, streams);
        Mlp2 init = Trainer.initialNet(cfg, streams);
        // a pool of fresh batches from a stream the run itself never uses for data
        var rng = streams.get(Stream.NOISE);
        BitBatch[] xs = new BitBatch[POOL];
        float[][] ys = new float[POOL][cfg.batch()];
        for (int p = 0; p < POOL; p++) {
            xs[p] = new BitBatch(cfg.n(), cfg.batch());
            xs[p].fillUniform(rng);
            target.labels(xs[p], ys[p]);
        }
        MlpKernels[] impls = {scalar, vector};
        MlpKernels.Workspace[] ws = {
                scalar.workspace(cfg.n(), cfg.width(), cfg.batch()),
                vector.workspace(cfg.n(), cfg.width(), cfg.batch())};
        for (int i = 0; i < 2; i++) rate(impls[i], init, xs, ys, cfg, ws[i], warmupSeconds);
        double[][] rates = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < 2; i++) rates[i][r] = rate(impls[i], init, xs, ys, cfg, ws[i], roundSeconds);
        }
        double s = median(rates[0]), v = median(rates[1]);
        return new SpeedupResult(s, v, v / s, vector.name(), rounds, roundSeconds);
    }

    /** Steps per second of one timed round of at least {@code seconds}. */
    private static double rate(MlpKernels k, Mlp2 init, BitBatch[] xs, float[][] ys, TrainConfig cfg,
                               MlpKernels.Workspace ws, double seconds) {
        Mlp2 net = init.copy();
        float lr = (float) cfg.lr(), wd = (float) cfg.wd();
        long budget = (long) (seconds * 1e9);
        long steps = 0;
        long start = System.nanoTime(), elapsed;
        do {
            // 8 steps between clock reads keeps timing overhead out of small steps
            for (int u = 0; u < 8; u++, steps++) {
                int p = (int) (steps % POOL);
                k.step(net, xs[p], ys[p], cfg.loss(), lr, wd, ws);
            }
            elapsed = System.nanoTime() - start;
        } while (elapsed < budget);
        return steps / (elapsed * 1e-9);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
    }
}

package bitsgd.harness.train;

import bitsgd.harness.task.SparseParity;
import bitsgd.harness.train.RunStreams.Stream;
import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.mlp.MlpKernels;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Training steps per second of several kernel implementations, side by side in one process.
 * A timed step is what {@link Trainer} does per step: draw a fresh batch, label it, one fused kernel
 * step. Every round restarts from the same initial net and the same data stream, so all
 * implementations see the same work; rounds alternate between implementations so slow drift of a
 * shared machine hits them alike.
 */
public final class Throughput {
    private Throughput() {}

    /** {@code rates[i][r]}: steps/s of implementation i in round r, after a warm-up round each. */
    public static double[][] measure(TrainConfig cfg, List<MlpKernels> impls, int rounds, double roundSeconds,
                                     double warmupSeconds) {
        return measure(cfg, impls, new int[impls.size()], rounds, roundSeconds, warmupSeconds).stepsPerSecond();
    }

    /** Steps/s of implementation i in round r, and the threads its steps ran on. */
    public record Rates(double[][] stepsPerSecond, int[] threads) {}

    /** As above, implementation i splitting its steps over up to {@code threads[i]} threads (0 or 1: one). */
    public static Rates measure(TrainConfig cfg, List<MlpKernels> impls, int[] threads, int rounds, double roundSeconds,
                                double warmupSeconds) {
        cfg.validate();
        RunStreams streams = new RunStreams(cfg.seed());
        SparseParity target = Trainer.parity(cfg, streams);
        Mlp2 init = Trainer.initialNet(cfg, streams);
        MlpKernels.Workspace[] ws = new MlpKernels.Workspace[impls.size()];
        int[] used = new int[ws.length];
        for (int i = 0; i < ws.length; i++) {
            ws[i] = impls.get(i).workspace(cfg.n(), cfg.width(), cfg.batch(), Math.max(1, threads[i]));
            used[i] = ws[i].threads();
        }
        for (int i = 0; i < ws.length; i++) warmUp(impls.get(i), ws[i], init, target, streams, cfg, warmupSeconds);
        double[][] rates = new double[impls.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < ws.length; i++) rates[i][r] = rate(impls.get(i), ws[i], init, target, streams, cfg, roundSeconds);
        }
        return new Rates(rates, used);
    }

    /**
     * At least {@code seconds} of steps, then more short rounds until two in a row agree within 5% (at most
     * 10 s): C2 may still be compiling the vector kernels after a fixed warm-up, and a round timed while it
     * does is the interpreter's rate, not the kernel's.
     */
    private static void warmUp(MlpKernels kernels, MlpKernels.Workspace ws, Mlp2 init, SparseParity target,
                               RunStreams streams, TrainConfig cfg, double seconds) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        double previous = rate(kernels, ws, init, target, streams, cfg, seconds);
        while (System.nanoTime() < deadline) {
            double current = rate(kernels, ws, init, target, streams, cfg, 0.25);
            if (Math.abs(current - previous) <= 0.05 * Math.max(current, previous)) return;
            previous = current;
        }
    }

    /** Steps per second of one timed round of at least {@code seconds}. */
    private static double rate(MlpKernels kernels, MlpKernels.Workspace ws, Mlp2 init, SparseParity target,
                               RunStreams streams, TrainConfig cfg, double seconds) {
        Mlp2 net = init.copy();
        RandomGenerator data = streams.get(Stream.DATA); // the same batches every round
        BitBatch x = new BitBatch(cfg.n(), cfg.batch());
        float[] y = new float[cfg.batch()];
        float lr = (float) cfg.lr(), wd = (float) cfg.wd();
        long budget = (long) (seconds * 1e9);
        long steps = 0;
        long start = System.nanoTime(), elapsed;
        do {
            // 8 steps between clock reads keeps timer overhead out of small steps
            for (int u = 0; u < 8; u++, steps++) {
                x.fillUniform(data);
                target.labels(x, y);
                kernels.step(net, x, y, cfg.loss(), lr, lr, wd, ws);
            }
            elapsed = System.nanoTime() - start;
        } while (elapsed < budget);
        return steps / (elapsed * 1e-9);
    }

    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
    }

    public static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    public static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}

package bitsgd.harness.popgrad;

import bitsgd.harness.UsageException;
import bitsgd.harness.model.Init;
import bitsgd.harness.task.SparseParity;
import bitsgd.harness.train.RunStreams;
import bitsgd.harness.train.TrainConfig;
import bitsgd.harness.train.Trainer;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.popgrad.PopGrad;
import bitsgd.kernel.popgrad.PopGradKernels;
import bitsgd.kernel.popgrad.PopGrads;
import bitsgd.kernel.popgrad.PopTarget;
import java.util.Locale;

/** The harness side of the exact population gradient: targets, inits, the memory check, timing. */
public final class PopulationGradient {
    private PopulationGradient() {}

    /** First-layer init for {@code popgrad}. */
    public enum InitKind { PYTORCH, SIGN }

    /** Target function for {@code popgrad}. */
    public enum TargetKind { PARITY, MAJORITY }

    /** Arithmetic lane-ops per input per hidden unit: forward add, max, fma; backward add, blend, D add, E add, fma, compare. */
    public static final int LANE_OPS_PER_INPUT_UNIT = 9;

    /** The kernel-side target of a parity task. */
    public static PopTarget target(SparseParity p) {
        return PopTarget.parity(p.n(), p.secret());
    }

    /** The config's net: PyTorch default from the init stream, or the deterministic sign-vector init. */
    public static Mlp2 initialNet(TrainConfig cfg, InitKind init) {
        if (init == InitKind.SIGN) {
            Mlp2 m = new Mlp2(cfg.n(), cfg.width());
            Init.sign(m);
            return m;
        }
        return Trainer.initialNet(cfg, new RunStreams(cfg.seed()));
    }

    /** Throws a one-line {@link UsageException} unless (n, h) can be enumerated within the JVM's free heap. */
    public static void checkFits(int n, int h) {
        if (n > PopGrads.maxN()) {
            throw new UsageException("popgrad enumerates 2^n inputs: --n must be <= " + PopGrads.maxN() + ", got " + n);
        }
        long need = PopGrads.bytesNeeded(n, h) + 4L * n * h;
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (need > free) {
            throw new UsageException(String.format(Locale.ROOT,
                    "popgrad at n=%d, width=%d needs %d bytes, but only %d are free (raise -Xmx via BITSGD_JAVA_OPTS)", n, h, need, free));
        }
    }

    /** One timed computation. */
    public record Timed(PopGrad grad, double seconds) {
        /** Arithmetic lane-ops per second ({@link #LANE_OPS_PER_INPUT_UNIT} per input per hidden unit). */
        public double laneOpsPerSecond() {
            return (double) grad.inputs() * grad.h() * LANE_OPS_PER_INPUT_UNIT / seconds;
        }
    }

    /** Computes {@code repeat} times (≥ 1) and keeps the fastest (the first ones include JIT warm-up). */
    public static Timed compute(PopGradKernels k, Mlp2 net, PopTarget t, bitsgd.kernel.mlp.Loss loss, double flip, int repeat) {
        checkFits(net.n, net.h);
        PopGrad g = null;
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < Math.max(1, repeat); r++) {
            long t0 = System.nanoTime();
            g = k.compute(net, t, loss, flip);
            best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
        }
        return new Timed(g, best);
    }
}

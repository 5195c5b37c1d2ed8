package bitsgd.kernel.mlp;

import bitsgd.kernel.Kernels;
import bitsgd.kernel.bits.BitBatch;

/**
 * The vector kernels as a run sees them: {@link TwinMlpKernels} (same bits, fast before C2) until
 * {@link VectorWarmup} says the Vector API code is compiled, then {@link VectorMlpKernels}. Since both compute the
 * same bits, where the hand-over falls changes no result, only the time.
 *
 * <p>The warm-up thread and the compilation of the vector code cost about a second of both cores, so a run starts the
 * warm-up only once it has trained for {@code -Dbitsgd.warmupAfterMs} (default {@value #DEFAULT_WARMUP_AFTER_MS} ms):
 * a single short run finishes on the twin and pays nothing, a long one pays once, on the core the run leaves free.
 * A sweep that fills every core has no free core; it calls {@link #vectorFromStart} once its runs show that the twin
 * would take longer than the warm-up (see {@code SweepRunner.VectorSwitch}), and its runs then warm the vector code
 * by running it. {@code -Dbitsgd.handover=off} runs the Vector API code from the first step (for comparisons).
 */
public final class HandoverMlpKernels implements MlpKernels {
    static final long DEFAULT_WARMUP_AFTER_MS = 2000;

    private final TwinMlpKernels twin;
    private final boolean enabled;
    private final long warmupAfterNanos;
    /** First use in this process, for the warm-up delay (0: not yet). */
    private volatile long firstUse;

    public HandoverMlpKernels(TwinMlpKernels twin) {
        this.twin = twin;
        this.enabled = !"off".equalsIgnoreCase(System.getProperty("bitsgd.handover", "on").trim());
        this.warmupAfterNanos = Long.getLong("bitsgd.warmupAfterMs", DEFAULT_WARMUP_AFTER_MS) * 1_000_000L;
    }

    /** The vector kernels' name: the bits are theirs whichever code computed them. */
    @Override
    public String name() {
        return "vector-" + 32 * twin.lanes();
    }

    /** The Vector API kernels (made on first use: initialising them is ~100 ms of a cold start). */
    private static VectorMlpKernels vector() {
        return Kernels.vectorMlp();
    }

    public TwinMlpKernels twin() {
        return twin;
    }

    /** Set once the twin would cost more than the warm-up (a long sweep): from then on every step runs the Vector API code. */
    private static volatile boolean vectorFromStart;

    /** Runs the Vector API code from now on, in every run of this process (a long sweep; see the class comment). */
    public void vectorFromStart() {
        vectorFromStart = true;
    }

    /** True once the vector code runs the steps of {@code act} (always, with -Dbitsgd.handover=off). */
    public boolean vectorReady(Activation act) {
        return !enabled || VectorWarmup.ready(act);
    }

    /** Seconds from the warm-up's start to its verdict for ReLU, or NaN. */
    public static double warmupSeconds() {
        return VectorWarmup.secondsToReady();
    }

    /** Scratch of both kernels; the vector one is made at the hand-over. Counts the steps each ran. */
    public static final class Scratch implements Workspace {
        final int n, h, maxBatch, threads;
        /** The twin runs on this thread alone: it covers the first seconds, before the Vector API code is compiled. */
        final Workspace twin;
        Workspace vector;
        long twinSteps, vectorSteps;

        Scratch(int n, int h, int maxBatch, int threads, Workspace twin) {
            this.n = n;
            this.h = h;
            this.maxBatch = maxBatch;
            this.threads = threads;
            this.twin = twin;
        }

        /** Steps run by the twin so far (they came first). */
        public long twinSteps() {
            return twinSteps;
        }

        /** Steps run by the Vector API code so far. */
        public long vectorSteps() {
            return vectorSteps;
        }

        /** The threads the Vector API code splits a step over once it runs; 1 while the twin runs the steps. */
        @Override
        public int threads() {
            return vector != null ? vector.threads() : 1;
        }
    }

    @Override
    public Workspace workspace(int n, int h, int maxBatch) {
        return workspace(n, h, maxBatch, 1);
    }

    @Override
    public Workspace workspace(int n, int h, int maxBatch, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        return new Scratch(n, h, maxBatch, threads, enabled ? twin.workspace(n, h, maxBatch) : null);
    }

    @Override
    public float step(Mlp2 net, BitBatch x, float[] y, Loss loss, float lr1, float lr2, float weightDecay, Workspace ws) {
        Scratch s = (Scratch) ws;
        if (useVector(net.activation, s)) {
            s.vectorSteps++;
            return vector().step(net, x, y, loss, lr1, lr2, weightDecay, s.vector);
        }
        s.twinSteps++;
        return twin.step(net, x, y, loss, lr1, lr2, weightDecay, s.twin);
    }

    @Override
    public void forward(Mlp2 net, BitBatch x, float[] f, Workspace ws) {
        Scratch s = (Scratch) ws;
        if (useVector(net.activation, s)) vector().forward(net, x, f, s.vector);
        else twin.forward(net, x, f, s.twin);
    }

    private boolean useVector(Activation act, Scratch s) {
        if (s.vector != null) return true;
        if (!enabled || vectorFromStart || VectorWarmup.ready(act)) {
            s.vector = vector().workspace(s.n, s.h, s.maxBatch, s.threads);
            return true;
        }
        long now = System.nanoTime();
        if (firstUse == 0) firstUse = now;
        else if (now - firstUse >= warmupAfterNanos && !VectorWarmup.started()) VectorWarmup.start(vector(), twin);
        return false;
    }
}

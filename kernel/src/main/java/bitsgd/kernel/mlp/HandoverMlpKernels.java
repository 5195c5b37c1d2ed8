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
 * a single short run finishes on the twin and pays nothing, a long one pays once. Many runs in one process (a sweep)
 * call {@link #vectorFromStart}: there the twin only delays the vector code (its own compilations wait behind the
 * vector code's in the one C2 queue; measured: a 300-run sweep took 5.2–5.7 s with the twin, 3.9–4.5 s without),
 * so they run the Vector API code from their first step and the first run of each thread pays the warm-up.
 * {@code -Dbitsgd.handover=off} does the same for every run (for comparisons).
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

    /**
     * Runs the twin on small problems in a daemon thread for about {@code millis} ms, so its loops are compiled, and
     * with every branch taken (steps and forward-only passes, partial groups), by the time a run starts: called at
     * process start while the command line is parsed and the run set up. Widths of ~100 so the loop profiles look
     * like a real run's (C2 unrolls and vectorizes by the profiled trip counts). Touches nothing a run uses.
     */
    public void prewarmTwin(long millis) {
        Thread t = new Thread(() -> {
            java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
            int[][] shapes = {{20, 100, 32}, {13, 77, 7}};
            Mlp2[] nets = new Mlp2[shapes.length];
            BitBatch[] xs = new BitBatch[shapes.length];
            float[][] ys = new float[shapes.length][];
            Workspace[] ws = new Workspace[shapes.length];
            for (int i = 0; i < shapes.length; i++) {
                nets[i] = new Mlp2(shapes[i][0], shapes[i][1]).initUniform(rng);
                xs[i] = new BitBatch(shapes[i][0], shapes[i][2]);
                xs[i].fillUniform(rng);
                ys[i] = new float[shapes[i][2]];
                for (int b = 0; b < ys[i].length; b++) ys[i][b] = (b & 1) == 0 ? 1f : -1f;
                ws[i] = twin.workspace(shapes[i][0], shapes[i][1], shapes[i][2]);
            }
            float[] f = new float[32];
            long end = System.nanoTime() + millis * 1_000_000L;
            for (long r = 0; System.nanoTime() < end; r++) {
                int i = (int) (r % shapes.length);
                twin.step(nets[i], xs[i], ys[i], Loss.HINGE, 1e-4f, 1e-4f, 1e-4f, ws[i]);
                twin.forward(nets[i], xs[i], f, ws[i]);
            }
        }, "bitsgd-twin-prewarm");
        t.setDaemon(true);
        t.start();
    }

    /** Set once many runs will follow in this process: from then on every step runs the Vector API code. */
    private static volatile boolean vectorFromStart;

    /** Runs the Vector API code from now on, in every run of this process (a sweep; see the class comment). */
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
        final int n, h, maxBatch;
        final Workspace twin;
        Workspace vector;
        long twinSteps, vectorSteps;

        Scratch(int n, int h, int maxBatch, Workspace twin) {
            this.n = n;
            this.h = h;
            this.maxBatch = maxBatch;
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
    }

    @Override
    public Workspace workspace(int n, int h, int maxBatch) {
        return new Scratch(n, h, maxBatch, enabled ? twin.workspace(n, h, maxBatch) : null);
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
            s.vector = vector().workspace(s.n, s.h, s.maxBatch);
            return true;
        }
        long now = System.nanoTime();
        if (firstUse == 0) firstUse = now;
        else if (now - firstUse >= warmupAfterNanos && !VectorWarmup.started()) VectorWarmup.start(vector(), twin);
        return false;
    }
}

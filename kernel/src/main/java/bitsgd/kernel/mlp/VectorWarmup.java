package bitsgd.kernel.mlp;

import bitsgd.kernel.bits.BitBatch;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Says when the vector MLP kernels are compiled, once per process: a daemon thread calls them on small problems
 * of its own (shapes that take every branch: column pairs, a single block, the zero-padded tail, partial input
 * and sample groups, forward-only calls) until C2 has compiled them, and decides "compiled" by the clock: the
 * vector step beats the twin's step on the same probe problem three rounds in a row. Before C2, a vector step is
 * 30–100× slower than the twin's; after, faster. A wrong verdict costs speed only, never bits: both kernels give
 * the same results.
 *
 * <p>ReLU and z^k compile separately (their own pass methods), so each has its own flag; z^k is warmed only once a
 * z^k run asks for it. The thread gives up after {@link #GIVE_UP_NANOS} (the twin then runs on).
 */
final class VectorWarmup {
    private static final long GIVE_UP_NANOS = 60_000_000_000L;
    /** Rounds in a row the vector probe must win. */
    private static final int WINS = 3;
    /**
     * Kernel calls per problem after which C2 has surely been asked to compile every vector method (its tier-4
     * thresholds are thousands of calls); from then on the thread only looks every 10 ms instead of spinning, so the
     * compiler and the runs get the cores.
     */
    private static final long HOT_CALLS = 12_000;

    private static volatile boolean reluReady, powReady;
    private static volatile boolean powWanted;
    private static volatile long reluReadyNanos, startNanos;
    private static Thread thread;

    private VectorWarmup() {}

    static boolean ready(Activation act) {
        if (act.isRelu()) return reluReady;
        powWanted = true;
        return powReady;
    }

    /** Seconds from {@link #start} to the ReLU verdict, or NaN (not started, or no verdict yet). */
    static double secondsToReady() {
        long r = reluReadyNanos, s = startNanos;
        return r == 0 || s == 0 ? Double.NaN : (r - s) * 1e-9;
    }

    static boolean started() {
        return startNanos != 0;
    }

    /** Starts the warm-up thread (once; later calls do nothing). */
    static synchronized void start(MlpKernels vector, TwinMlpKernels twin) {
        if (thread != null) return;
        startNanos = System.nanoTime();
        thread = new Thread(() -> run(vector, twin), "bitsgd-vector-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    /** Marks both ready without warming (tests, and callers that know the code is compiled). */
    static void assumeReady() {
        reluReady = true;
        powReady = true;
    }

    private static void run(MlpKernels vector, TwinMlpKernels twin) {
        int lanes = twin.lanes();
        Problem relu = new Problem(Activation.RELU, lanes, vector, twin);
        Problem pow = null;
        int reluWins = 0, powWins = 0;
        while (System.nanoTime() - startNanos < GIVE_UP_NANOS && !(reluReady && (powReady || !powWanted))) {
            if (!reluReady) {
                relu.warm(vector, relu.calls < HOT_CALLS ? 20 : 1);
                reluWins = relu.vectorWins(vector, twin) ? reluWins + 1 : 0;
                if (reluWins >= WINS) {
                    reluReadyNanos = System.nanoTime();
                    reluReady = true;
                }
            }
            if (powWanted && !powReady) {
                if (pow == null) pow = new Problem(Activation.pow(3), lanes, vector, twin);
                pow.warm(vector, pow.calls < HOT_CALLS ? 20 : 1);
                powWins = pow.vectorWins(vector, twin) ? powWins + 1 : 0;
                if (powWins >= WINS) powReady = true;
            }
            boolean queued = (reluReady || relu.calls >= HOT_CALLS) && (pow == null || powReady || pow.calls >= HOT_CALLS);
            if (queued) {
                // the compile requests are in: leave the cores to the compiler and the runs, look again shortly
                try {
                    Thread.sleep(reluReady && !powWanted ? 50 : 10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Small nets and batches that take every branch of the vector kernels, and a probe for the verdict. */
    private static final class Problem {
        final Mlp2[] start, nets;
        final BitBatch[] xs;
        final float[][] ys;
        final MlpKernels.Workspace[] ws;
        final float[] f = new float[64];
        final SplittableRandom rng = new SplittableRandom(12345);
        // the probe: a mid-sized problem, its own copies for each kernel
        final Mlp2 probeStart, probeVector, probeTwin;
        final BitBatch probeX;
        final float[] probeY;
        final MlpKernels.Workspace probeWv, probeWt;
        long calls;

        Problem(Activation act, int lanes, MlpKernels vector, TwinMlpKernels twin) {
            // {n, h, B}: pairs + single block + tail; a partial last input group; a partial last sample group
            int[][] shapes = {{9, 3 * lanes + 3, 7}, {22, 2 * lanes + 1, 13}, {5, lanes - 1 > 0 ? lanes - 1 : 1, 4}, {64, 4 * lanes, 32}};
            start = new Mlp2[shapes.length];
            nets = new Mlp2[shapes.length];
            xs = new BitBatch[shapes.length];
            ys = new float[shapes.length][];
            ws = new MlpKernels.Workspace[shapes.length];
            for (int s = 0; s < shapes.length; s++) {
                int n = shapes[s][0], h = shapes[s][1], b = shapes[s][2];
                start[s] = new Mlp2(n, h, act).initUniform(rng);
                nets[s] = start[s].copy();
                xs[s] = new BitBatch(n, b);
                ys[s] = new float[b];
                ws[s] = vector.workspace(n, h, b);
            }
            int n = 40, h = 6 * lanes + 5, b = 32;
            probeStart = new Mlp2(n, h, act).initUniform(rng);
            probeVector = probeStart.copy();
            probeTwin = probeStart.copy();
            probeX = new BitBatch(n, b);
            probeX.fillUniform(rng);
            probeY = new float[b];
            for (int i = 0; i < b; i++) probeY[i] = rng.nextBoolean() ? 1f : -1f;
            probeWv = vector.workspace(n, h, b);
            probeWt = twin.workspace(n, h, b);
        }

        /** {@code rounds} steps and forward passes on every shape, batches of full and partial size, all losses. */
        void warm(MlpKernels vector, int rounds) {
            Loss[] losses = Loss.values();
            for (int r = 0; r < rounds; r++) {
                for (int s = 0; s < nets.length; s++) {
                    BitBatch x = xs[s];
                    x.setSize(x.capacity());
                    x.fillUniform(rng);
                    for (int b = 0; b < x.capacity(); b++) ys[s][b] = rng.nextBoolean() ? 1f : -1f;
                    if ((calls & 1) == 1 && x.capacity() > 1) x.setSize(x.capacity() - 1);
                    vector.step(nets[s], x, ys[s], losses[(int) (calls % losses.length)], 0.01f, 0.005f, 0.01f, ws[s]);
                    vector.forward(nets[s], x, f, ws[s]);
                    // back to the start now and then: the problems never drift to huge or NaN weights
                    if (calls % 16 == 15) copy(start[s], nets[s]);
                    calls++;
                }
            }
        }

        /** True when the median of 3 vector steps on the probe is at most the median of 3 twin steps. */
        boolean vectorWins(MlpKernels vector, TwinMlpKernels twin) {
            long[] tv = new long[3], tt = new long[3];
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                vector.step(probeVector, probeX, probeY, Loss.HINGE, 1e-4f, 1e-4f, 0f, probeWv);
                long t1 = System.nanoTime();
                twin.step(probeTwin, probeX, probeY, Loss.HINGE, 1e-4f, 1e-4f, 0f, probeWt);
                tv[i] = t1 - t0;
                tt[i] = System.nanoTime() - t1;
            }
            copy(probeStart, probeVector);
            copy(probeStart, probeTwin);
            Arrays.sort(tv);
            Arrays.sort(tt);
            return tv[1] <= tt[1];
        }

        private static void copy(Mlp2 from, Mlp2 to) {
            System.arraycopy(from.w, 0, to.w, 0, from.w.length);
            System.arraycopy(from.b, 0, to.b, 0, from.h);
            System.arraycopy(from.a, 0, to.a, 0, from.h);
            to.c = from.c;
        }
    }
}

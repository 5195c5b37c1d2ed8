package bitsgd.kernel.dense;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Gets the vector dense kernels C2-compiled before a run needs them: a daemon thread calls every method a residual
 * network's step and forward pass use, on that network's layer shapes and batches of 4 and 5 (blocks of four and a
 * tail), on data of its own. Before C2 a Vector API call is 30–100× slower than after, and a model left to warm
 * the kernels by training spends its first second or two at that speed; started when the model is made, the
 * thread does it on the other core while the run draws its data. It only calls stateless kernels on its own arrays:
 * results never depend on it, only the time. Once per process and shape; {@code -Dbitsgd.denseWarmup=off} turns it off.
 */
public final class DenseWarmup {
    /** Rounds of one step and one forward pass per batch size: enough calls and loop back-edges for C2's thresholds. */
    static final int ROUNDS = 1500;

    private static final Set<Long> started = new HashSet<>();

    private DenseWarmup() {}

    /**
     * Starts warming {@code kernels} for layers {@code n → width → … → width → 1} unless they are not the Vector API
     * kernels, the shape was warmed already, or the warm-up is turned off. Returns at once.
     */
    public static synchronized void start(DenseKernels kernels, int n, int width) {
        if (!(kernels instanceof VectorDenseKernels)) return;
        if ("off".equalsIgnoreCase(System.getProperty("bitsgd.denseWarmup", "on").trim())) return;
        if (!started.add((long) n << 32 | width)) return;
        Thread t = new Thread(() -> run(kernels, n, width, ROUNDS), "bitsgd-dense-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** The calls themselves: a two-hidden-layer network (first layer, one skip layer, output), tiny rates. */
    static void run(DenseKernels k, int n, int width, int rounds) {
        SplittableRandom rng = new SplittableRandom(12345);
        final int maxBatch = 5;
        float[] x = uniform(maxBatch * n, rng), w0 = uniform(n * width, rng), b0 = uniform(width, rng);
        float[] w1 = uniform(width * width, rng), w1t = new float[width * width], b1 = uniform(width, rng);
        float[] w2 = uniform(width, rng), b2 = uniform(1, rng);
        DenseKernels.transpose(w1, width, width, w1t);
        float[] z0 = new float[maxBatch * width], h0 = new float[maxBatch * width], z1 = new float[maxBatch * width];
        float[] h1 = new float[maxBatch * width], f = new float[maxBatch], g = new float[maxBatch];
        float[] dh = new float[maxBatch * width], dh0 = new float[maxBatch * width], delta = new float[maxBatch * width];
        for (int r = 0; r < rounds; r++) {
            int batch = 4 + (r & 1);
            k.forwardRelu(x, batch, n, w0, b0, width, z0, h0, false);
            k.forwardRelu(h0, batch, width, w1, b1, width, z1, h1, true);
            k.forward(h1, batch, width, w2, b2, 1, f);
            for (int s = 0; s < batch; s++) g[s] = 1e-3f * (f[s] - 1f);
            k.backwardInput(g, batch, 1, w2, width, dh);
            k.update(h1, g, batch, width, 1, w2, b2, 0f, 0f);   // rate 0: the weights stay as drawn
            k.backwardRelu(dh, z1, batch, width, w1t, width, delta, dh0, true);
            k.update(h0, delta, batch, width, width, w1, b1, 0f, 0f);
            k.update(delta, h0, batch, width, width, w1t, null, 0f, 0f);
            k.backwardRelu(dh0, z0, batch, width, null, n, delta, null, false);
            k.update(x, delta, batch, n, width, w0, b0, 0f, 0f);
        }
    }

    private static float[] uniform(int len, SplittableRandom rng) {
        float[] a = new float[len];
        for (int q = 0; q < len; q++) a[q] = (float) rng.nextDouble(-1, 1);
        return a;
    }
}

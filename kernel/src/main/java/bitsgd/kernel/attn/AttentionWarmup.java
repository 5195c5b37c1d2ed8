package bitsgd.kernel.attn;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Gets the vector attention kernels C2-compiled before a Transformer run needs them: a daemon thread calls every
 * kernel a Transformer block uses (the four linear layers forward and backward, the ReLU's backward, attention forward
 * and backward) on the model's shapes with batches of one and two samples, on data of its own. The kernels are
 * stateless and give the same bits in every JIT tier, so results never depend on it, only the time. Once per process
 * and shape; {@code -Dbitsgd.attentionWarmup=off} turns it off.
 */
public final class AttentionWarmup {
    /** Rounds of one block's forward and backward per batch size: enough calls and loop back-edges for C2. */
    static final int ROUNDS = 600;

    private static final Set<List<Integer>> started = new HashSet<>();

    private AttentionWarmup() {}

    /** Widest embedding the warm-up runs: wider models warm on this width with their head dimension (same code paths, bounded time and memory). */
    static final int MAX_WIDTH = 128;

    /**
     * Starts warming {@code kernels} for seq tokens of {@code width} with {@code heads} heads and an MLP of
     * {@code hidden} = {@code ratio}·width; returns at once.
     */
    public static synchronized void start(AttentionKernels kernels, int seq, int width, int heads, int ratio) {
        if (!(kernels instanceof VectorAttentionKernels)) return;
        if ("off".equalsIgnoreCase(System.getProperty("bitsgd.attentionWarmup", "on").trim())) return;
        int d = width / heads;
        int w = width <= MAX_WIDTH ? width : d * Math.max(1, MAX_WIDTH / d), h = w / d;
        if (!started.add(List.of(seq, w, h, ratio))) return;
        Thread t = new Thread(() -> run(kernels, seq, w, h, ratio * w, ROUNDS), "bitsgd-attention-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** The calls themselves: one encoder block, forward then backward, gradients accumulated into its own arrays. */
    static void run(AttentionKernels k, int seq, int width, int heads, int hidden, int rounds) {
        SplittableRandom rng = new SplittableRandom(12345);
        final int maxRows = 2 * seq;
        float[] h = uniform(maxRows * width, rng), qkvW = uniform(width * 3 * width, rng), qkvB = uniform(3 * width, rng);
        float[] outW = uniform(width * width, rng), outB = uniform(width, rng);
        float[] w1 = uniform(width * hidden, rng), b1 = uniform(hidden, rng), w2 = uniform(hidden * width, rng), b2 = uniform(width, rng);
        float[] qkv = new float[maxRows * 3 * width], probs = new float[maxRows * heads * seq], att = new float[maxRows * width];
        float[] m = new float[maxRows * width], u = new float[maxRows * hidden], out = new float[maxRows * width];
        float[] dOut = uniform(maxRows * width, rng), dr = new float[maxRows * hidden], dm = new float[maxRows * width];
        float[] dAtt = new float[maxRows * width], dQkv = new float[maxRows * 3 * width], dh = new float[maxRows * width];
        float[] gQkvW = new float[qkvW.length], gQkvB = new float[qkvB.length], gOutW = new float[outW.length], gOutB = new float[outB.length];
        float[] g1 = new float[w1.length], gb1 = new float[b1.length], g2 = new float[w2.length], gb2 = new float[b2.length];
        int maxFan = Math.max(3 * width, hidden);
        float[] scratch = new float[k.scratchSize(seq, width, heads, maxFan, maxFan)];
        for (int r = 0; r < rounds; r++) {
            int batch = 1 + (r & 1), rows = batch * seq;
            k.linear(h, rows, width, qkvW, qkvB, 3 * width, qkv);
            k.attention(qkv, batch, seq, width, heads, probs, att, scratch);
            k.linear(att, rows, width, outW, outB, width, m);
            k.linear(m, rows, width, w1, b1, hidden, u);
            k.linear(u, rows, hidden, w2, b2, width, out);
            k.linearBackward(u, dOut, rows, hidden, width, w2, dr, g2, gb2, scratch);
            k.reluBackward(u, dr, rows * hidden);
            k.linearBackward(m, dr, rows, width, hidden, w1, dm, g1, gb1, scratch);
            k.linearBackward(att, dm, rows, width, width, outW, dAtt, gOutW, gOutB, scratch);
            k.attentionBackward(qkv, probs, dAtt, batch, seq, width, heads, dQkv, scratch);
            k.linearBackward(h, dQkv, rows, width, 3 * width, qkvW, dh, gQkvW, gQkvB, scratch);
        }
    }

    private static float[] uniform(int len, SplittableRandom rng) {
        float[] a = new float[len];
        for (int q = 0; q < len; q++) a[q] = (float) rng.nextDouble(-1, 1);
        return a;
    }
}

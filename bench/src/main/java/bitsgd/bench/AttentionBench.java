package bitsgd.bench;

import bitsgd.harness.model.Inputs;
import bitsgd.harness.model.Transformer;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.attn.AttentionKernels;
import bitsgd.kernel.mlp.Loss;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Transformer's kernels, scalar reference vs Vector API, at the {@code transformer} preset's shape: n = 30 tokens,
 * width 32, 4 heads of dimension 8, one block, B = 32 (960 token rows):
 * <ul>
 *   <li>{@code step}: one SGD step of the whole model (forward, hinge loss, backward, update) on a ring of 64
 *       pre-drawn ±1 batches with parity labels, lr 0.1;</li>
 *   <li>{@code linear}: the MLP's first layer, 960 rows × 32 → 128 (3.9 M fmas);</li>
 *   <li>{@code linearBackward}: its backward, dIn and the weight and bias gradients (7.9 M fmas);</li>
 *   <li>{@code attention} and {@code attentionBackward}: one layer's multi-head softmax attention on 960 rows.</li>
 * </ul>
 * {@code @Setup} throws unless the two providers give the same bits on a few steps (they share every operation).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class AttentionBench {
    static final int RING = 64, N = 30, K = 2, WIDTH = 32, HEADS = 4, DEPTH = 1, BATCH = 32, ROWS = N * BATCH, HIDDEN = 4 * WIDTH;
    static final float LR = 0.1f;

    @Param({"scalar", "vector"})
    public String impl;

    AttentionKernels kernels;
    Transformer net;
    Inputs[] xs;
    float[][] ys;
    float[] lr;
    int next;

    float[] in, w, bias, out, dOut, dIn, gW, gBias, qkv, probs, att, dAtt, dQkv, scratch;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = Kernels.attention(impl);
        SplittableRandom rng = new SplittableRandom(42);
        xs = new Inputs[RING];
        ys = new float[RING][BATCH];
        for (int r = 0; r < RING; r++) {
            xs[r] = Inputs.dense(N, BATCH);
            float[] x = xs[r].dense();
            for (int q = 0; q < x.length; q++) x[q] = rng.nextBoolean() ? 1f : -1f;
            for (int s = 0; s < BATCH; s++) ys[r][s] = x[s * N] * x[s * N + 1];   // parity of the first K = 2 bits
        }
        lr = new float[DEPTH + 2];
        Arrays.fill(lr, LR);
        net = newNet(kernels);
        in = uniform(ROWS * WIDTH, rng);
        w = uniform(WIDTH * HIDDEN, rng);
        bias = uniform(HIDDEN, rng);
        out = new float[ROWS * HIDDEN];
        dOut = uniform(ROWS * HIDDEN, rng);
        dIn = new float[ROWS * WIDTH];
        gW = new float[WIDTH * HIDDEN];
        gBias = new float[HIDDEN];
        qkv = uniform(ROWS * 3 * WIDTH, rng);
        probs = new float[ROWS * HEADS * N];
        att = new float[ROWS * WIDTH];
        dAtt = uniform(ROWS * WIDTH, rng);
        dQkv = new float[ROWS * 3 * WIDTH];
        scratch = new float[kernels.scratchSize(N, WIDTH, HEADS, HIDDEN, HIDDEN)];
        crossCheck();
    }

    static Transformer newNet(AttentionKernels k) {
        return new Transformer(N, WIDTH, HEADS, DEPTH, k).init(new SplittableRandom(7));
    }

    static float[] uniform(int len, SplittableRandom rng) {
        float[] a = new float[len];
        for (int q = 0; q < len; q++) a[q] = (float) rng.nextDouble(-1, 1);
        return a;
    }

    /** Scalar and vector must give the same bits, or the numbers mean nothing. */
    private void crossCheck() {
        Transformer s = newNet(Kernels.attention("scalar")), v = newNet(Kernels.attention("vector"));
        for (int t = 0; t < 5; t++) {
            float ls = s.step(xs[t], ys[t], Loss.HINGE, lr, 0f), lv = v.step(xs[t], ys[t], Loss.HINGE, lr, 0f);
            if (Float.floatToRawIntBits(ls) != Float.floatToRawIntBits(lv)) {
                throw new IllegalStateException("losses differ at step " + t + ": scalar " + ls + " vector " + lv);
            }
        }
        if (!Arrays.equals(s.parameters(), v.parameters())) throw new IllegalStateException("scalar and vector parameters differ");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (float p : net.parameters()) if (!Float.isFinite(p)) throw new IllegalStateException("parameters went non-finite");
    }

    @Benchmark
    public float step() {
        int t = next;
        next = (t + 1) & (RING - 1);
        return net.step(xs[t], ys[t], Loss.HINGE, lr, 0f);
    }

    @Benchmark
    public float[] linear() {
        kernels.linear(in, ROWS, WIDTH, w, bias, HIDDEN, out);
        return out;
    }

    @Benchmark
    public float[] linearBackward() {
        kernels.linearBackward(in, dOut, ROWS, WIDTH, HIDDEN, w, dIn, gW, gBias, scratch);
        return gW;
    }

    @Benchmark
    public float[] attention() {
        kernels.attention(qkv, BATCH, N, WIDTH, HEADS, probs, att, scratch);
        return att;
    }

    @Benchmark
    public float[] attentionBackward() {
        kernels.attentionBackward(qkv, probs, dAtt, BATCH, N, WIDTH, HEADS, dQkv, scratch);
        return dQkv;
    }
}

package bitsgd.bench;

import bitsgd.harness.model.Inputs;
import bitsgd.harness.model.InitScheme;
import bitsgd.harness.model.ResNet;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.dense.DenseKernels;
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
 * The dense float path, scalar reference vs Vector API kernels:
 * <ul>
 *   <li>{@code resnetStep}: one SGD step (forward, square loss, backward, update) of the staircase paper's
 *       main ResNet, n=30, W=40, L=5, B=20 (docs/protocols.md §B), on ±1 inputs from a pre-generated ring of 64
 *       dense batches, lr 0.01, wd 0 (the paper's plain SGD);</li>
 *   <li>{@code resnetEval}: the same network's forward pass on one evaluation chunk of {@value #EVAL} ±1 samples
 *       (a staircase check is 30 such chunks);</li>
 *   <li>{@code matmul}: one {@link DenseKernels#forward} of a 256×256 batch through a 256×256 layer
 *       (2·256³ = 33.6 MFLOP per op).</li>
 * </ul>
 * {@code @Setup} throws if the two providers disagree on a few steps / one matmul.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class DenseBench {
    static final int RING = 64, N = 30, WIDTH = 40, DEPTH = 5, BATCH = 20, MM = 256, EVAL = 1024;
    static final float LR = 0.01f;

    @Param({"scalar", "vector"})
    public String impl;

    DenseKernels kernels;
    ResNet net;
    Inputs[] xs;
    float[][] ys;
    float[] lr;
    int next;

    float[] a, w, bias, out;
    Inputs evalX;
    float[] evalF;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = Kernels.dense(impl);
        SplittableRandom rng = new SplittableRandom(42);
        xs = new Inputs[RING];
        ys = new float[RING][BATCH];
        for (int r = 0; r < RING; r++) {
            xs[r] = Inputs.dense(N, BATCH);
            float[] x = xs[r].dense();
            for (int q = 0; q < x.length; q++) x[q] = rng.nextBoolean() ? 1f : -1f;
            for (int s = 0; s < BATCH; s++) {
                // staircase S_10 = (x1 + x1x2 + … + x1⋯x10)/√10
                float prod = 1, sum = 0;
                for (int i = 0; i < 10; i++) sum += prod *= x[s * N + i];
                ys[r][s] = (float) (sum / Math.sqrt(10));
            }
        }
        lr = new float[DEPTH];
        Arrays.fill(lr, LR);
        net = newNet(kernels);
        evalX = Inputs.dense(N, EVAL);
        for (int q = 0; q < evalX.dense().length; q++) evalX.dense()[q] = rng.nextBoolean() ? 1f : -1f;
        evalF = new float[EVAL];

        a = new float[MM * MM];
        w = new float[MM * MM];
        bias = new float[MM];
        out = new float[MM * MM];
        for (int q = 0; q < a.length; q++) {
            a[q] = (float) rng.nextDouble(-1, 1);
            w[q] = (float) rng.nextDouble(-1, 1);
        }
        for (int j = 0; j < MM; j++) bias[j] = (float) rng.nextDouble(-1, 1);
        crossCheck();
    }

    static ResNet newNet(DenseKernels k) {
        return new ResNet(N, WIDTH, DEPTH, k).init(InitScheme.UNIFORM, new SplittableRandom(7));
    }

    /** Scalar and vector must agree, or the numbers mean nothing. */
    private void crossCheck() {
        ResNet s = newNet(Kernels.dense("scalar")), v = newNet(Kernels.dense("vector"));
        for (int t = 0; t < 5; t++) {
            float ls = s.step(xs[t], ys[t], Loss.SQUARE, lr, 0f), lv = v.step(xs[t], ys[t], Loss.SQUARE, lr, 0f);
            if (Math.abs(ls - lv) > 1e-5f * Math.max(1f, Math.abs(ls))) {
                throw new IllegalStateException("losses differ at step " + t + ": scalar " + ls + " vector " + lv);
            }
        }
        float[] ps = s.parameters(), pv = v.parameters();
        for (int q = 0; q < ps.length; q++) {
            if (!(Math.abs(ps[q] - pv[q]) <= 1e-5f)) throw new IllegalStateException("scalar and vector params differ at " + q);
        }
        float[] os = new float[MM * MM], ov = new float[MM * MM];
        Kernels.dense("scalar").forward(a, MM, MM, w, bias, MM, os);
        Kernels.dense("vector").forward(a, MM, MM, w, bias, MM, ov);
        if (!Arrays.equals(os, ov)) throw new IllegalStateException("scalar and vector matmuls differ");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (float p : net.parameters()) if (!Float.isFinite(p)) throw new IllegalStateException("parameters went non-finite");
    }

    @Benchmark
    public float resnetStep() {
        int t = next;
        next = (t + 1) & (RING - 1);
        return net.step(xs[t], ys[t], Loss.SQUARE, lr, 0f);
    }

    @Benchmark
    public float[] resnetEval() {
        net.forward(evalX, evalF);
        return evalF;
    }

    @Benchmark
    public float[] matmul() {
        kernels.forward(a, MM, MM, w, bias, MM, out);
        return out;
    }
}

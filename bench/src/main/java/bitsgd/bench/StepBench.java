package bitsgd.bench;

import bitsgd.kernel.Kernels;
import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.mlp.MlpKernels;
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
 * One fused SGD step (forward, hinge loss, backward, update) of the 2-layer ReLU net on a fresh parity
 * batch, scalar reference vs Vector API kernels vs their plain-Java twin, at the peers' sizes (docs/performance.md, peers). lr 0.1, wd 0.01.
 * Batches come from a pre-generated ring of 64, so data generation is not timed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class StepBench {
    static final int RING = 64;
    static final float LR = 0.1f, WD = 0.01f;

    /**
     * n x k x h x B (x, not comma: JMH splits -p values on commas): the peers' shapes, (100,2,1000,32), and an
     * awkward one (n past a 64-bit word, h = 2 vectors + 5 at 512 bits, B not a multiple of 4)
     */
    @Param({"20x3x100x32", "50x3x1000x32", "50x3x1000x256", "100x2x1000x32", "65x3x37x33"})
    public String shape;

    /** twin: the vector kernels' algorithm in plain Java (what a cold run starts on; the same bits as vector) */
    @Param({"scalar", "vector", "twin"})
    public String impl;

    /** Threads one step is split over (the vector kernels split the hidden units; scalar and twin run on one). */
    @Param({"1", "2"})
    public int threads;

    MlpKernels kernels;
    MlpKernels.Workspace ws;
    Mlp2 net;
    BitBatch[] xs;
    float[][] ys;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
        int[] s = BenchData.shape(shape);
        int n = s[0], k = s[1], h = s[2], batch = s[3];
        kernels = Kernels.mlp(impl);
        ys = new float[RING][];
        xs = BenchData.batches(n, k, batch, RING, 42, ys);
        net = BenchData.initNet(n, h, 7);
        crossCheck(n, h, batch);
        ws = kernels.workspace(n, h, batch, threads);
        if (ws.threads() != threads && "vector".equals(impl) && h >= 1000) {
            throw new IllegalStateException("asked for " + threads + " threads, the step runs on " + ws.threads());
        }
    }

    /** Scalar and vector must agree on a few steps from the same start, or the numbers mean nothing. */
    private void crossCheck(int n, int h, int batch) {
        MlpKernels sc = Kernels.mlp("scalar"), ve = Kernels.mlp("vector");
        Mlp2 a = net.copy(), b = net.copy();
        MlpKernels.Workspace wa = sc.workspace(n, h, batch), wb = ve.workspace(n, h, batch);
        for (int t = 0; t < 5; t++) {
            float la = sc.step(a, xs[t], ys[t], Loss.HINGE, LR, LR, WD, wa);
            float lb = ve.step(b, xs[t], ys[t], Loss.HINGE, LR, LR, WD, wb);
            if (Math.abs(la - lb) > 1e-4f * Math.max(1f, Math.abs(la))) {
                throw new IllegalStateException("losses differ at step " + t + ": scalar " + la + " vector " + lb);
            }
        }
        float d = a.maxAbsDiff(b);
        if (!(d <= 1e-4f)) throw new IllegalStateException("scalar and vector params differ by " + d + " after 5 steps");
        // the twin must give the vector kernels' bits exactly
        MlpKernels tw = Kernels.mlp("twin");
        Mlp2 c = net.copy();
        MlpKernels.Workspace wc = tw.workspace(n, h, batch);
        for (int t = 0; t < 5; t++) tw.step(c, xs[t], ys[t], Loss.HINGE, LR, LR, WD, wc);
        if (!c.bitEquals(b)) throw new IllegalStateException("twin and vector params differ after 5 steps: " + c.maxAbsDiff(b));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (!BenchData.finite(net)) throw new IllegalStateException("parameters went non-finite: lower lr");
    }

    @Benchmark
    public float step() {
        int t = next;
        next = (t + 1) & (RING - 1);
        return kernels.step(net, xs[t], ys[t], Loss.HINGE, LR, LR, WD, ws);
    }
}

package bitsgd.bench;

import bitsgd.kernel.Kernels;
import bitsgd.kernel.bits.BitBatch;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Forward-only evaluation (the accuracy check of docs/architecture.md, convergence checks): outputs for an eval batch of 256 or 8192
 * samples, scalar reference vs Vector API kernels. At 32 samples it is the forward half of a training step:
 * StepBench at the same n, h and B = 32 minus this is the backward + fused update, which never runs alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class ForwardBench {

    /** n x h (65x37: n past a 64-bit word, h = 2 vectors + 5 at 512 bits) */
    @Param({"20x100", "50x1000", "65x37"})
    public String shape;

    @Param({"32", "33", "256", "8192"})
    public int samples;

    @Param({"scalar", "vector", "twin"})
    public String impl;

    MlpKernels kernels;
    MlpKernels.Workspace ws;
    Mlp2 net;
    BitBatch x;
    float[] f;

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.split("x");
        int n = Integer.parseInt(p[0].trim()), h = Integer.parseInt(p[1].trim());
        kernels = Kernels.mlp(impl);
        net = BenchData.initNet(n, h, 7);
        x = BenchData.batches(n, 1, samples, 1, 43, null)[0];
        f = new float[samples];
        ws = kernels.workspace(n, h, samples);
        // cross-check: the two kernels must agree on these outputs
        float[] fs = new float[samples], fv = new float[samples];
        Kernels.mlp("scalar").forward(net, x, fs, Kernels.mlp("scalar").workspace(n, h, samples));
        Kernels.mlp("vector").forward(net, x, fv, Kernels.mlp("vector").workspace(n, h, samples));
        float[] ft = new float[samples];
        Kernels.mlp("twin").forward(net, x, ft, Kernels.mlp("twin").workspace(n, h, samples));
        for (int b = 0; b < samples; b++) {
            if (Float.floatToIntBits(ft[b]) != Float.floatToIntBits(fv[b])) {
                throw new IllegalStateException("twin forward differs from vector at sample " + b + ": " + ft[b] + " vs " + fv[b]);
            }
            if (Math.abs(fs[b] - fv[b]) > 1e-4f * Math.max(1f, Math.abs(fs[b]))) {
                throw new IllegalStateException("forward differs at sample " + b + ": " + fs[b] + " vs " + fv[b]);
            }
        }
    }

    @Benchmark
    public void forward(Blackhole bh) {
        kernels.forward(net, x, f, ws);
        bh.consume(f);
    }
}

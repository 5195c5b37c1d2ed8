package bitsgd.bench;

import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.popgrad.PopGrad;
import bitsgd.kernel.popgrad.PopGradKernels;
import bitsgd.kernel.popgrad.PopGrads;
import bitsgd.kernel.popgrad.PopTarget;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One question: how long does the exact population gradient (all 2^n inputs) take, scalar vs vector?
 * Lane-ops/s = 2^n · h · 9 / time (9 arithmetic ops per input per hidden unit, see PopulationGradient).
 *
 * <pre>
 *   java --add-modules=jdk.incubator.vector -jar bench/target/benchmarks.jar PopGradBench
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class PopGradBench {

    @Param({"vector", "scalar"})
    public String impl;

    @Param({"20"})
    public int n;

    @Param({"100"})
    public int h;

    @Param({"HINGE"})
    public Loss loss;

    private PopGradKernels kernels;
    private Mlp2 net;
    private PopTarget target;

    @Setup
    public void setup() {
        kernels = PopGrads.byName(impl);
        net = BenchData.initNet(n, h, 1);
        target = PopTarget.parity(n, 0, n / 2, n - 1);
        // the variants must agree (on a smaller n, so the scalar twin does not dominate set-up)
        Mlp2 small = BenchData.initNet(12, h, 2);
        PopTarget t12 = PopTarget.parity(12, 0, 5, 11);
        PopGrad s = PopGrads.scalar().compute(small, t12, loss, 0), v = kernels.compute(small, t12, loss, 0);
        if (s.maxAbsDiff(v) > 1e-5 * Math.max(1, s.maxAbs())) throw new IllegalStateException(impl + " disagrees with scalar: " + s.maxAbsDiff(v));
    }

    @Benchmark
    public PopGrad popgrad() {
        return kernels.compute(net, target, loss, 0);
    }
}

import bitsgd.kernel.Kernels;
import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.bits.Bits;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.mlp.MlpKernels;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * A/B timer for one fused MLP step on a shared machine: thread CPU time per step (robust to other
 * processes taking the core) next to wall time, per round, for any jar that holds the kernels.
 * Same data as StepBench (ring of 64 parity batches, seed 42, net seed 7, hinge, lr 0.1, wd 0.01).
 *
 *   java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar scripts/StepCpu.java \
 *        [impl=vector] [threads=1] [rounds=7] [seconds=1] 50x3x1000x32 ...
 *
 * Prints one line per shape: median CPU µs/step [min–max] over the rounds, and the median wall µs (with
 * threads=T > 1 the workers' CPU time is not counted: compare the wall times).
 */
public class StepCpu {
    public static void main(String[] args) {
        String impl = "vector";
        int threads = 1;
        int rounds = 7;
        double seconds = 1.0;
        java.util.List<String> shapes = new java.util.ArrayList<>();
        for (String a : args) {
            if (a.startsWith("threads=")) threads = Integer.parseInt(a.substring(8));
            else if (a.startsWith("impl=")) impl = a.substring(5);
            else if (a.startsWith("rounds=")) rounds = Integer.parseInt(a.substring(7));
            else if (a.startsWith("seconds=")) seconds = Double.parseDouble(a.substring(8));
            else shapes.add(a);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (String shape : shapes) {
            String[] p = shape.split("x");
            int n = Integer.parseInt(p[0]), k = Integer.parseInt(p[1]), h = Integer.parseInt(p[2]), bsz = Integer.parseInt(p[3]);
            MlpKernels kern = Kernels.mlp(impl);
            SplittableRandom rng = new SplittableRandom(42);
            int[] support = rng.ints(0, n).distinct().limit(k).toArray();
            long[] mask = Bits.mask(n, support);
            BitBatch[] xs = new BitBatch[64];
            float[][] ys = new float[64][bsz];
            for (int t = 0; t < 64; t++) {
                xs[t] = new BitBatch(n, bsz);
                xs[t].fillUniform(rng);
                xs[t].columns();
                for (int b = 0; b < bsz; b++) ys[t][b] = Bits.parity(xs[t].rows(), b, xs[t].words(), mask);
            }
            Mlp2 net = new Mlp2(n, h).initUniform(new SplittableRandom(7));
            MlpKernels.Workspace ws = kern.workspace(n, h, bsz, threads);
            float sink = 0;
            // warm-up: C2 must have compiled everything
            long end = System.nanoTime() + (long) (3e9 * seconds);
            int t = 0;
            while (System.nanoTime() < end) {
                for (int r = 0; r < 64; r++) sink += kern.step(net, xs[t = (t + 1) & 63], ys[t], Loss.HINGE, 0.1f, 0.1f, 0.01f, ws);
            }
            double[] cpu = new double[rounds], wall = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long c0 = mx.getCurrentThreadCpuTime(), w0 = System.nanoTime();
                long steps = 0;
                long stop = w0 + (long) (1e9 * seconds);
                while (System.nanoTime() < stop) {
                    for (int q = 0; q < 64; q++) sink += kern.step(net, xs[t = (t + 1) & 63], ys[t], Loss.HINGE, 0.1f, 0.1f, 0.01f, ws);
                    steps += 64;
                }
                cpu[r] = (mx.getCurrentThreadCpuTime() - c0) / 1e3 / steps;
                wall[r] = (System.nanoTime() - w0) / 1e3 / steps;
            }
            java.util.Arrays.sort(cpu);
            java.util.Arrays.sort(wall);
            System.out.printf("%-16s %-10s cpu %8.2f [%.2f-%.2f] us/step   wall %8.2f [%.2f-%.2f]   (%s)%n",
                    shape, kern.name(), cpu[rounds / 2], cpu[0], cpu[rounds - 1], wall[rounds / 2], wall[0], wall[rounds - 1],
                    Float.isFinite(sink) ? "ok" : "non-finite");
        }
    }
}

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A/B timer for one fused MLP step from two builds in ONE process: each jar gets its own class loader (so its own
 * copy of the kernels, compiled on its own), and the two run in alternating rounds, so the drift of a shared
 * machine (which moves one-process timings by 2x from minute to minute) hits both sides alike. Thread CPU time
 * per step, same data as StepCpu / StepBench (ring of 64 parity batches, seed 42, net seed 7, hinge, lr 0.1,
 * wd 0.01). With threads=T > 1 it times wall clock instead (the workers' CPU time is not the caller's).
 *
 *   java --add-modules=jdk.incubator.vector scripts/StepAB.java A.jar B.jar \
 *        [impl=vector] [threads=1] [rounds=15] [seconds=0.3] 50x3x1000x32 ...
 *
 * Prints per shape: the median µs/step [min–max] of each side over the rounds, and the median [min–max] of the
 * per-round ratios B/A (below 1: B is faster). Build A from the commit before a change with
 * {@code git worktree add /tmp/a HEAD~1 && (cd /tmp/a && mvn -q -DskipTests package)}.
 *
 * <p>Two copies of the kernels in one JVM share the JDK's Vector API code and its profiles, so both sides run
 * slower than alone and the side order can tilt the ratio by a few percent: run it a second time with the jars
 * swapped, and take the geometric mean of B/A and 1/(the swapped B/A).
 */
public class StepAB {
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: StepAB A.jar B.jar [impl=vector] [threads=1] [rounds=15] [seconds=0.3] NxKxHxB ...");
            System.exit(2);
        }
        String impl = "vector";
        int threads = 1, rounds = 15;
        double seconds = 0.3;
        List<String> shapes = new ArrayList<>();
        for (String a : Arrays.copyOfRange(args, 2, args.length)) {
            if (a.startsWith("threads=")) threads = Integer.parseInt(a.substring(8));
            else if (a.startsWith("impl=")) impl = a.substring(5);
            else if (a.startsWith("rounds=")) rounds = Integer.parseInt(a.substring(7));
            else if (a.startsWith("seconds=")) seconds = Double.parseDouble(a.substring(8));
            else shapes.add(a);
        }
        ClassLoader[] loaders = {loader(args[0]), loader(args[1])};
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (String shape : shapes) {
            Side[] sides = {new Side(loaders[0], shape, impl, threads), new Side(loaders[1], shape, impl, threads)};
            boolean wall = threads > 1;
            for (Side s : sides) s.run(3 * seconds, mx, wall); // warm-up: C2 compiles each side's kernels
            double[][] us = new double[2][rounds];
            for (int r = 0; r < rounds; r++) {
                // alternate which side goes first, so neither always follows the other
                for (int k = 0; k < 2; k++) {
                    int side = (r + k) & 1;
                    us[side][r] = sides[side].run(seconds, mx, wall);
                }
            }
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) ratio[r] = us[1][r] / us[0][r];
            System.out.printf("%-16s A %8.2f [%.2f-%.2f]  B %8.2f [%.2f-%.2f] us/step   B/A %.3f [%.3f-%.3f]%s%n", shape,
                    median(us[0]), min(us[0]), max(us[0]), median(us[1]), min(us[1]), max(us[1]),
                    median(ratio), min(ratio), max(ratio), sides[0].finite() && sides[1].finite() ? "" : "   (non-finite)");
        }
    }

    private static ClassLoader loader(String jar) throws Exception {
        URL url = Path.of(jar).toAbsolutePath().toUri().toURL();
        // the platform loader as parent: the kernels come from this jar, the Vector API from the boot layer
        return new URLClassLoader(new URL[] {url}, ClassLoader.getPlatformClassLoader());
    }

    /** One build's kernels, net and batches, driven by reflection (the two builds' classes are distinct). */
    private static final class Side {
        final Object kern, net, ws, hinge;
        final Object[] xs;
        final float[][] ys;
        final Method step;
        float sink;
        int t;

        Side(ClassLoader cl, String shape, String impl, int threads) throws Exception {
            String[] p = shape.split("x");
            int n = Integer.parseInt(p[0]), k = Integer.parseInt(p[1]), h = Integer.parseInt(p[2]), bsz = Integer.parseInt(p[3]);
            Class<?> kernels = cl.loadClass("bitsgd.kernel.Kernels"), bits = cl.loadClass("bitsgd.kernel.bits.Bits");
            Class<?> batch = cl.loadClass("bitsgd.kernel.bits.BitBatch"), mlp2 = cl.loadClass("bitsgd.kernel.mlp.Mlp2");
            Class<?> loss = cl.loadClass("bitsgd.kernel.mlp.Loss"), kinds = cl.loadClass("bitsgd.kernel.mlp.MlpKernels");
            Class<?> workspace = cl.loadClass("bitsgd.kernel.mlp.MlpKernels$Workspace");
            kern = kernels.getMethod("mlp", String.class).invoke(null, impl);
            SplittableRandom rng = new SplittableRandom(42);
            int[] support = rng.ints(0, n).distinct().limit(k).toArray();
            long[] mask = (long[]) bits.getMethod("mask", int.class, int[].class).invoke(null, n, support);
            Method parity = bits.getMethod("parity", long[].class, int.class, int.class, long[].class);
            xs = new Object[64];
            ys = new float[64][bsz];
            for (int i = 0; i < 64; i++) {
                xs[i] = batch.getConstructor(int.class, int.class).newInstance(n, bsz);
                batch.getMethod("fillUniform", RandomGenerator.class).invoke(xs[i], rng);
                batch.getMethod("columns").invoke(xs[i]);
                long[] rows = (long[]) batch.getMethod("rows").invoke(xs[i]);
                int words = (int) batch.getMethod("words").invoke(xs[i]);
                for (int b = 0; b < bsz; b++) ys[i][b] = ((Number) parity.invoke(null, rows, b, words, mask)).floatValue();
            }
            Object fresh = mlp2.getConstructor(int.class, int.class).newInstance(n, h);
            net = mlp2.getMethod("initUniform", RandomGenerator.class).invoke(fresh, new SplittableRandom(7));
            ws = kinds.getMethod("workspace", int.class, int.class, int.class, int.class).invoke(kern, n, h, bsz, threads);
            hinge = loss.getField("HINGE").get(null);
            step = kinds.getMethod("step", mlp2, batch, float[].class, loss, float.class, float.class, float.class, workspace);
        }

        /** Steps for about {@code seconds}; returns µs per step of this thread's CPU time, or of the wall clock. */
        double run(double seconds, ThreadMXBean mx, boolean wall) throws Exception {
            long c0 = mx.getCurrentThreadCpuTime(), w0 = System.nanoTime(), stop = w0 + (long) (1e9 * seconds), steps = 0;
            while (System.nanoTime() < stop) {
                for (int q = 0; q < 64; q++) {
                    t = (t + 1) & 63;
                    sink += (float) step.invoke(kern, net, xs[t], ys[t], hinge, 0.1f, 0.1f, 0.01f, ws);
                }
                steps += 64;
            }
            return ((wall ? System.nanoTime() - w0 : mx.getCurrentThreadCpuTime() - c0)) / 1e3 / steps;
        }

        boolean finite() {
            return Float.isFinite(sink);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}

package bitsgd.harness.profile;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures the machine's limit for the kind of work the MLP kernels do: independent float vector adds
 * held in registers, one core. The result, lane-adds per second, is the ceiling that "share of the
 * machine" in the profile table is computed against (e.g. Zen3, AVX2, 3.2 GHz: 2 adds × 8 lanes per cycle ≈ 51 G/s).
 */
public final class MachineProbe {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private MachineProbe() {}

    /** Peak lane-adds per second, the best of {@code rounds} timed runs of about {@code millis} ms each. */
    public static double peakLaneAddsPerSecond(int rounds, int millis) {
        long iters = 1 << 16;
        double best = 0;
        float sink = 0;
        // warm up until C2 has compiled the loop, then size a round to ~millis
        for (int w = 0; w < 20; w++) sink += addLoop(iters);
        long t0 = System.nanoTime();
        sink += addLoop(iters);
        long dt = Math.max(1, System.nanoTime() - t0);
        long perRound = Math.max(iters, iters * millis * 1_000_000L / dt);
        for (int r = 0; r < rounds; r++) {
            long s = System.nanoTime();
            sink += addLoop(perRound);
            long e = System.nanoTime() - s;
            best = Math.max(best, (double) perRound * 8 * F.length() / (e * 1e-9));
        }
        if (sink == 42f) System.out.print(""); // keeps the result alive
        return best;
    }

    /** 8 independent accumulators: enough to cover add latency (3 cycles) × 2 ports on current x86. */
    private static float addLoop(long iters) {
        // distinct starts and steps, so the JIT cannot merge the eight chains into one
        FloatVector d0 = FloatVector.broadcast(F, 1e-7f), d1 = FloatVector.broadcast(F, 2e-7f);
        FloatVector a0 = FloatVector.broadcast(F, 0f), a1 = FloatVector.broadcast(F, 1f);
        FloatVector a2 = FloatVector.broadcast(F, 2f), a3 = FloatVector.broadcast(F, 3f);
        FloatVector a4 = FloatVector.broadcast(F, 4f), a5 = FloatVector.broadcast(F, 5f);
        FloatVector a6 = FloatVector.broadcast(F, 6f), a7 = FloatVector.broadcast(F, 7f);
        for (long i = 0; i < iters; i++) {
            a0 = a0.add(d0); a1 = a1.add(d1); a2 = a2.add(d0); a3 = a3.add(d1);
            a4 = a4.add(d0); a5 = a5.add(d1); a6 = a6.add(d0); a7 = a7.add(d1);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    /** The CPU's model name from /proc/cpuinfo (with family/model numbers), or os.arch elsewhere. */
    public static String cpuModel() {
        try {
            String name = null, family = null, model = null;
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
                int c = line.indexOf(':');
                if (c < 0) continue;
                String key = line.substring(0, c).trim(), value = line.substring(c + 1).trim();
                if (name == null && key.equals("model name")) name = value;
                if (family == null && key.equals("cpu family")) family = value;
                if (model == null && key.equals("model")) model = value;
            }
            return name == null ? System.getProperty("os.arch") : name + " (family " + family + ", model " + model + ")";
        } catch (java.io.IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }

    /** Vector lanes of the preferred float species (what the probe measured with). */
    public static int lanes() {
        return F.length();
    }
}

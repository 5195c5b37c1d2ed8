package bitsgd.harness.profile;

import bitsgd.harness.profile.Profile.Shape;
import bitsgd.harness.train.Throughput;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.bits.Bits;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.mlp.VectorMlpKernels;
import bitsgd.kernel.mlp.VectorMlpKernels.Phase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code profile --phases}: the vector kernels' ReLU step at a shape, one phase at a time over every column block
 * ({@link VectorMlpKernels#phaseTimer}), next to the whole step, so each phase can be set against its part of the op
 * bound ({@link Profile.VectorOps#phases}). One thread, one batch of the protocol's data, every rate 0.
 */
public final class PhaseProfile {
    private PhaseProfile() {}

    /** The four block phases in step order, matching {@link Profile.VectorOps#phases}. */
    static final Phase[] PHASES = {Phase.FORWARD_TABLES, Phase.FORWARD_LOOKUPS, Phase.DELTA_TABLES, Phase.UPDATE};

    /**
     * ns per step of the whole step ({@code step}), of each block phase ({@code phase[i]}, in {@link #PHASES} order)
     * and of the rest of the step ({@code rest}), one value per round; column blocks of {@code lanes} units.
     */
    public record Result(Shape shape, int lanes, double[] step, double[][] phase, double[] rest) {
        public int blocks() {
            return shape.vectorOps(lanes).blocks();
        }

        /** The medians of the parts timed alone, added up: the whole step if no part slows or speeds another. */
        public double partsNanos() {
            double sum = Throughput.median(rest);
            for (double[] p : phase) sum += Throughput.median(p);
            return sum;
        }

        /** {loads, stores} per step of phase i. */
        public long[] ops(int i) {
            long[] perBlock = Profile.VectorOps.phases(shape)[i];
            return new long[] {perBlock[0] * blocks(), perBlock[1] * blocks()};
        }

        /** The op bound of phase i: its loads at the lookup cost plus its stores at the store cost. */
        public double boundNanos(int i, Profile.TableCosts costs) {
            long[] o = ops(i);
            return o[0] * costs.lookupNs() + o[1] * costs.storeNs();
        }

        public Map<String, Object> toMap(Profile.TableCosts costs) {
            var m = new LinkedHashMap<String, Object>();
            m.put("n", shape.n());
            m.put("k", shape.k());
            m.put("width", shape.h());
            m.put("batch", shape.batch());
            m.put("step_ns_median", Throughput.median(step));
            m.put("step_op_bound_ns", costs == null ? null : costs.boundNanos(shape));
            var phases = new ArrayList<Object>();
            for (int i = 0; i < PHASES.length; i++) {
                var r = new LinkedHashMap<String, Object>();
                r.put("phase", PHASES[i].label);
                r.put("ns_median", Throughput.median(phase[i]));
                r.put("ns_min", Throughput.min(phase[i]));
                r.put("ns_max", Throughput.max(phase[i]));
                r.put("loads", ops(i)[0]);
                r.put("stores", ops(i)[1]);
                r.put("op_bound_ns", costs == null ? null : boundNanos(i, costs));
                phases.add(r);
            }
            m.put("phases", phases);
            m.put("rest_ns_median", Throughput.median(rest));
            m.put("parts_ns", partsNanos());
            return m;
        }
    }

    /**
     * Times the whole step and each phase at {@code shape} in {@code rounds} alternating rounds of about
     * {@code roundSeconds} each, after a warm-up of the same length per part (C2 compiles the phase loop).
     */
    public static Result measure(Shape shape, int rounds, double roundSeconds) {
        VectorMlpKernels vector = Kernels.vectorMlp();
        SplittableRandom rng = new SplittableRandom(0);
        Mlp2 net = new Mlp2(shape.n(), shape.h()).initUniform(rng);
        BitBatch x = new BitBatch(shape.n(), shape.batch());
        x.fillUniform(rng);
        long[] mask = Bits.mask(shape.n(), rng.ints(0, shape.n()).distinct().limit(shape.k()).toArray());
        float[] y = new float[shape.batch()];
        for (int b = 0; b < y.length; b++) y[b] = Bits.parity(x.rows(), b, x.words(), mask);
        VectorMlpKernels.PhaseTimer timer = vector.phaseTimer(net, x, y, Loss.HINGE);

        Phase[] all = new Phase[PHASES.length + 2];
        all[0] = Phase.STEP;
        System.arraycopy(PHASES, 0, all, 1, PHASES.length);
        all[all.length - 1] = Phase.REST;
        int[] steps = new int[all.length];
        for (int p = 0; p < all.length; p++) steps[p] = calibrate(timer, all[p], roundSeconds);
        double[][] ns = new double[all.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int p = 0; p < all.length; p++) ns[p][r] = timer.nanos(all[p], steps[p]);
        }
        double[][] phase = new double[PHASES.length][];
        System.arraycopy(ns, 1, phase, 0, PHASES.length);
        return new Result(shape, VectorMlpKernels.lanes(), ns[0], phase, ns[all.length - 1]);
    }

    /** Runs {@code phase} for about {@code seconds} (the warm-up) and returns the step count of a round that long. */
    private static int calibrate(VectorMlpKernels.PhaseTimer timer, Phase phase, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int steps = 16;
        double ns = timer.nanos(phase, steps);
        while (System.nanoTime() < end) ns = timer.nanos(phase, steps);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, seconds * 1e9 / ns));
    }

    /** The rows of profile.md's phase table for one shape. */
    public static List<String> markdownRows(Result r, Profile.TableCosts costs) {
        List<String> rows = new ArrayList<>();
        Shape s = r.shape();
        double step = Throughput.median(r.step());
        double stepBound = costs == null ? Double.NaN : costs.boundNanos(s);
        rows.add(row(s.toString(), Phase.STEP.label, r.step(), s.vectorOps(r.lanes()).loads() * r.blocks(),
                s.vectorOps(r.lanes()).stores() * r.blocks(), stepBound, step));
        for (int i = 0; i < PHASES.length; i++) {
            double med = Throughput.median(r.phase()[i]);
            rows.add(row("", PHASES[i].label, r.phase()[i], r.ops(i)[0], r.ops(i)[1], costs == null ? Double.NaN : r.boundNanos(i, costs), med));
        }
        double rest = Throughput.median(r.rest());
        rows.add(row("", Phase.REST.label, r.rest(), -1, -1, Double.NaN, rest));
        rows.add(String.format(Locale.ROOT, "| | the parts added up | %.1f (%.2f× the whole step) | | | | |",
                r.partsNanos() / 1e3, r.partsNanos() / step));
        return rows;
    }

    /** A count of vector operations, or – where none are counted (negative). */
    private static String count(long ops) {
        return ops < 0 ? "–" : String.format(Locale.ROOT, "%,d", ops);
    }

    private static String row(String shape, String label, double[] ns, long loads, long stores, double bound, double med) {
        return String.format(Locale.ROOT, "| %s | %s | %.1f [%.1f–%.1f] | %s | %s | %s | %s |", shape, label, med / 1e3,
                Throughput.min(ns) / 1e3, Throughput.max(ns) / 1e3, count(loads), count(stores),
                Double.isNaN(bound) ? "–" : String.format(Locale.ROOT, "%.1f", bound / 1e3),
                Double.isNaN(bound) ? "–" : String.format(Locale.ROOT, "%.2f×", med / bound));
    }
}

package bitsgd.harness.profile;

import bitsgd.harness.train.RunResult;
import bitsgd.harness.train.Throughput;
import bitsgd.harness.train.TrainConfig;
import bitsgd.harness.train.Trainer;
import bitsgd.kernel.mlp.MlpKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The throughput and time-to-solve protocol of the speed goals (docs/performance.md, peers):
 * hinge loss, SGD lr 0.1 with weight decay 0.01, a fresh batch every step, one thread.
 */
public final class Profile {
    private Profile() {}

    /** A network/task size (n, k, h, B). */
    public record Shape(int n, int k, int h, int batch) {
        public static Shape parse(String s) {
            String[] p = s.split(",");
            if (p.length != 4) throw new IllegalArgumentException("shape must be n,k,width,batch, got '" + s + "'");
            try {
                return new Shape(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()),
                        Integer.parseInt(p[2].trim()), Integer.parseInt(p[3].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("shape must be four integers n,k,width,batch, got '" + s + "'");
            }
        }

        /** The peers' training config for this shape. */
        public TrainConfig config(long seed) {
            return TrainConfig.defaults(n, k).withTraining(h, batch, 0.1, 0.01, bitsgd.kernel.mlp.Loss.HINGE).withSeed(seed);
        }

        /**
         * Lane-adds a dense implementation of one step needs: B·n·h for the forward row adds,
         * B·n·h for ∂W = Σ_b x_b δ_b, n·h for the update. Lookup-table kernels do less work than this.
         */
        public double denseLaneAdds() {
            return (2.0 * batch + 1.0) * n * h;
        }

        /** The vector memory operations of one step of the lookup-table kernels with {@code lanes}-float vectors. */
        public VectorOps vectorOps(int lanes) {
            return VectorOps.of(this, lanes);
        }

        @Override
        public String toString() {
            return "(" + n + "," + k + "," + h + "," + batch + ")";
        }
    }

    /**
     * Op-count model of one step of the lookup-table vector kernels (VectorMlpKernels) at a shape: the vector
     * memory operations per column block of {@code lanes} hidden units, and {@code blocks} = ⌈h/L⌉ column blocks
     * (the zero-padded tail is one). With G = ⌈n/4⌉ input groups and Q = ⌈B/4⌉ sample groups, per block:
     * <ul>
     *   <li>table lookups B·G (forward) + n·Q (∂W);</li>
     *   <li>table stores 15·G + 15·Q (entry 0 of every table is a constant zero, written once);</li>
     *   <li>other loads 4G (W rows for the tables) + n (W rows in the update) + 4Q (z rows in the backward)
     *       + B (f partials);</li>
     *   <li>other stores n (W) + B (z) + B (f partials).</li>
     * </ul>
     * {@link #boundNanos} prices loads at the measured lookup cost and stores at the measured store cost
     * ({@link MachineProbe#lookupNanos}, {@link MachineProbe#storeNanos}) and adds them up: it assumes loads and
     * stores do not overlap (measured on a Zen 4 host: a forward-shaped mix of table stores and lookups took about
     * the sum of the two run alone). Adds, FMAs, nibble extraction and the scalar loss are not counted. It is a
     * bound for this table scheme written with the Vector API (its bounds-checked segment loads included), not
     * for the hardware.
     */
    public record VectorOps(int blocks, long lookups, long tableStores, long otherLoads, long otherStores) {
        public static VectorOps of(Shape s, int lanes) {
            if (lanes < 1) throw new IllegalArgumentException("lanes must be >= 1, got " + lanes);
            long[] sum = new long[4];
            for (long[] phase : byPhase(s)) for (int c = 0; c < 4; c++) sum[c] += phase[c];
            return new VectorOps((s.h() + lanes - 1) / lanes, sum[0], sum[2], sum[1], sum[3]);
        }

        /**
         * The same operations split by the phase of the step that does them, per column block, in step order:
         * {loads, stores} of the forward tables (4G W rows; 15G entries), the forward lookups (B·G lookups and B f
         * partials; B z rows and B f partials), the δ tables (4Q z rows; 15Q entries) and the ∂W lookups with the W
         * update (n·Q lookups and n W rows; n W rows). They add up to {@link #loads} and {@link #stores}.
         */
        public static long[][] phases(Shape s) {
            long[][] by = byPhase(s), r = new long[by.length][];
            for (int i = 0; i < by.length; i++) r[i] = new long[] {by[i][0] + by[i][1], by[i][2] + by[i][3]};
            return r;
        }

        /** Per phase (in {@link #phases} order), per block: {table lookups, other loads, table stores, other stores}. */
        private static long[][] byPhase(Shape s) {
            long n = s.n(), batch = s.batch();
            long groups = (n + 3) / 4, sampleGroups = (batch + 3) / 4;
            return new long[][] {
                    {0, 4 * groups, 15 * groups, 0},                      // forward tables
                    {batch * groups, batch, 0, 2 * batch},                // forward lookups
                    {0, 4 * sampleGroups, 15 * sampleGroups, 0},          // δ tables
                    {n * sampleGroups, n, 0, n}};                         // ∂W lookups + W update
        }

        /** Vector loads of one column block: table lookups and the others. */
        public long loads() {
            return lookups + otherLoads;
        }

        /** Vector stores of one column block: table entries and the others. */
        public long stores() {
            return tableStores + otherStores;
        }

        /** ns per step: blocks · (loads · lookupNs + stores · storeNs), loads and stores not overlapping. */
        public double boundNanos(double lookupNs, double storeNs) {
            return blocks * (loads() * lookupNs + stores() * storeNs);
        }

        /**
         * ns per step at the core's peak port rates: blocks · max(loads · loadNs, stores · storeNs) with the best
         * measured cost of a load and of a store, loads and stores on their own ports and overlapping fully, every other
         * instruction free. No code of this scheme beats it on this core.
         */
        public double portBoundNanos(double loadNs, double storeNs) {
            return blocks * Math.max(loads() * loadNs, stores() * storeNs);
        }
    }

    /**
     * The measured costs the bounds are priced with: a table lookup and a table store ({@link VectorOps#boundNanos});
     * a load at the core's peak rate, consecutive aligned vectors, and the same store ({@link VectorOps#portBoundNanos});
     * a clock cycle, to state both rates per cycle.
     */
    public record TableCosts(int lanes, double lookupNs, double storeNs, double streamLoadNs, double cycleNs) {
        public double boundNanos(Shape s) {
            return s.vectorOps(lanes).boundNanos(lookupNs, storeNs);
        }

        public double portBoundNanos(Shape s) {
            return s.vectorOps(lanes).portBoundNanos(streamLoadNs, storeNs);
        }

        public double loadsPerCycle() {
            return cycleNs / streamLoadNs;
        }

        public double storesPerCycle() {
            return cycleNs / storeNs;
        }
    }

    /** Rates of each implementation over the rounds; {@code threads[i]}: the threads implementation i's steps ran on. */
    public record ThroughputRow(Shape shape, List<String> impls, int[] threads, double[][] stepsPerSecond) {
        /** Whether implementation {@code impl} is the lookup-table vector kernels the op-count bound models. */
        public static boolean isVector(String impl) {
            return impl.startsWith("vector");
        }

        /** The row as JSON; {@code costs} (null when the table probes did not run) adds the op bound to vector rows. */
        public Map<String, Object> toMap(double peakLaneAdds, TableCosts costs) {
            var m = new LinkedHashMap<String, Object>();
            m.put("n", shape.n);
            m.put("k", shape.k);
            m.put("width", shape.h);
            m.put("batch", shape.batch);
            for (int i = 0; i < impls.size(); i++) {
                double med = Throughput.median(stepsPerSecond[i]);
                var r = new LinkedHashMap<String, Object>();
                r.put("steps_per_second_median", med);
                r.put("steps_per_second_min", Throughput.min(stepsPerSecond[i]));
                r.put("steps_per_second_max", Throughput.max(stepsPerSecond[i]));
                r.put("samples_per_second", med * shape.batch);
                r.put("ns_per_step", 1e9 / med);
                r.put("dense_lane_adds_per_second", med * shape.denseLaneAdds());
                r.put("share_of_peak", med * shape.denseLaneAdds() / peakLaneAdds);
                r.put("threads", threads[i]);
                if (costs != null && isVector(impls.get(i))) {
                    // the bounds are per core: a step split over T cores can at best take 1/T of them
                    double bound = costs.boundNanos(shape) / threads[i], port = costs.portBoundNanos(shape) / threads[i];
                    r.put("op_bound_ns_per_step", bound);
                    r.put("share_of_op_bound", bound * med / 1e9);
                    r.put("port_bound_ns_per_step", port);
                    r.put("share_of_port_bound", port * med / 1e9);
                }
                r.put("rounds", Arrays.stream(stepsPerSecond[i]).boxed().toList());
                m.put(impls.get(i), r);
            }
            for (int i = 1; i < impls.size(); i++) {
                m.put("ratio_" + impls.get(i) + "_over_" + impls.get(0),
                        Throughput.median(stepsPerSecond[i]) / Throughput.median(stepsPerSecond[0]));
            }
            return m;
        }
    }

    /** Side by side: each of {@code impls} on the threads asked for at the same index of {@code threads}. */
    public static ThroughputRow throughput(Shape shape, List<MlpKernels> impls, int[] threads, int rounds, double roundSeconds) {
        Throughput.Rates r = Throughput.measure(shape.config(0), impls, threads, rounds, roundSeconds, Math.max(0.5, roundSeconds));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < impls.size(); i++) names.add(impls.get(i).name() + (r.threads()[i] > 1 ? " ×" + r.threads()[i] : ""));
        return new ThroughputRow(shape, names, r.threads(), r.stepsPerSecond());
    }

    /** Time-to-solve runs of one shape over seeds 0..seeds−1 with the peers' protocol. */
    public record SolveRow(Shape shape, List<RunResult> runs, RunResult coldRun) {
        public long solved() {
            return runs.stream().filter(RunResult::solved).count();
        }

        public double[] solveMillis() {
            return runs.stream().filter(RunResult::solved).mapToDouble(r -> r.solveSeconds() * 1e3).toArray();
        }

        public double[] steps() {
            return runs.stream().filter(RunResult::solved).mapToDouble(r -> r.tC()).toArray();
        }

        public double[] evalShare() {
            return runs.stream().filter(RunResult::solved).mapToDouble(r -> r.evalSeconds() / r.trainSeconds()).toArray();
        }

        public Map<String, Object> toMap() {
            var m = new LinkedHashMap<String, Object>();
            m.put("n", shape.n);
            m.put("k", shape.k);
            m.put("width", shape.h);
            m.put("batch", shape.batch);
            m.put("seeds", runs.size());
            m.put("solved", solved());
            double[] ms = solveMillis();
            if (ms.length > 0) {
                m.put("median_steps", Throughput.median(steps()));
                m.put("median_ms", Throughput.median(ms));
                m.put("min_ms", Throughput.min(ms));
                m.put("max_ms", Throughput.max(ms));
                m.put("median_eval_share", Throughput.median(evalShare()));
            }
            m.put("cold_jit_ms", coldRun.solveSeconds() == null ? null : coldRun.solveSeconds() * 1e3);
            m.put("cold_jit_seed", coldRun.config().seed());
            m.put("runs", runs.stream().map(RunResult::toMap).toList());
            return m;
        }
    }

    /**
     * The peers' protocol (docs/performance.md): held-out 10,000 fresh samples checked every 100 steps, solved when the error
     * is below 1% (≤ 99 errors, i.e. accuracy ≥ 0.9901), wall time from the first step to solved.
     */
    public static SolveRow timeToSolve(Shape shape, MlpKernels kernels, int seeds, long maxSteps) {
        // untimed warm-up runs on other seeds (at least one, ≥ 1 s): the medians are a warm JVM's, as in a
        // sweep; the first warm-up run is reported as the cold-JIT time
        RunResult cold = null;
        long warmEnd = System.nanoTime() + 1_000_000_000L;
        for (int s = 0; s == 0 || System.nanoTime() < warmEnd; s++) {
            RunResult r = solveRun(shape, kernels, WARMUP_SEED + s, maxSteps);
            if (cold == null) cold = r;
        }
        List<RunResult> runs = new ArrayList<>();
        for (int s = 0; s < seeds; s++) runs.add(solveRun(shape, kernels, s, maxSteps));
        return new SolveRow(shape, runs, cold);
    }

    /** Seeds of the untimed warm-up runs: far from the timed seeds 0..seeds−1. */
    static final long WARMUP_SEED = 1_000_000L;

    private static RunResult solveRun(Shape shape, MlpKernels kernels, long seed, long maxSteps) {
        TrainConfig cfg = shape.config(seed).withEvalSamples(10_000).withTargetAccuracy(0.9901).withSteps(maxSteps, 100, true);
        return new Trainer(cfg, kernels).run(p -> {});
    }
}

package bitsgd.harness.profile;

import bitsgd.kernel.mlp.VectorMlpKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.function.LongConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures the machine's limit for the kind of work the MLP kernels do: independent float vector adds
 * held in registers, one core. The result, lane-adds per second, is the ceiling that "share of the
 * machine" in the profile table is computed against (e.g. Zen3, AVX2, 3.2 GHz: 2 adds × 8 lanes per cycle ≈ 51 G/s).
 *
 * <p>{@link #lookupNanos} and {@link #storeNanos} measure what the lookup-table kernels are really made of
 * ({@link VectorMlpKernels}): vector loads at data-dependent offsets into a 64-byte-aligned table, and vector
 * stores into it, with the kernels' species and table layout. They feed the op-count bound of
 * {@link Profile.VectorOps}. Like every probe here, they must run after the kernels have been measured
 * (a hot vector loop run first pollutes the JIT profiles the kernels compile with).
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

    /**
     * Nanoseconds per vector table lookup (a load at a data-dependent offset + add), the best of {@code rounds} runs of
     * ~{@code millis} ms. The loop is the kernels' forward loop, so it also stores its 8 accumulators after every
     * 4-sample group (8 stores per 104 lookups), which the lookup price includes.
     */
    public static double lookupNanos(int rounds, int millis) {
        Random rnd = new Random(1);
        MemorySegment tab = Tables.table(rnd);
        int[] nib = new int[Tables.SAMPLES * Tables.GROUPS];
        // pre-scaled byte offsets, interleaved by quads of samples as in the kernels' rowNib
        for (int b = 0; b < Tables.SAMPLES; b++) {
            for (int g = 0; g < Tables.GROUPS; g++) {
                nib[((b >>> 2) * Tables.GROUPS + g) * 4 + (b & 3)] = (g * Tables.ENTRIES + rnd.nextInt(Tables.ENTRIES)) * Tables.ENTRY_BYTES;
            }
        }
        float[] bias = new float[2 * Tables.LANES], out = new float[Tables.SAMPLES * 2 * Tables.LANES];
        // 2 lookups (the two column blocks) per offset
        double ns = bestNanosPerOp(reps -> Tables.lookupRuns(tab, nib, bias, out, reps), 2.0 * Tables.SAMPLES * Tables.GROUPS, rounds, millis);
        if (out[0] == 42f) System.out.print(""); // keeps the result alive
        return ns;
    }

    /**
     * Nanoseconds per vector load at the core's best: consecutive 64-byte-aligned vectors of an L1-resident segment, summed
     * into 8 independent accumulators; the best of {@code rounds} runs of ~{@code millis} ms. With {@link #cycleNanos} it
     * gives the loads per cycle the port bound is priced with.
     */
    public static double streamLoadNanos(int rounds, int millis) {
        MemorySegment tab = Tables.table(new Random(3));
        float[] sink = new float[Tables.LANES];
        double ns = bestNanosPerOp(reps -> Tables.streamRuns(tab, sink, reps), tab.byteSize() / Tables.LANE_BYTES, rounds, millis);
        if (sink[0] == 42f) System.out.print(""); // keeps the result alive
        return ns;
    }

    /** Nanoseconds per full-vector store into an L1-resident aligned table, the best of {@code rounds} runs of ~{@code millis} ms. */
    public static double storeNanos(int rounds, int millis) {
        MemorySegment tab = Tables.table(new Random(2));
        float[] src = new float[4 * Tables.LANES];
        for (int i = 0; i < src.length; i++) src[i] = 0.25f * (i % 7) - 0.75f;
        // 2 column blocks × GROUPS tables × 15 stored entries per run
        return bestNanosPerOp(reps -> Tables.storeRuns(src, tab, reps), 2.0 * Tables.GROUPS * (Tables.ENTRIES - 1), rounds, millis);
    }

    /**
     * Nanoseconds per core clock cycle, the best of {@code rounds} runs of ~{@code millis} ms: a chain of dependent
     * shift-then-add steps, each 2 cycles (a shift and an add have 1-cycle latency on every x86 core of the last decade),
     * with nothing the core can overlap.
     */
    public static double cycleNanos(int rounds, int millis) {
        long[] sink = new long[1];
        double ns = bestNanosPerOp(reps -> sink[0] += shiftAddChain(reps, sink[0] | 1), 2.0 * CHAIN, rounds, millis);
        if (sink[0] == 42) System.out.print(""); // keeps the result alive
        return ns;
    }

    private static final int CHAIN = 16;

    /** {@code reps} × CHAIN dependent steps x ← (x >>> 1) + c. */
    private static long shiftAddChain(long reps, long x) {
        final long c = 0x9E37_79B9_7F4A_7C15L;
        for (long r = 0; r < reps; r++) {
            x = (x >>> 1) + c; x = (x >>> 1) + c; x = (x >>> 1) + c; x = (x >>> 1) + c;
            x = (x >>> 1) + c; x = (x >>> 1) + c; x = (x >>> 1) + c; x = (x >>> 1) + c;
            x = (x >>> 1) + c; x = (x >>> 1) + c; x = (x >>> 1) + c; x = (x >>> 1) + c;
            x = (x >>> 1) + c; x = (x >>> 1) + c; x = (x >>> 1) + c; x = (x >>> 1) + c;
        }
        return x;
    }

    /** Warms {@code body} up until C2 has compiled it (~0.5 s), then the best ns/op of {@code rounds} runs of ~{@code millis} ms. */
    private static double bestNanosPerOp(LongConsumer body, double opsPerRep, int rounds, int millis) {
        long warmEnd = System.nanoTime() + 500_000_000L;
        while (System.nanoTime() < warmEnd) body.accept(64);
        long t0 = System.nanoTime();
        body.accept(1024);
        long dt = Math.max(1, System.nanoTime() - t0);
        long perRound = Math.max(1024, 1024L * millis * 1_000_000L / dt);
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < rounds; r++) {
            long s = System.nanoTime();
            body.accept(perRound);
            best = Math.min(best, (System.nanoTime() - s) / (perRound * opsPerRep));
        }
        return best;
    }

    /**
     * The table probes, in the kernels' species and layout: GROUPS tables of 16 entries, each entry two column
     * blocks (entry stride 2·LANES floats, the second block at +LANES floats), as for n = 50. A holder class,
     * so that the rest of MachineProbe never loads the vector kernels. Small methods (C2's inlining budget),
     * vectors only in locals.
     */
    private static final class Tables {
        static final VectorSpecies<Float> F = VectorMlpKernels.species();
        static final int LANES = F.length(), LANE_BYTES = 4 * LANES, ENTRY_BYTES = 2 * LANE_BYTES;
        static final int GROUPS = 13, ENTRIES = 16, SAMPLES = 32;
        static final ByteOrder LE = ByteOrder.nativeOrder();

        /** 64-byte aligned like the kernels' tables (Arena.ofAuto, as theirs), filled with small random floats. */
        static MemorySegment table(Random rnd) {
            MemorySegment tab = Arena.ofAuto().allocate((long) GROUPS * ENTRIES * ENTRY_BYTES, 64);
            for (long i = 0; i < tab.byteSize() / 4; i++) tab.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, rnd.nextFloat() - 0.5f);
            return tab;
        }

        static void lookupRuns(MemorySegment tab, int[] nib, float[] bias, float[] out, long reps) {
            for (long i = 0; i < reps; i++) lookupPass(tab, nib, bias, out);
        }

        /** The loop of VectorMlpKernels.forwardColumn2: 4 samples × 2 blocks = 8 independent add chains, one offset per two loads. */
        static void lookupPass(MemorySegment tab, int[] nib, float[] bias, float[] out) {
            FloatVector biasA = FloatVector.fromArray(F, bias, 0), biasB = FloatVector.fromArray(F, bias, LANES);
            for (int b = 0; b < SAMPLES; b += 4) {
                FloatVector a0 = biasA, a1 = biasA, a2 = biasA, a3 = biasA;
                FloatVector c0 = biasB, c1 = biasB, c2 = biasB, c3 = biasB;
                for (int k = b * GROUPS, end = k + 4 * GROUPS; k < end; k += 4) {
                    int o0 = nib[k], o1 = nib[k + 1], o2 = nib[k + 2], o3 = nib[k + 3];
                    a0 = a0.add(FloatVector.fromMemorySegment(F, tab, o0, LE));
                    c0 = c0.add(FloatVector.fromMemorySegment(F, tab, o0 + LANE_BYTES, LE));
                    a1 = a1.add(FloatVector.fromMemorySegment(F, tab, o1, LE));
                    c1 = c1.add(FloatVector.fromMemorySegment(F, tab, o1 + LANE_BYTES, LE));
                    a2 = a2.add(FloatVector.fromMemorySegment(F, tab, o2, LE));
                    c2 = c2.add(FloatVector.fromMemorySegment(F, tab, o2 + LANE_BYTES, LE));
                    a3 = a3.add(FloatVector.fromMemorySegment(F, tab, o3, LE));
                    c3 = c3.add(FloatVector.fromMemorySegment(F, tab, o3 + LANE_BYTES, LE));
                }
                int r = b * 2 * LANES;
                a0.intoArray(out, r);
                c0.intoArray(out, r + LANES);
                a1.intoArray(out, r + 2 * LANES);
                c1.intoArray(out, r + 3 * LANES);
                a2.intoArray(out, r + 4 * LANES);
                c2.intoArray(out, r + 5 * LANES);
                a3.intoArray(out, r + 6 * LANES);
                c3.intoArray(out, r + 7 * LANES);
            }
        }

        static void streamRuns(MemorySegment tab, float[] sink, long reps) {
            for (long i = 0; i < reps; i++) streamPass(tab, sink);
        }

        /** Every vector of the table in order, 8 at a time into 8 accumulators: loads with nothing between them. */
        static void streamPass(MemorySegment tab, float[] sink) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            for (long o = 0, end = tab.byteSize() - 8L * LANE_BYTES; o <= end; o += 8L * LANE_BYTES) {
                a0 = a0.add(FloatVector.fromMemorySegment(F, tab, o, LE));
                a1 = a1.add(FloatVector.fromMemorySegment(F, tab, o + LANE_BYTES, LE));
                a2 = a2.add(FloatVector.fromMemorySegment(F, tab, o + 2L * LANE_BYTES, LE));
                a3 = a3.add(FloatVector.fromMemorySegment(F, tab, o + 3L * LANE_BYTES, LE));
                a4 = a4.add(FloatVector.fromMemorySegment(F, tab, o + 4L * LANE_BYTES, LE));
                a5 = a5.add(FloatVector.fromMemorySegment(F, tab, o + 5L * LANE_BYTES, LE));
                a6 = a6.add(FloatVector.fromMemorySegment(F, tab, o + 6L * LANE_BYTES, LE));
                a7 = a7.add(FloatVector.fromMemorySegment(F, tab, o + 7L * LANE_BYTES, LE));
            }
            a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).intoArray(sink, 0);
        }

        static void storeRuns(float[] src, MemorySegment tab, long reps) {
            for (long i = 0; i < reps; i++) {
                storeTables(src, tab, 0);
                storeTables(src, tab, LANE_BYTES);
            }
        }

        /**
         * Entries 1..15 of every table of one column block, from 15 register vectors (entry 0 is the constant zero).
         * Register vectors, not tables built from W rows like inputTables: that cost this + its 4 W-row loads per 15 stores, which the op model counts as loads.
         */
        static void storeTables(float[] src, MemorySegment tab, int off) {
            FloatVector e1 = FloatVector.fromArray(F, src, 0), e2 = FloatVector.fromArray(F, src, LANES);
            FloatVector e4 = FloatVector.fromArray(F, src, 2 * LANES), e8 = FloatVector.fromArray(F, src, 3 * LANES);
            FloatVector e3 = e1.add(e2), e5 = e1.add(e4), e6 = e2.add(e4), e7 = e3.add(e4);
            FloatVector e9 = e1.add(e8), e10 = e2.add(e8), e11 = e3.add(e8), e12 = e4.add(e8);
            FloatVector e13 = e5.add(e8), e14 = e6.add(e8), e15 = e7.add(e8);
            for (int gi = 0; gi < GROUPS; gi++) {
                int t = gi * ENTRIES * ENTRY_BYTES + off;
                e1.intoMemorySegment(tab, t + ENTRY_BYTES, LE);
                e2.intoMemorySegment(tab, t + 2 * ENTRY_BYTES, LE);
                e3.intoMemorySegment(tab, t + 3 * ENTRY_BYTES, LE);
                e4.intoMemorySegment(tab, t + 4 * ENTRY_BYTES, LE);
                e5.intoMemorySegment(tab, t + 5 * ENTRY_BYTES, LE);
                e6.intoMemorySegment(tab, t + 6 * ENTRY_BYTES, LE);
                e7.intoMemorySegment(tab, t + 7 * ENTRY_BYTES, LE);
                e8.intoMemorySegment(tab, t + 8 * ENTRY_BYTES, LE);
                e9.intoMemorySegment(tab, t + 9 * ENTRY_BYTES, LE);
                e10.intoMemorySegment(tab, t + 10 * ENTRY_BYTES, LE);
                e11.intoMemorySegment(tab, t + 11 * ENTRY_BYTES, LE);
                e12.intoMemorySegment(tab, t + 12 * ENTRY_BYTES, LE);
                e13.intoMemorySegment(tab, t + 13 * ENTRY_BYTES, LE);
                e14.intoMemorySegment(tab, t + 14 * ENTRY_BYTES, LE);
                e15.intoMemorySegment(tab, t + 15 * ENTRY_BYTES, LE);
            }
        }
    }

    /** Float lanes of the vector kernels' species (what the table probes measured with). */
    public static int tableLanes() {
        return Tables.LANES;
    }

    /** Vector lanes of the preferred float species (what the probe measured with). */
    public static int lanes() {
        return F.length();
    }
}

package bitsgd.kernel.mlp;

import bitsgd.kernel.bits.BitBatch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twin of {@link ScalarMlpKernels}: the same math, computed with lookup tables over groups
 * of 4 bits (the method of the Four Russians, docs/kernels.md, lookup tables). Loaded only after the provider has checked
 * that the incubator module is present.
 *
 * <p>Everything in a step is independent per hidden unit j except f_b (a sum over j), so a step is two
 * passes over vector columns j..j+LANES−1 of W, each touching a column block of W exactly once:
 * <pre>
 * pass 1 (forward), per column block:
 *   for each group of 4 inputs i = 4g..4g+3: table T_g[p] = Σ_{r ∈ p} W_{4g+r} (bit r of p set), entries 1..15
 *   z_b = (b + Σ_i W_i) − 2 Σ_g T_g[nibble g of x_b]      since x_i = 1 − 2·bit_i; ⌈n/4⌉ adds per sample instead of n
 *   f-partials: fpart_b += a · max(z_b, 0)        (reduced once per sample after the pass)
 * loss: g_b = ℓ'(y_b, f_b) / B
 * pass 2 (backward + SGD), per column block:
 *   δ_b = g_b · a · [z_b > 0] (old a);  ∂a = Σ_b g_b max(z_b,0);  ∂b = S = Σ_b δ_b
 *   for each group of 4 samples b = 4q..4q+3: table D_q[p] = Σ_{r ∈ p} δ_{4q+r}, entries 1..15
 *   ∂W_i = S − 2 Σ_q D_q[nibble q of column i]  and  W_i ← W_i − η(∂W_i + λ W_i) while ∂W_i is in registers
 * </pre>
 * Entry 0 of every table is the empty sum: zero, written once when the workspace is made and never again, so
 * a table costs 15 stores and 11 adds (the ±1 form, T[p] = Σ ±W, needed 16 stores and 22 adds).
 * Hidden units past {@code F.loopBound(h)} (fewer than LANES) run the same vector code on a zero-padded
 * copy of their columns ({@link Scratch#tailW}), so no hidden unit takes a scalar path and no hot loop needs a mask
 * (the copy in and out is one masked vector per row).
 *
 * <p>σ(z) = z^k ({@link Activation#pow}) runs its own block methods ({@code forwardBlocksPow}, {@code backwardBlocksPow}):
 * single column blocks on the same tables, nibble offsets and zero-padded tail, h = z^{k−1}·z in place of
 * max(z, 0), δ = (a·k)·g·z^{k−1} in place of the ReLU blend.
 */
public final class VectorMlpKernels implements MlpKernels {

    /** Chosen once from -Dbitsgd.vectorBits or the CPU's preferred shape; static final so C2 folds it. */
    static final VectorSpecies<Float> F = pickSpecies();
    static final int LANES = F.length();
    /** Table entries per 4-bit group. */
    private static final int ENTRIES = 16;
    /** A zero row standing in for inputs past n in the last group. */
    private static final float[] ZEROS = new float[LANES];
    /** Two column blocks share each table index: one index load and bounds check feed two vector loads. */
    private static final int PAIR = 2 * LANES;
    /** Byte sizes for the tables, which live in a 64-byte-aligned native segment (see {@link Scratch#tab}). */
    private static final int LANE_BYTES = 4 * LANES, PAIR_BYTES = 4 * PAIR;
    private static final ByteOrder LE = ByteOrder.nativeOrder();
    /** x_i = 1 − 2·bit_i: the tables sum the rows whose bit is set, and this factor turns that sum into Σ_i x_i·row_i. */
    private static final FloatVector MINUS_TWO = FloatVector.broadcast(F, -2f);
    /** Lane i ↔ lane i XOR d: the butterfly steps of {@link #laneSums} (null where d ≥ LANES, never used then). */
    private static final VectorShuffle<Float> SWAP8 = swap(8), SWAP4 = swap(4), SWAP2 = swap(2), SWAP1 = swap(1);

    private VectorMlpKernels() {}

    public static VectorMlpKernels create() {
        return new VectorMlpKernels();
    }

    /** The float species every vector kernel family uses. */
    public static VectorSpecies<Float> species() {
        return F;
    }

    private static VectorShuffle<Float> swap(int d) {
        return d < LANES ? VectorShuffle.fromOp(F, i -> i ^ d) : null;
    }

    private static VectorSpecies<Float> pickSpecies() {
        String bits = System.getProperty("bitsgd.vectorBits");
        if (bits == null || bits.isBlank()) return FloatVector.SPECIES_PREFERRED;
        try {
            return VectorSpecies.of(float.class, VectorShape.forBitSize(Integer.parseInt(bits.trim())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-Dbitsgd.vectorBits must be 64, 128, 256 or 512, got '" + bits + "'");
        }
    }

    /** Float lanes of the species in use (for tests that probe lane−1/lane/lane+1 widths). */
    public static int lanes() {
        return LANES;
    }

    @Override
    public String name() {
        return "vector-" + F.vectorBitSize();
    }

    static final class Scratch implements Workspace {
        final int n, h, maxBatch;
        /** ⌈n/4⌉ input groups, ⌈maxBatch/4⌉ sample groups. */
        final int inGroups, maxSampleGroups;
        /**
         * Pre-activations, one panel per column block, allocated on the first step (forward-only use never needs
         * them). Samples are padded to zPanel rows, a multiple of 4:
         * <pre>
         *   z[j·zPanel + b·LANES + l] = z of sample b, hidden unit j + l     (j a block start, l &lt; LANES)
         *   | block 0: sample 0 | sample 1 | … | block 1: sample 0 | …      each row LANES floats, one panel contiguous
         * </pre>
         * so the forward writes and the backward reads each block's z as one contiguous run of B·LANES floats
         * instead of B rows h floats apart. The tail block's panel is {@link #tailZ} (j = 0).
         */
        float[] z;
        final int zPanel;
        final float[] f, g;
        /** Per-sample vector partial sums of Σ_j a_j max(z_bj, 0), LANES floats per sample. */
        final float[] fpart;
        /**
         * Table byte offsets, already scaled by PAIR_BYTES and interleaved by quads so the 4 samples (inputs) that one
         * unrolled loop iteration reads sit side by side:
         *   rowNib[((b/4)·inGroups + gi)·4 + b%4] = (gi·16 + bits 4gi..4gi+3 of sample b) · PAIR_BYTES
         *   colNib[((i/4)·Q + q)·4 + i%4]         = (q·16 + bits 4q..4q+3 of column i) · PAIR_BYTES
         */
        final long[] rowNib, colNib;
        /**
         * Vector tables: entry k of a column block at byte k·PAIR_BYTES + off (off 0 or LANE_BYTES). Native and
         * 64-byte aligned: a float[]'s data is only 8-byte aligned, and a 512-bit access that crosses a 32-byte
         * boundary cost ~35% more in a store+lookup loop here (Zen 5); the tables are where almost all
         * loads and stores of a step go.
         */
        final MemorySegment tab;
        /**
         * The last h − loopBound(h) hidden units, zero-padded to one full vector: W columns (n rows of LANES,
         * row stride LANES), a, b, and their B×LANES pre-activations. Padding lanes have W = a = b = 0, so
         * they add exactly 0 to f, and they are never copied back.
         */
        final float[] tailW, tailA, tailB;
        float[] tailZ;
        /**
         * Per column block, the sum the tables leave out: Σ_i W_i in the forward, S = Σ_b δ_b in the backward.
         * Block j at [j, j+LANES), the zero-padded tail block at [loopBound(h), +LANES).
         */
        final float[] sums;
        /**
         * A step split over threads: {@code parts} parts (1: this thread alone) run by {@code team}, part p on its own
         * tables {@code tabs[p]} and sums {@code partSums[p]}, owning the full column blocks [cut[p], cut[p+1]) (in
         * blocks of LANES units); the last part also owns the tail block.
         */
        final int parts;
        final Team team;
        final MemorySegment[] tabs;
        final float[][] partSums;
        /** Part p's own nibble offsets (part 0's are rowNib and colNib): each part computes the ones it reads, so none cross cores. */
        final long[][] rowNibs, colNibs;
        final int[] cut;

        Scratch(int n, int h, int maxBatch) {
            this(n, h, maxBatch, 1);
        }

        Scratch(int n, int h, int maxBatch, int threads) {
            this(n, h, maxBatch, threads, Team.MIN_BLOCKS_PER_PART);
        }

        /** Scratch split into up to {@code threads} parts of at least {@code minBlocksPerPart} column blocks each. */
        Scratch(int n, int h, int maxBatch, int threads, int minBlocksPerPart) {
            if (n < 1 || h < 1 || maxBatch < 1) throw new IllegalArgumentException("n, h and maxBatch must be >= 1");
            this.n = n;
            this.h = h;
            this.maxBatch = maxBatch;
            this.inGroups = (n + 3) >>> 2;
            this.zPanel = (maxBatch + 3) & ~3;
            this.maxSampleGroups = (maxBatch + 3) >>> 2;
            this.f = new float[maxBatch];
            this.g = new float[(maxBatch + 3) & ~3];
            this.fpart = new float[Math.multiplyExact(maxBatch, LANES)];
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            int full = F.loopBound(h) / LANES, units = full + (F.loopBound(h) < h ? 1 : 0);
            this.parts = Team.parts(h, LANES, threads, minBlocksPerPart);
            this.cut = new int[parts + 1];
            for (int p = 1; p < parts; p++) cut[p] = Math.min(full, (int) ((long) units * p / parts) & ~1); // even: whole pairs
            cut[parts] = full;
            int entries = Math.multiplyExact(Math.max(inGroups, maxSampleGroups), ENTRIES);
            this.tabs = new MemorySegment[parts];
            this.partSums = new float[parts][];
            this.rowNibs = new long[parts][];
            this.colNibs = new long[parts][];
            for (int p = 0; p < parts; p++) {
                rowNibs[p] = new long[Math.multiplyExact(4 * maxSampleGroups, inGroups)];
                colNibs[p] = new long[Math.multiplyExact(4 * inGroups, maxSampleGroups)];
                tabs[p] = Arena.ofAuto().allocate(Math.multiplyExact((long) entries, PAIR_BYTES), 64);
                tabs[p].fill((byte) 0); // entry 0 of every table: the empty sum, never written again
                partSums[p] = new float[Math.addExact(h, LANES)];
            }
            this.tab = tabs[0];
            this.rowNib = rowNibs[0];
            this.colNib = colNibs[0];
            this.sums = partSums[0];
            this.tailW = new float[Math.multiplyExact(n, LANES)];
            this.tailA = new float[LANES];
            this.tailB = new float[LANES];
            this.team = parts > 1 ? new Team(parts, this) : null;
        }

        @Override
        public int threads() {
            return parts;
        }

        /** Part p's share of {@code count} samples: [sampleCut(p), sampleCut(p + 1)), multiples of 4 but the end. */
        int sampleCut(int p, int count) {
            return p == parts ? count : (int) ((long) count * p / parts) & ~3;
        }

        float[] z(int batch) {
            // rows padded to a multiple of 4 samples: the backward reads whole 4-sample groups
            if (z == null) {
                z = new float[Math.multiplyExact(zPanel, h)];
                tailZ = new float[Math.multiplyExact(zPanel, LANES)];
            }
            return z;
        }

        /** Copies hidden units [j0, h) of the net into the zero-padded tail arrays (one masked vector per row). */
        void loadTail(Mlp2 net, int j0) {
            VectorMask<Float> m = F.indexInRange(0, h - j0); // padding lanes read as 0 and stay 0
            for (int i = 0; i < n; i++) FloatVector.fromArray(F, net.w, i * h + j0, m).intoArray(tailW, i * LANES);
            FloatVector.fromArray(F, net.a, j0, m).intoArray(tailA, 0);
            FloatVector.fromArray(F, net.b, j0, m).intoArray(tailB, 0);
        }

        /** Writes the updated tail units back into the net. */
        void storeTail(Mlp2 net, int j0) {
            VectorMask<Float> m = F.indexInRange(0, h - j0);
            for (int i = 0; i < n; i++) FloatVector.fromArray(F, tailW, i * LANES).intoArray(net.w, i * h + j0, m);
            FloatVector.fromArray(F, tailA, 0).intoArray(net.a, j0, m);
            FloatVector.fromArray(F, tailB, 0).intoArray(net.b, j0, m);
        }
    }

    @Override
    public Workspace workspace(int n, int h, int maxBatch) {
        return new Scratch(n, h, maxBatch);
    }

    /**
     * Scratch whose steps split the hidden units over {@code threads} threads, at most one per
     * {@value Team#MIN_BLOCKS_PER_PART} column blocks (see {@link Workspace#threads}): the same bits as one thread.
     */
    @Override
    public Workspace workspace(int n, int h, int maxBatch, int threads) {
        return new Scratch(n, h, maxBatch, threads);
    }

    @Override
    public void forward(Mlp2 net, BitBatch x, float[] f, Workspace ws) {
        Scratch s = check(net, x, ws);
        int batch = x.size();
        if (s.team != null && batch >= 4 * s.parts) {
            forwardTeam(net, x, s, f);
        } else {
            rowNibbles(x, s);
            forwardPass(net, batch, s, null, f);
        }
    }

    @Override
    public float step(Mlp2 net, BitBatch x, float[] y, Loss loss, float lr1, float lr2, float weightDecay, Workspace ws) {
        // z^k leaves at once: the ReLU step below is the ReLU step of before, so is C2's compilation of it
        if (!net.activation.isRelu()) return stepPow(net, x, y, loss, lr1, lr2, weightDecay, ws);
        Scratch s = check(net, x, ws);
        if (s.team != null) return stepTeam(net, x, y, loss, lr1, lr2, weightDecay, s);
        int batch = x.size();
        float[] z = s.z(batch), f = s.f, g = s.g;
        rowNibbles(x, s);
        forwardPass(net, batch, s, z, f);

        float lossSum = lossGradients(loss, y, f, g, batch), gc = sum(g, batch);
        colNibbles(x, s);
        backwardPass(net, batch, s, z, lr1, lr2, weightDecay);
        net.c = net.c - lr2 * (gc + weightDecay * net.c);
        return lossSum / batch;
    }

    /** Σ_b ℓ(y_b, f_b) in sample order; g_b = ℓ'(y_b, f_b) / B into g. */
    private static float lossGradients(Loss loss, float[] y, float[] f, float[] g, int batch) {
        float lossSum = 0f;
        for (int b = 0; b < batch; b++) {
            lossSum += loss.value(y[b], f[b]);
            g[b] = loss.derivative(y[b], f[b]) / batch;
        }
        return lossSum;
    }

    /** v[0] + … + v[len−1], in index order. */
    private static float sum(float[] v, int len) {
        float s = 0f;
        for (int i = 0; i < len; i++) s += v[i];
        return s;
    }

    /** {@link #step} for σ(z) = z^k. */
    private static float stepPow(Mlp2 net, BitBatch x, float[] y, Loss loss, float lr1, float lr2, float weightDecay, Workspace ws) {
        Scratch s = check(net, x, ws);
        if (s.team != null) return stepTeam(net, x, y, loss, lr1, lr2, weightDecay, s);
        int batch = x.size();
        float[] z = s.z(batch), f = s.f, g = s.g;
        rowNibbles(x, s);
        forwardPass(net, batch, s, z, f);

        float lossSum = lossGradients(loss, y, f, g, batch), gc = sum(g, batch);
        colNibbles(x, s);
        backwardPass(net, batch, s, z, lr1, lr2, weightDecay);
        net.c = net.c - lr2 * (gc + weightDecay * net.c);
        return lossSum / batch;
    }

    // ---------------------------------------------------------------- one step on several threads

    /*
     * A step on a team (Scratch.parts > 1), in two rounds with the loss in between:
     *   forward   part p: its own row nibbles, tables and z of its column blocks (Scratch.cut), on its own tables; then, in turn
     *             (part 0 as it goes), the f-partials: a_j·σ(z_bj) added per lane block after block in increasing j,
     *             continuing the previous part's sums, which is the one-thread forward's order, so the same bits.
     *             Each part reads only the z it wrote: a round by samples would move half of z between cores
     *             every step and invalidate it again in the next forward, which measured ~1.4x more CPU per part
     *   backward  part p: its own column nibbles, δ tables, b, a and the W update of its column blocks
     * Hidden units are independent everywhere but in f_b, so every unit sees the one-thread operations in the
     * one-thread order, whatever the number of parts.
     */

    /** {@link #step} with the hidden units split over {@code s.team}. */
    private static float stepTeam(Mlp2 net, BitBatch x, float[] y, Loss loss, float lr1, float lr2, float weightDecay, Scratch s) {
        final int batch = x.size(), h = net.h, bound = F.loopBound(h), last = s.parts - 1;
        final boolean relu = net.activation.isRelu(), tail = bound < h;
        final float[] z = s.z(batch), f = s.f, g = s.g;
        Arrays.fill(s.fpart, 0, batch * LANES, 0f);
        s.team.run(p -> {
            int j0 = s.cut[p] * LANES, j1 = s.cut[p + 1] * LANES;
            // every part makes the nibble offsets it reads, and the last part its tail copy: they are written on the
            // core that reads them, and the serial part of the step shrinks (a few hundred ns of work done twice)
            rowNibbles(x, s.inGroups, s.rowNibs[p], 0, batch);
            if (tail && p == last) s.loadTail(net, bound);
            // part 0 sums its f-partials as it goes, as one thread does; the others sum theirs in turn, below
            float[] fpart = p == 0 ? s.fpart : null;
            if (relu) forwardBlocks(net, s, p, j0, j1, tail && p == last, 0, batch, z, fpart);
            else forwardBlocksPow(net, s, p, j0, j1, tail && p == last, 0, batch, z, fpart);
        }, p -> {
            if (p > 0) outputColumns(net, s, z, s.cut[p] * LANES, s.cut[p + 1] * LANES, tail && p == last, batch);
        });
        laneSums(s.fpart, 0, batch, net.c, f);

        float lossSum = lossGradients(loss, y, f, g, batch), gc = sum(g, batch);
        final int q = padSamples(net, batch, s, z);
        s.team.run(p -> {
            int j0 = s.cut[p] * LANES, j1 = s.cut[p + 1] * LANES;
            colNibbles(x, s.n, s.colNibs[p]);
            if (relu) backwardBlocks(net, s, p, j0, j1, tail && p == last, z, q, lr1, lr2, weightDecay);
            else backwardBlocksPow(net, s, p, j0, j1, tail && p == last, z, q, lr1, lr2, weightDecay);
        });
        net.c = net.c - lr2 * (gc + weightDecay * net.c);
        return lossSum / batch;
    }

    /**
     * Continues the f-partials of every sample over the full column blocks [j0, j1) and, if {@code tail}, the tail
     * block, from the pre-activations z (and tailZ): per lane, a_j·σ(z_bj) added block after block in increasing j,
     * the operations the one-thread forward does on these blocks, in its order.
     */
    private static void outputColumns(Mlp2 net, Scratch s, float[] z, int j0, int j1, boolean tail, int batch) {
        final int h = net.h, k = net.activation.degree();
        final float[] fpart = s.fpart;
        if (k == 0) outputBlocks(net.a, z, s.zPanel, j0, j1, batch, fpart);
        else outputBlocksPow(net.a, z, s.zPanel, j0, j1, batch, fpart, k);
        if (tail) {
            // the tail block last, as in the forward; its padding lanes have a = 0
            FloatVector ta = FloatVector.fromArray(F, s.tailA, 0);
            float[] tz = s.tailZ;
            // two loops, not a choice of vectors: a vector merged at a join may be boxed by C2
            if (k == 0) {
                for (int b = 0; b < batch; b++) {
                    int o = b * LANES;
                    FloatVector.fromArray(F, tz, o).max(0f).fma(ta, FloatVector.fromArray(F, fpart, o)).intoArray(fpart, o);
                }
            } else {
                for (int b = 0; b < batch; b++) {
                    int o = b * LANES;
                    FloatVector zv = FloatVector.fromArray(F, tz, o);
                    powM1(zv, k).mul(zv).fma(ta, FloatVector.fromArray(F, fpart, o)).intoArray(fpart, o);
                }
            }
        }
    }

    /** fpart_b += Σ_{j in [j0, j1)} a_j max(z_bj, 0) per lane, block after block; 4 samples at a time for 4 independent chains. */
    private static void outputBlocks(float[] a, float[] z, int zp, int j0, int j1, int batch, float[] fpart) {
        int b = 0;
        for (; b + 4 <= batch; b += 4) {
            FloatVector acc0 = FloatVector.fromArray(F, fpart, b * LANES), acc1 = FloatVector.fromArray(F, fpart, (b + 1) * LANES),
                    acc2 = FloatVector.fromArray(F, fpart, (b + 2) * LANES), acc3 = FloatVector.fromArray(F, fpart, (b + 3) * LANES);
            for (int j = j0, r = j0 * zp + b * LANES; j < j1; j += LANES, r += LANES * zp) {
                FloatVector av = FloatVector.fromArray(F, a, j);
                acc0 = FloatVector.fromArray(F, z, r).max(0f).fma(av, acc0);
                acc1 = FloatVector.fromArray(F, z, r + LANES).max(0f).fma(av, acc1);
                acc2 = FloatVector.fromArray(F, z, r + 2 * LANES).max(0f).fma(av, acc2);
                acc3 = FloatVector.fromArray(F, z, r + 3 * LANES).max(0f).fma(av, acc3);
            }
            acc0.intoArray(fpart, b * LANES);
            acc1.intoArray(fpart, (b + 1) * LANES);
            acc2.intoArray(fpart, (b + 2) * LANES);
            acc3.intoArray(fpart, (b + 3) * LANES);
        }
        for (; b < batch; b++) {
            FloatVector acc = FloatVector.fromArray(F, fpart, b * LANES);
            for (int j = j0, r = j0 * zp + b * LANES; j < j1; j += LANES, r += LANES * zp) {
                acc = FloatVector.fromArray(F, z, r).max(0f).fma(FloatVector.fromArray(F, a, j), acc);
            }
            acc.intoArray(fpart, b * LANES);
        }
    }

    /** {@link #outputBlocks} for σ(z) = z^k. */
    private static void outputBlocksPow(float[] a, float[] z, int zp, int j0, int j1, int batch, float[] fpart, int k) {
        for (int b = 0; b < batch; b++) {
            FloatVector acc = FloatVector.fromArray(F, fpart, b * LANES);
            for (int j = j0, r = j0 * zp + b * LANES; j < j1; j += LANES, r += LANES * zp) {
                FloatVector zv = FloatVector.fromArray(F, z, r);
                acc = powM1(zv, k).mul(zv).fma(FloatVector.fromArray(F, a, j), acc);
            }
            acc.intoArray(fpart, b * LANES);
        }
    }

    /** {@link #forward} with the samples split over {@code s.team}: each part runs every column block on its own tables. */
    private static void forwardTeam(Mlp2 net, BitBatch x, Scratch s, float[] f) {
        final int h = net.h, bound = F.loopBound(h), batch = x.size();
        final boolean relu = net.activation.isRelu(), tail = bound < h;
        if (tail) s.loadTail(net, bound);
        s.team.run(p -> {
            int b0 = s.sampleCut(p, batch), b1 = s.sampleCut(p + 1, batch);
            rowNibbles(x, s.inGroups, s.rowNibs[p], b0, b1);
            Arrays.fill(s.fpart, b0 * LANES, b1 * LANES, 0f);
            if (relu) forwardBlocks(net, s, p, 0, bound, tail, b0, b1, null, s.fpart);
            else forwardBlocksPow(net, s, p, 0, bound, tail, b0, b1, null, s.fpart);
            laneSums(s.fpart, b0, b1, net.c, f);
        });
    }

    // ---------------------------------------------------------------- nibble indices

    /** Table indices of the 4-bit input groups of every sample; groups never straddle a word (64 % 4 == 0). */
    private static void rowNibbles(BitBatch x, Scratch s) {
        rowNibbles(x, s.inGroups, s.rowNib, 0, x.size());
    }

    /** {@link #rowNibbles} of samples [b0, b1) into {@code nib}, b0 a multiple of 4 (a part's share, on its own array). */
    private static void rowNibbles(BitBatch x, int groups, long[] nib, int b0, int b1) {
        long[] rows = x.rows();
        int words = x.words(), b4 = b0 + ((b1 - b0) & ~3);
        // shift words down 4 bits per group instead of indexing bits (at small h this loop costs as much as the
        // lookups it feeds); whole quads of samples first, whose 4 offsets per group are adjacent: in-order stores
        for (int b = b0; b < b4; b += 4) {
            int out = b * groups, table = 0;
            for (int w = 0; w < words; w++) {
                long w0 = rows[b * words + w], w1 = rows[(b + 1) * words + w];
                long w2 = rows[(b + 2) * words + w], w3 = rows[(b + 3) * words + w];
                for (int gi = w * 16, end = Math.min(groups, gi + 16); gi < end; gi++, out += 4, table += ENTRIES * PAIR_BYTES) {
                    nib[out] = table + ((int) w0 & 15) * PAIR_BYTES;
                    nib[out + 1] = table + ((int) w1 & 15) * PAIR_BYTES;
                    nib[out + 2] = table + ((int) w2 & 15) * PAIR_BYTES;
                    nib[out + 3] = table + ((int) w3 & 15) * PAIR_BYTES;
                    w0 >>>= 4;
                    w1 >>>= 4;
                    w2 >>>= 4;
                    w3 >>>= 4;
                }
            }
        }
        for (int b = b4; b < b1; b++) {
            int out = b4 * groups + (b & 3), table = 0;
            for (int w = 0, rb = b * words; w < words; w++) {
                long word = rows[rb + w];
                for (int gi = w * 16, end = Math.min(groups, gi + 16); gi < end; gi++, out += 4, table += ENTRIES * PAIR_BYTES) {
                    nib[out] = table + ((int) word & 15) * PAIR_BYTES;
                    word >>>= 4;
                }
            }
        }
    }

    /** Bits 0, 4, 8, …, 60: Long.expand spreads 16 bits of a row 4 apart onto them. */
    private static final long SPREAD = 0x1111_1111_1111_1111L;

    /**
     * Table indices of the 4-sample groups of every input column, straight from the rows (no transpose):
     * Long.expand (one PDEP on x86 with BMI2) puts bit c+t of a sample's row at bit 4t, so the 4 samples of a
     * group, spread and OR-ed at shifts 0..3, hold the nibbles of 16 columns c..c+15 side by side.
     * Samples past the batch count as zero rows.
     */
    private static void colNibbles(BitBatch x, Scratch s) {
        colNibbles(x, s.n, s.colNib);
    }

    /** {@link #colNibbles} into {@code nib} (a part's own array). */
    private static void colNibbles(BitBatch x, int n, long[] nib) {
        long[] rows = x.rows();
        int words = x.words(), batch = x.size(), q = (batch + 3) >>> 2;
        for (int qi = 0, table = 0; qi < q; qi++, table += ENTRIES * PAIR_BYTES) {
            int b0 = qi << 2;
            for (int w = 0; w < words; w++) {
                long s0 = rows[b0 * words + w];
                long s1 = b0 + 1 < batch ? rows[(b0 + 1) * words + w] : 0L;
                long s2 = b0 + 2 < batch ? rows[(b0 + 2) * words + w] : 0L;
                long s3 = b0 + 3 < batch ? rows[(b0 + 3) * words + w] : 0L;
                for (int c = 0, i = w << 6; c < 64 && i < n; c += 16) {
                    long quad = Long.expand(s0 >>> c, SPREAD) | Long.expand(s1 >>> c, SPREAD) << 1
                            | Long.expand(s2 >>> c, SPREAD) << 2 | Long.expand(s3 >>> c, SPREAD) << 3;
                    for (int end = Math.min(n, i + 16); i < end; i++, quad >>>= 4) {
                        nib[((i >>> 2) * q + qi) * 4 + (i & 3)] = table + ((int) quad & 15) * PAIR_BYTES;
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- tables

    /*
     * table16: the subset sums T[p] = Σ_{r ∈ p} v_r, r = 0..3, entry p at byte (base + p)·stride + off. Entry 0 is
     * the empty sum (zero, written once); the 4 one-bit entries are the rows themselves; each of the other 11 is one
     * add of a row to an entry with fewer bits:
     *   e3 = v0+v1, e5 = v0+v2, e6 = v1+v2, e7 = e3+v2, e9 = v0+v3, e10 = v1+v3, e11 = e3+v3, e12 = v2+v3,
     *   e13 = e5+v3, e14 = e6+v3, e15 = e7+v3 (= the group's full sum, which the caller accumulates).
     * It is written out at its call sites (inputTables, deltaTables, deltaTablesPow).
     */

    // ---------------------------------------------------------------- forward

    /**
     * z (if non-null, B×h) and f for the first {@code batch} samples, from {@code s.rowNib}.
     */
    private static void forwardPass(Mlp2 net, int batch, Scratch s, float[] z, float[] f) {
        final int bound = F.loopBound(net.h);
        final boolean tail = bound < net.h;
        Arrays.fill(s.fpart, 0, batch * LANES, 0f);
        if (tail) s.loadTail(net, bound);
        // ReLU or z^k blocks: only arrays and ints cross the choice, no vector is merged after it
        if (net.activation.isRelu()) forwardBlocks(net, s, 0, 0, bound, tail, 0, batch, z, s.fpart);
        else forwardBlocksPow(net, s, 0, 0, bound, tail, 0, batch, z, s.fpart);
        laneSums(s.fpart, 0, batch, net.c, f);
    }

    /**
     * z (if non-null, B×h) and the f-partials (if {@code fpart} is non-null) of samples [b0, b1), b0 a multiple of 4,
     * for the full column blocks of hidden units [j0, j1) and, if {@code tail}, the zero-padded tail block (loaded).
     */
    private static void forwardBlocks(Mlp2 net, Scratch s, int part, int j0, int j1, boolean tail,
                                      int b0, int b1, float[] z, float[] fpart) {
        final int n = net.n, h = net.h, groups = s.inGroups, zp = s.zPanel;
        final float[] w = net.w;
        final long[] nib = s.rowNibs[part];
        final MemorySegment tab = s.tabs[part];
        final float[] sums = s.partSums[part];
        // one column block per call: small compile units keep C2 under its node budget (a call it
        // refuses to inline would box its vector arguments); only arrays and ints cross these calls
        int jv = j0;
        for (; jv + PAIR <= j1; jv += PAIR) {
            final int j = jv;
            inputTables(w, n, h, j, tab, PAIR_BYTES, 0, sums, j);
            inputTables(w, n, h, j + LANES, tab, PAIR_BYTES, LANE_BYTES, sums, j + LANES);
            forwardColumn2(net.b, net.a, zp, j, b0, b1, groups, nib, tab, z, fpart, sums);
        }
        for (int j = jv; j < j1; j += LANES) {
            inputTables(w, n, h, j, tab, PAIR_BYTES, 0, sums, j);
            forwardColumn(net.b, net.a, zp, j, b0, b1, groups, nib, tab, z, fpart, sums, j);
        }
        // tail: hidden units j >= bound, one zero-padded vector block (its z panel is tailZ)
        if (tail) {
            int bound = F.loopBound(h);
            inputTables(s.tailW, n, LANES, 0, tab, PAIR_BYTES, 0, sums, bound);
            forwardColumn(s.tailB, s.tailA, zp, 0, b0, b1, groups, nib, tab, z == null ? null : s.tailZ, fpart, sums, bound);
        }
    }

    /**
     * f_b = c + (sum of the LANES partials of sample b), one reduction per sample after the column loop, by a
     * butterfly in a fixed order (pairs 8 apart, then 4, 2, 1): reduceLanes(ADD) may associate differently once C2
     * compiles it, which would make a run depend on JIT timing; lane-wise adds and permutes are exact in every tier.
     */
    private static void laneSums(float[] fpart, int b0, int b1, float c, float[] f) {
        for (int b = b0; b < b1; b++) {
            FloatVector v = FloatVector.fromArray(F, fpart, b * LANES);
            if (LANES > 8) v = v.add(v.rearrange(SWAP8));
            if (LANES > 4) v = v.add(v.rearrange(SWAP4));
            if (LANES > 2) v = v.add(v.rearrange(SWAP2));
            v = v.add(v.rearrange(SWAP1));
            f[b] = c + v.lane(0);
        }
    }

    // ---------------------------------------------------------------- backward + update

    private static void backwardPass(Mlp2 net, int batch, Scratch s, float[] z, float lr1, float lr2, float wd) {
        final int q = padSamples(net, batch, s, z);
        final int bound = F.loopBound(net.h);
        if (net.activation.isRelu()) backwardBlocks(net, s, 0, 0, bound, bound < net.h, z, q, lr1, lr2, wd);
        else backwardBlocksPow(net, s, 0, 0, bound, bound < net.h, z, q, lr1, lr2, wd);
    }

    /** Zeroes g and the z rows of the samples past the batch up to a multiple of 4; returns the number of 4-sample groups. */
    private static int padSamples(Mlp2 net, int batch, Scratch s, float[] z) {
        final int q = (batch + 3) >>> 2, h = net.h, bound = F.loopBound(h), zp = s.zPanel, end = q << 2;
        if (batch == end) return q;
        Arrays.fill(s.g, batch, end, 0f);
        for (int j = 0; j < bound; j += LANES) Arrays.fill(z, j * zp + batch * LANES, j * zp + end * LANES, 0f);
        if (bound < h) Arrays.fill(s.tailZ, batch * LANES, end * LANES, 0f);
        return q;
    }

    /**
     * Backward and SGD update of the full column blocks of hidden units [j0, j1) and, if {@code tail}, of the
     * zero-padded tail block, on the tables {@code tab}.
     */
    private static void backwardBlocks(Mlp2 net, Scratch s, int part, int j0, int j1, boolean tail,
                                       float[] z, int q, float lr1, float lr2, float wd) {
        final int n = net.n, h = net.h, zp = s.zPanel;
        final float[] w = net.w, g = s.g;
        final long[] nib = s.colNibs[part];
        final MemorySegment tab = s.tabs[part];
        final float[] sums = s.partSums[part];
        // the blocks in the reverse of the forward's order: the z and W columns the forward touched last are
        // the likeliest to still be in cache (every block is independent here, so the order changes no bit)

        // tail: the zero-padded copy loaded by the forward pass (still current: nothing else wrote it)
        if (tail) {
            int bound = F.loopBound(h);
            deltaTables(s.tailA, s.tailB, s.tailZ, g, zp, 0, q, tab, PAIR_BYTES, 0, lr1, lr2, wd, sums, bound);
            updateRows(s.tailW, n, LANES, 0, q, nib, tab, lr1, wd, sums, bound);
            s.storeTail(net, bound);
        }
        final int pairEnd = j0 + (j1 - j0) / PAIR * PAIR;
        for (int j = j1 - LANES; j >= pairEnd; j -= LANES) {
            deltaTables(net.a, net.b, z, g, zp, j, q, tab, PAIR_BYTES, 0, lr1, lr2, wd, sums, j);
            updateRows(w, n, h, j, q, nib, tab, lr1, wd, sums, j);
        }
        for (int j = pairEnd - PAIR; j >= j0; j -= PAIR) {
            deltaTables(net.a, net.b, z, g, zp, j, q, tab, PAIR_BYTES, 0, lr1, lr2, wd, sums, j);
            deltaTables(net.a, net.b, z, g, zp, j + LANES, q, tab, PAIR_BYTES, LANE_BYTES, lr1, lr2, wd, sums, j + LANES);
            updateRows2(w, n, h, j, q, nib, tab, lr1, wd, sums, j);
        }
    }

    /**
     * The tables of all input groups for hidden units j..j+LANES−1: entry e of group gi at byte (gi·16 + e)·stride + off
     * of tab; Σ_i W_i (the sum the tables leave out) into sums[sumAt..].
     */
    private static void inputTables(float[] w, int n, int h, int j, MemorySegment tab, int stride, int off, float[] sums, int sumAt) {
        final int groups = (n + 3) >>> 2;
        FloatVector rowSum = FloatVector.zero(F);
        for (int gi = 0; gi < groups; gi++) {
            int i = gi << 2, r = i * h + j;
            // inputs past n (last group only) read a zero row: the choice is made on array and index,
            // never on vectors (a vector merged at a join may be boxed by C2); one table16 call site
            // keeps this method under C2's node budget for inlining
            float[] s1 = i + 1 < n ? w : ZEROS, s2 = i + 2 < n ? w : ZEROS, s3 = i + 3 < n ? w : ZEROS;
            int o1 = i + 1 < n ? r + h : 0, o2 = i + 2 < n ? r + 2 * h : 0, o3 = i + 3 < n ? r + 3 * h : 0;
            FloatVector v0 = FloatVector.fromArray(F, w, r), v1 = FloatVector.fromArray(F, s1, o1);
            FloatVector v2 = FloatVector.fromArray(F, s2, o2), v3 = FloatVector.fromArray(F, s3, o3);
            // table16, written out: a helper compiled on its own gets too big for C2 to inline later
            // ("already compiled into a big method"), and a call that is not inlined boxes its vectors
            FloatVector e3 = v0.add(v1), e5 = v0.add(v2), e6 = v1.add(v2), e7 = e3.add(v2);
            FloatVector e9 = v0.add(v3), e10 = v1.add(v3), e11 = e3.add(v3), e12 = v2.add(v3);
            FloatVector e13 = e5.add(v3), e14 = e6.add(v3), e15 = e7.add(v3);
            rowSum = rowSum.add(e15);
            int t = gi * ENTRIES * stride + off;
            v0.intoMemorySegment(tab, t + stride, LE);
            v1.intoMemorySegment(tab, t + 2 * stride, LE);
            e3.intoMemorySegment(tab, t + 3 * stride, LE);
            v2.intoMemorySegment(tab, t + 4 * stride, LE);
            e5.intoMemorySegment(tab, t + 5 * stride, LE);
            e6.intoMemorySegment(tab, t + 6 * stride, LE);
            e7.intoMemorySegment(tab, t + 7 * stride, LE);
            v3.intoMemorySegment(tab, t + 8 * stride, LE);
            e9.intoMemorySegment(tab, t + 9 * stride, LE);
            e10.intoMemorySegment(tab, t + 10 * stride, LE);
            e11.intoMemorySegment(tab, t + 11 * stride, LE);
            e12.intoMemorySegment(tab, t + 12 * stride, LE);
            e13.intoMemorySegment(tab, t + 13 * stride, LE);
            e14.intoMemorySegment(tab, t + 14 * stride, LE);
            e15.intoMemorySegment(tab, t + 15 * stride, LE);
        }
        rowSum.intoArray(sums, sumAt);
    }

    /** z (if non-null) and the f-partials of every sample for hidden units j..j+LANES−1, by table lookups. */
    private static void forwardColumn(float[] bArr, float[] aArr, int zp, int j, int b0, int b1, int groups, long[] nib,
                                      MemorySegment tab, float[] z, float[] fpart, float[] sums, int sumAt) {
        // z = (b + Σ_i W_i) − 2·(lookups)
        FloatVector base = FloatVector.fromArray(F, bArr, j).add(FloatVector.fromArray(F, sums, sumAt));
        FloatVector av = FloatVector.fromArray(F, aArr, j);
        final FloatVector zero = FloatVector.zero(F);
        final int b4 = b0 + ((b1 - b0) & ~3);
        int b = b0;
        // 4 samples at a time: 4 independent add chains hide the add latency
        for (; b < b4; b += 4) {
            FloatVector acc0 = zero, acc1 = zero, acc2 = zero, acc3 = zero;
            for (int k = b * groups, end = k + 4 * groups; k < end; k += 4) {
                acc0 = acc0.add(FloatVector.fromMemorySegment(F, tab, nib[k], LE));
                acc1 = acc1.add(FloatVector.fromMemorySegment(F, tab, nib[k + 1], LE));
                acc2 = acc2.add(FloatVector.fromMemorySegment(F, tab, nib[k + 2], LE));
                acc3 = acc3.add(FloatVector.fromMemorySegment(F, tab, nib[k + 3], LE));
            }
            acc0 = acc0.fma(MINUS_TWO, base);
            acc1 = acc1.fma(MINUS_TWO, base);
            acc2 = acc2.fma(MINUS_TWO, base);
            acc3 = acc3.fma(MINUS_TWO, base);
            if (z != null) {
                int r = j * zp + b * LANES;
                acc0.intoArray(z, r);
                acc1.intoArray(z, r + LANES);
                acc2.intoArray(z, r + 2 * LANES);
                acc3.intoArray(z, r + 3 * LANES);
            }
            if (fpart != null) {
                int p = b * LANES;
                acc0.max(0f).fma(av, FloatVector.fromArray(F, fpart, p)).intoArray(fpart, p);
                acc1.max(0f).fma(av, FloatVector.fromArray(F, fpart, p + LANES)).intoArray(fpart, p + LANES);
                acc2.max(0f).fma(av, FloatVector.fromArray(F, fpart, p + 2 * LANES)).intoArray(fpart, p + 2 * LANES);
                acc3.max(0f).fma(av, FloatVector.fromArray(F, fpart, p + 3 * LANES)).intoArray(fpart, p + 3 * LANES);
            }
        }
        for (; b < b1; b++) {
            FloatVector acc = zero;
            for (int k = (b & ~3) * groups + (b & 3), end = k + 4 * groups; k < end; k += 4) {
                acc = acc.add(FloatVector.fromMemorySegment(F, tab, nib[k], LE));
            }
            acc = acc.fma(MINUS_TWO, base);
            if (z != null) acc.intoArray(z, j * zp + b * LANES);
            if (fpart != null) {
                int p = b * LANES;
                acc.max(0f).fma(av, FloatVector.fromArray(F, fpart, p)).intoArray(fpart, p);
            }
        }
    }

    /**
     * For hidden units j..j+LANES−1: δ rows of each group of 4 samples → one 16-entry table; ∂a and
     * ∂b = S = Σ_b δ_b accumulate on the way (at the old a), S goes to sums[sumAt..] for the W update, then a and
     * b get their SGD update. Samples past the batch (up to a multiple of 4) have g = 0 and z = 0, hence δ = 0.
     */
    private static void deltaTables(float[] aArr, float[] bArr, float[] z, float[] g, int zp, int j, int q,
                                    MemorySegment tab, int stride, int off, float lr1, float lr2, float wd,
                                    float[] sums, int sumAt) {
        final FloatVector zero = FloatVector.zero(F);
        FloatVector av = FloatVector.fromArray(F, aArr, j);
        FloatVector gradA = zero, gradB = zero;
        for (int qi = 0; qi < q; qi++) {
            int b0 = qi << 2;
            // no branches here: a vector merged at an if/else join may be boxed by C2
            int r = j * zp + b0 * LANES;
            FloatVector z0 = FloatVector.fromArray(F, z, r);
            FloatVector z1 = FloatVector.fromArray(F, z, r + LANES);
            FloatVector z2 = FloatVector.fromArray(F, z, r + 2 * LANES);
            FloatVector z3 = FloatVector.fromArray(F, z, r + 3 * LANES);
            FloatVector g0 = FloatVector.broadcast(F, g[b0]), g1 = FloatVector.broadcast(F, g[b0 + 1]);
            FloatVector g2 = FloatVector.broadcast(F, g[b0 + 2]), g3 = FloatVector.broadcast(F, g[b0 + 3]);
            gradA = z0.max(0f).fma(g0, gradA);
            gradA = z1.max(0f).fma(g1, gradA);
            gradA = z2.max(0f).fma(g2, gradA);
            gradA = z3.max(0f).fma(g3, gradA);
            FloatVector x0 = zero.blend(av.mul(g0), z0.compare(VectorOperators.GT, 0f));
            FloatVector x1 = zero.blend(av.mul(g1), z1.compare(VectorOperators.GT, 0f));
            FloatVector x2 = zero.blend(av.mul(g2), z2.compare(VectorOperators.GT, 0f));
            FloatVector x3 = zero.blend(av.mul(g3), z3.compare(VectorOperators.GT, 0f));
            // table16 of the δ rows x0..x3, written out (see inputTables for why); e15 = x0+x1+x2+x3
            FloatVector e3 = x0.add(x1), e5 = x0.add(x2), e6 = x1.add(x2), e7 = e3.add(x2);
            FloatVector e9 = x0.add(x3), e10 = x1.add(x3), e11 = e3.add(x3), e12 = x2.add(x3);
            FloatVector e13 = e5.add(x3), e14 = e6.add(x3), e15 = e7.add(x3);
            gradB = gradB.add(e15);
            int t = qi * ENTRIES * stride + off;
            x0.intoMemorySegment(tab, t + stride, LE);
            x1.intoMemorySegment(tab, t + 2 * stride, LE);
            e3.intoMemorySegment(tab, t + 3 * stride, LE);
            x2.intoMemorySegment(tab, t + 4 * stride, LE);
            e5.intoMemorySegment(tab, t + 5 * stride, LE);
            e6.intoMemorySegment(tab, t + 6 * stride, LE);
            e7.intoMemorySegment(tab, t + 7 * stride, LE);
            x3.intoMemorySegment(tab, t + 8 * stride, LE);
            e9.intoMemorySegment(tab, t + 9 * stride, LE);
            e10.intoMemorySegment(tab, t + 10 * stride, LE);
            e11.intoMemorySegment(tab, t + 11 * stride, LE);
            e12.intoMemorySegment(tab, t + 12 * stride, LE);
            e13.intoMemorySegment(tab, t + 13 * stride, LE);
            e14.intoMemorySegment(tab, t + 14 * stride, LE);
            e15.intoMemorySegment(tab, t + 15 * stride, LE);
        }
        gradB.intoArray(sums, sumAt);
        // p ← p − η(∂p + λp) as two FMAs: t = λp + ∂p, then p + (−η)t; η = lr1 for b, lr2 for a
        FloatVector wdv = FloatVector.broadcast(F, wd);
        FloatVector negLr1 = FloatVector.broadcast(F, -lr1), negLr2 = FloatVector.broadcast(F, -lr2);
        FloatVector bv = FloatVector.fromArray(F, bArr, j);
        bv.fma(wdv, gradB).fma(negLr1, bv).intoArray(bArr, j);
        av.fma(wdv, gradA).fma(negLr2, av).intoArray(aArr, j);
    }

    /** ∂W_i = S − 2 Σ_q D_q[nibble q of column i] for hidden units j..j+LANES−1 (S at sums[sumAt..]), applied to W_i at once. */
    private static void updateRows(float[] w, int n, int h, int j, int q, long[] nib, MemorySegment tab, float lr, float wd,
                                   float[] sums, int sumAt) {
        final FloatVector zero = FloatVector.zero(F);
        final FloatVector sum = FloatVector.fromArray(F, sums, sumAt);
        final FloatVector wdv = FloatVector.broadcast(F, wd), negLr = FloatVector.broadcast(F, -lr);
        final int n4 = n & ~3;
        int i = 0;
        // 4 inputs at a time: 4 independent add chains; the gradient rows never leave registers
        for (; i < n4; i += 4) {
            FloatVector acc0 = zero, acc1 = zero, acc2 = zero, acc3 = zero;
            for (int k = i * q, end = k + 4 * q; k < end; k += 4) {
                acc0 = acc0.add(FloatVector.fromMemorySegment(F, tab, nib[k], LE));
                acc1 = acc1.add(FloatVector.fromMemorySegment(F, tab, nib[k + 1], LE));
                acc2 = acc2.add(FloatVector.fromMemorySegment(F, tab, nib[k + 2], LE));
                acc3 = acc3.add(FloatVector.fromMemorySegment(F, tab, nib[k + 3], LE));
            }
            acc0 = acc0.fma(MINUS_TWO, sum);
            acc1 = acc1.fma(MINUS_TWO, sum);
            acc2 = acc2.fma(MINUS_TWO, sum);
            acc3 = acc3.fma(MINUS_TWO, sum);
            int r = i * h + j;
            FloatVector w0 = FloatVector.fromArray(F, w, r);
            FloatVector w1 = FloatVector.fromArray(F, w, r + h);
            FloatVector w2 = FloatVector.fromArray(F, w, r + 2 * h);
            FloatVector w3 = FloatVector.fromArray(F, w, r + 3 * h);
            w0.fma(wdv, acc0).fma(negLr, w0).intoArray(w, r);
            w1.fma(wdv, acc1).fma(negLr, w1).intoArray(w, r + h);
            w2.fma(wdv, acc2).fma(negLr, w2).intoArray(w, r + 2 * h);
            w3.fma(wdv, acc3).fma(negLr, w3).intoArray(w, r + 3 * h);
        }
        for (; i < n; i++) {
            FloatVector acc = zero;
            for (int k = (i & ~3) * q + (i & 3), end = k + 4 * q; k < end; k += 4) {
                acc = acc.add(FloatVector.fromMemorySegment(F, tab, nib[k], LE));
            }
            acc = acc.fma(MINUS_TWO, sum);
            int r = i * h + j;
            FloatVector wv = FloatVector.fromArray(F, w, r);
            wv.fma(wdv, acc).fma(negLr, wv).intoArray(w, r);
        }
    }

    /** {@link #forwardColumn} for the two column blocks j and j+LANES at once (tables interleaved by PAIR). */
    private static void forwardColumn2(float[] bArr, float[] aArr, int zp, int j, int b0, int b1, int groups, long[] nib,
                                       MemorySegment tab, float[] z, float[] fpart, float[] sums) {
        // z = (b + Σ_i W_i) − 2·(lookups), Σ_i W_i of both blocks at sums[j..j+PAIR)
        FloatVector baseA = FloatVector.fromArray(F, bArr, j).add(FloatVector.fromArray(F, sums, j));
        FloatVector baseB = FloatVector.fromArray(F, bArr, j + LANES).add(FloatVector.fromArray(F, sums, j + LANES));
        final FloatVector zero = FloatVector.zero(F);
        FloatVector avA = FloatVector.fromArray(F, aArr, j), avB = FloatVector.fromArray(F, aArr, j + LANES);
        final int b4 = b0 + ((b1 - b0) & ~3);
        int b = b0;
        // 4 samples × 2 blocks = 8 independent add chains
        for (; b < b4; b += 4) {
            FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero;
            FloatVector c0 = zero, c1 = zero, c2 = zero, c3 = zero;
            for (int k = b * groups, end = k + 4 * groups; k < end; k += 4) {
                long o0 = nib[k], o1 = nib[k + 1], o2 = nib[k + 2], o3 = nib[k + 3];
                a0 = a0.add(FloatVector.fromMemorySegment(F, tab, o0, LE));
                c0 = c0.add(FloatVector.fromMemorySegment(F, tab, o0 + LANE_BYTES, LE));
                a1 = a1.add(FloatVector.fromMemorySegment(F, tab, o1, LE));
                c1 = c1.add(FloatVector.fromMemorySegment(F, tab, o1 + LANE_BYTES, LE));
                a2 = a2.add(FloatVector.fromMemorySegment(F, tab, o2, LE));
                c2 = c2.add(FloatVector.fromMemorySegment(F, tab, o2 + LANE_BYTES, LE));
                a3 = a3.add(FloatVector.fromMemorySegment(F, tab, o3, LE));
                c3 = c3.add(FloatVector.fromMemorySegment(F, tab, o3 + LANE_BYTES, LE));
            }
            a0 = a0.fma(MINUS_TWO, baseA);
            c0 = c0.fma(MINUS_TWO, baseB);
            a1 = a1.fma(MINUS_TWO, baseA);
            c1 = c1.fma(MINUS_TWO, baseB);
            a2 = a2.fma(MINUS_TWO, baseA);
            c2 = c2.fma(MINUS_TWO, baseB);
            a3 = a3.fma(MINUS_TWO, baseA);
            c3 = c3.fma(MINUS_TWO, baseB);
            if (z != null) {
                int r = j * zp + b * LANES, rc = r + LANES * zp;
                a0.intoArray(z, r);
                a1.intoArray(z, r + LANES);
                a2.intoArray(z, r + 2 * LANES);
                a3.intoArray(z, r + 3 * LANES);
                c0.intoArray(z, rc);
                c1.intoArray(z, rc + LANES);
                c2.intoArray(z, rc + 2 * LANES);
                c3.intoArray(z, rc + 3 * LANES);
            }
            if (fpart != null) {
                int p = b * LANES;
                c0.max(0f).fma(avB, a0.max(0f).fma(avA, FloatVector.fromArray(F, fpart, p))).intoArray(fpart, p);
                c1.max(0f).fma(avB, a1.max(0f).fma(avA, FloatVector.fromArray(F, fpart, p + LANES))).intoArray(fpart, p + LANES);
                c2.max(0f).fma(avB, a2.max(0f).fma(avA, FloatVector.fromArray(F, fpart, p + 2 * LANES))).intoArray(fpart, p + 2 * LANES);
                c3.max(0f).fma(avB, a3.max(0f).fma(avA, FloatVector.fromArray(F, fpart, p + 3 * LANES))).intoArray(fpart, p + 3 * LANES);
            }
        }
        for (; b < b1; b++) {
            FloatVector a0 = zero, c0 = zero;
            for (int k = (b & ~3) * groups + (b & 3), end = k + 4 * groups; k < end; k += 4) {
                long o = nib[k];
                a0 = a0.add(FloatVector.fromMemorySegment(F, tab, o, LE));
                c0 = c0.add(FloatVector.fromMemorySegment(F, tab, o + LANE_BYTES, LE));
            }
            a0 = a0.fma(MINUS_TWO, baseA);
            c0 = c0.fma(MINUS_TWO, baseB);
            if (z != null) {
                a0.intoArray(z, j * zp + b * LANES);
                c0.intoArray(z, (j + LANES) * zp + b * LANES);
            }
            if (fpart != null) {
                int p = b * LANES;
                c0.max(0f).fma(avB, a0.max(0f).fma(avA, FloatVector.fromArray(F, fpart, p))).intoArray(fpart, p);
            }
        }
    }

    /** {@link #updateRows} for the two column blocks j and j+LANES at once (tables interleaved by PAIR). */
    private static void updateRows2(float[] w, int n, int h, int j, int q, long[] nib, MemorySegment tab, float lr, float wd,
                                    float[] sums, int sumAt) {
        final FloatVector zero = FloatVector.zero(F);
        final FloatVector sumA = FloatVector.fromArray(F, sums, sumAt), sumB = FloatVector.fromArray(F, sums, sumAt + LANES);
        final FloatVector wdv = FloatVector.broadcast(F, wd), negLr = FloatVector.broadcast(F, -lr);
        final int n4 = n & ~3;
        int i = 0;
        // 4 inputs × 2 blocks = 8 independent add chains
        for (; i < n4; i += 4) {
            FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero, c0 = zero, c1 = zero, c2 = zero, c3 = zero;
            for (int k = i * q, end = k + 4 * q; k < end; k += 4) {
                long o0 = nib[k], o1 = nib[k + 1], o2 = nib[k + 2], o3 = nib[k + 3];
                a0 = a0.add(FloatVector.fromMemorySegment(F, tab, o0, LE));
                c0 = c0.add(FloatVector.fromMemorySegment(F, tab, o0 + LANE_BYTES, LE));
                a1 = a1.add(FloatVector.fromMemorySegment(F, tab, o1, LE));
                c1 = c1.add(FloatVector.fromMemorySegment(F, tab, o1 + LANE_BYTES, LE));
                a2 = a2.add(FloatVector.fromMemorySegment(F, tab, o2, LE));
                c2 = c2.add(FloatVector.fromMemorySegment(F, tab, o2 + LANE_BYTES, LE));
                a3 = a3.add(FloatVector.fromMemorySegment(F, tab, o3, LE));
                c3 = c3.add(FloatVector.fromMemorySegment(F, tab, o3 + LANE_BYTES, LE));
            }
            a0 = a0.fma(MINUS_TWO, sumA);
            c0 = c0.fma(MINUS_TWO, sumB);
            a1 = a1.fma(MINUS_TWO, sumA);
            c1 = c1.fma(MINUS_TWO, sumB);
            a2 = a2.fma(MINUS_TWO, sumA);
            c2 = c2.fma(MINUS_TWO, sumB);
            a3 = a3.fma(MINUS_TWO, sumA);
            c3 = c3.fma(MINUS_TWO, sumB);
            int r = i * h + j;
            FloatVector w0 = FloatVector.fromArray(F, w, r), x0 = FloatVector.fromArray(F, w, r + LANES);
            w0.fma(wdv, a0).fma(negLr, w0).intoArray(w, r);
            x0.fma(wdv, c0).fma(negLr, x0).intoArray(w, r + LANES);
            r += h;
            FloatVector w1 = FloatVector.fromArray(F, w, r), x1 = FloatVector.fromArray(F, w, r + LANES);
            w1.fma(wdv, a1).fma(negLr, w1).intoArray(w, r);
            x1.fma(wdv, c1).fma(negLr, x1).intoArray(w, r + LANES);
            r += h;
            FloatVector w2 = FloatVector.fromArray(F, w, r), x2 = FloatVector.fromArray(F, w, r + LANES);
            w2.fma(wdv, a2).fma(negLr, w2).intoArray(w, r);
            x2.fma(wdv, c2).fma(negLr, x2).intoArray(w, r + LANES);
            r += h;
            FloatVector w3 = FloatVector.fromArray(F, w, r), x3 = FloatVector.fromArray(F, w, r + LANES);
            w3.fma(wdv, a3).fma(negLr, w3).intoArray(w, r);
            x3.fma(wdv, c3).fma(negLr, x3).intoArray(w, r + LANES);
        }
        for (; i < n; i++) {
            FloatVector a0 = zero, c0 = zero;
            for (int k = (i & ~3) * q + (i & 3), end = k + 4 * q; k < end; k += 4) {
                long o = nib[k];
                a0 = a0.add(FloatVector.fromMemorySegment(F, tab, o, LE));
                c0 = c0.add(FloatVector.fromMemorySegment(F, tab, o + LANE_BYTES, LE));
            }
            a0 = a0.fma(MINUS_TWO, sumA);
            c0 = c0.fma(MINUS_TWO, sumB);
            int r = i * h + j;
            FloatVector w0 = FloatVector.fromArray(F, w, r), x0 = FloatVector.fromArray(F, w, r + LANES);
            w0.fma(wdv, a0).fma(negLr, w0).intoArray(w, r);
            x0.fma(wdv, c0).fma(negLr, x0).intoArray(w, r + LANES);
        }
    }

    // ---------------------------------------------------------------- σ(z) = z^k

    /*
     * The z^k passes reuse the tables (inputTables, updateRows), the nibble offsets and the zero-padded tail, but
     * run single column blocks only (stride PAIR_BYTES, offset 0) and keep their own column and δ bodies, so the
     * ReLU bodies compile exactly as before. z^{k−1} is the left-to-right product 1·z·…·z in every lane
     * (Activation.powM1), z^k = z^{k−1}·z. Padding lanes of the tail have W = a = b = 0, so z = 0 and
     * a·z^k = 0 there (k ≥ 1), δ = 0, and their updates stay 0.
     */

    /** {@link #forwardBlocks} for σ(z) = z^k (single column blocks). */
    private static void forwardBlocksPow(Mlp2 net, Scratch s, int part, int j0, int j1, boolean tail,
                                         int b0, int b1, float[] z, float[] fpart) {
        final int n = net.n, h = net.h, groups = s.inGroups, k = net.activation.degree(), zp = s.zPanel;
        final long[] nib = s.rowNibs[part];
        final MemorySegment tab = s.tabs[part];
        final float[] sums = s.partSums[part];
        for (int j = j0; j < j1; j += LANES) {
            inputTables(net.w, n, h, j, tab, PAIR_BYTES, 0, sums, j);
            forwardColumnPow(net.b, net.a, zp, j, b0, b1, groups, nib, tab, z, fpart, k, sums, j);
        }
        // tail: hidden units j >= bound, one zero-padded vector block (its z panel is tailZ)
        if (tail) {
            int bound = F.loopBound(h);
            inputTables(s.tailW, n, LANES, 0, tab, PAIR_BYTES, 0, sums, bound);
            forwardColumnPow(s.tailB, s.tailA, zp, 0, b0, b1, groups, nib, tab, z == null ? null : s.tailZ, fpart, k, sums, bound);
        }
    }

    /** z^{k−1} = 1·z·…·z, left to right: the same products as {@link Activation#powM1} in every lane. */
    private static FloatVector powM1(FloatVector z, int k) {
        FloatVector p = FloatVector.broadcast(F, 1f);
        for (int i = 1; i < k; i++) p = p.mul(z);
        return p;
    }

    /** {@link #forwardColumn} with σ(z) = z^k (tables at stride PAIR_BYTES, offset 0). */
    private static void forwardColumnPow(float[] bArr, float[] aArr, int zp, int j, int b0, int b1, int groups, long[] nib,
                                         MemorySegment tab, float[] z, float[] fpart, int k, float[] sums, int sumAt) {
        FloatVector base = FloatVector.fromArray(F, bArr, j).add(FloatVector.fromArray(F, sums, sumAt));
        FloatVector av = FloatVector.fromArray(F, aArr, j);
        final FloatVector zero = FloatVector.zero(F);
        final int b4 = b0 + ((b1 - b0) & ~3);
        int b = b0;
        for (; b < b4; b += 4) {
            FloatVector acc0 = zero, acc1 = zero, acc2 = zero, acc3 = zero;
            for (int kk = b * groups, end = kk + 4 * groups; kk < end; kk += 4) {
                acc0 = acc0.add(FloatVector.fromMemorySegment(F, tab, nib[kk], LE));
                acc1 = acc1.add(FloatVector.fromMemorySegment(F, tab, nib[kk + 1], LE));
                acc2 = acc2.add(FloatVector.fromMemorySegment(F, tab, nib[kk + 2], LE));
                acc3 = acc3.add(FloatVector.fromMemorySegment(F, tab, nib[kk + 3], LE));
            }
            acc0 = acc0.fma(MINUS_TWO, base);
            acc1 = acc1.fma(MINUS_TWO, base);
            acc2 = acc2.fma(MINUS_TWO, base);
            acc3 = acc3.fma(MINUS_TWO, base);
            if (z != null) {
                int r = j * zp + b * LANES;
                acc0.intoArray(z, r);
                acc1.intoArray(z, r + LANES);
                acc2.intoArray(z, r + 2 * LANES);
                acc3.intoArray(z, r + 3 * LANES);
            }
            if (fpart != null) {
                int p = b * LANES;
                powM1(acc0, k).mul(acc0).fma(av, FloatVector.fromArray(F, fpart, p)).intoArray(fpart, p);
                powM1(acc1, k).mul(acc1).fma(av, FloatVector.fromArray(F, fpart, p + LANES)).intoArray(fpart, p + LANES);
                powM1(acc2, k).mul(acc2).fma(av, FloatVector.fromArray(F, fpart, p + 2 * LANES)).intoArray(fpart, p + 2 * LANES);
                powM1(acc3, k).mul(acc3).fma(av, FloatVector.fromArray(F, fpart, p + 3 * LANES)).intoArray(fpart, p + 3 * LANES);
            }
        }
        for (; b < b1; b++) {
            FloatVector acc = zero;
            for (int kk = (b & ~3) * groups + (b & 3), end = kk + 4 * groups; kk < end; kk += 4) {
                acc = acc.add(FloatVector.fromMemorySegment(F, tab, nib[kk], LE));
            }
            acc = acc.fma(MINUS_TWO, base);
            if (z != null) acc.intoArray(z, j * zp + b * LANES);
            if (fpart != null) {
                int p = b * LANES;
                powM1(acc, k).mul(acc).fma(av, FloatVector.fromArray(F, fpart, p)).intoArray(fpart, p);
            }
        }
    }

    /** {@link #backwardBlocks} for σ(z) = z^k (single column blocks): δ_bj = (a_j·k)·g_b·z_bj^{k−1}, ∂a_j = Σ_b g_b z_bj^k. */
    private static void backwardBlocksPow(Mlp2 net, Scratch s, int part, int j0, int j1, boolean tail,
                                          float[] z, int q, float lr1, float lr2, float wd) {
        final int n = net.n, h = net.h, k = net.activation.degree(), zp = s.zPanel;
        final float[] g = s.g;
        final long[] nib = s.colNibs[part];
        final MemorySegment tab = s.tabs[part];
        final float[] sums = s.partSums[part];
        // blocks in the reverse of the forward's order, as in backwardBlocks (independent blocks: no bit changes)
        if (tail) {
            // the zero-padded copy loaded by the forward (still current: nothing else wrote it)
            int bound = F.loopBound(h);
            deltaTablesPow(s.tailA, s.tailB, s.tailZ, g, zp, 0, q, tab, k, lr1, lr2, wd, sums, bound);
            updateRows(s.tailW, n, LANES, 0, q, nib, tab, lr1, wd, sums, bound);
            s.storeTail(net, bound);
        }
        for (int j = j1 - LANES; j >= j0; j -= LANES) {
            deltaTablesPow(net.a, net.b, z, g, zp, j, q, tab, k, lr1, lr2, wd, sums, j);
            updateRows(net.w, n, h, j, q, nib, tab, lr1, wd, sums, j);
        }
    }

    /**
     * {@link #deltaTables} with σ(z) = z^k, tables at stride PAIR_BYTES, offset 0. Padding samples have g = 0
     * and z = 0, hence δ = 0.
     */
    private static void deltaTablesPow(float[] aArr, float[] bArr, float[] z, float[] g, int zp, int j, int q,
                                       MemorySegment tab, int k, float lr1, float lr2, float wd, float[] sums, int sumAt) {
        final FloatVector zero = FloatVector.zero(F);
        final int stride = PAIR_BYTES;
        FloatVector av = FloatVector.fromArray(F, aArr, j);
        FloatVector akv = av.mul((float) k);
        FloatVector gradA = zero, gradB = zero;
        for (int qi = 0; qi < q; qi++) {
            int b0 = qi << 2;
            int r = j * zp + b0 * LANES;
            FloatVector z0 = FloatVector.fromArray(F, z, r);
            FloatVector z1 = FloatVector.fromArray(F, z, r + LANES);
            FloatVector z2 = FloatVector.fromArray(F, z, r + 2 * LANES);
            FloatVector z3 = FloatVector.fromArray(F, z, r + 3 * LANES);
            FloatVector g0 = FloatVector.broadcast(F, g[b0]), g1 = FloatVector.broadcast(F, g[b0 + 1]);
            FloatVector g2 = FloatVector.broadcast(F, g[b0 + 2]), g3 = FloatVector.broadcast(F, g[b0 + 3]);
            FloatVector p0 = powM1(z0, k), p1 = powM1(z1, k), p2 = powM1(z2, k), p3 = powM1(z3, k);
            gradA = p0.mul(z0).fma(g0, gradA);
            gradA = p1.mul(z1).fma(g1, gradA);
            gradA = p2.mul(z2).fma(g2, gradA);
            gradA = p3.mul(z3).fma(g3, gradA);
            FloatVector x0 = akv.mul(g0).mul(p0), x1 = akv.mul(g1).mul(p1);
            FloatVector x2 = akv.mul(g2).mul(p2), x3 = akv.mul(g3).mul(p3);
            // table16 of the δ rows x0..x3, written out (see inputTables for why); e15 = x0+x1+x2+x3
            FloatVector e3 = x0.add(x1), e5 = x0.add(x2), e6 = x1.add(x2), e7 = e3.add(x2);
            FloatVector e9 = x0.add(x3), e10 = x1.add(x3), e11 = e3.add(x3), e12 = x2.add(x3);
            FloatVector e13 = e5.add(x3), e14 = e6.add(x3), e15 = e7.add(x3);
            gradB = gradB.add(e15);
            int t = qi * ENTRIES * stride;
            x0.intoMemorySegment(tab, t + stride, LE);
            x1.intoMemorySegment(tab, t + 2 * stride, LE);
            e3.intoMemorySegment(tab, t + 3 * stride, LE);
            x2.intoMemorySegment(tab, t + 4 * stride, LE);
            e5.intoMemorySegment(tab, t + 5 * stride, LE);
            e6.intoMemorySegment(tab, t + 6 * stride, LE);
            e7.intoMemorySegment(tab, t + 7 * stride, LE);
            x3.intoMemorySegment(tab, t + 8 * stride, LE);
            e9.intoMemorySegment(tab, t + 9 * stride, LE);
            e10.intoMemorySegment(tab, t + 10 * stride, LE);
            e11.intoMemorySegment(tab, t + 11 * stride, LE);
            e12.intoMemorySegment(tab, t + 12 * stride, LE);
            e13.intoMemorySegment(tab, t + 13 * stride, LE);
            e14.intoMemorySegment(tab, t + 14 * stride, LE);
            e15.intoMemorySegment(tab, t + 15 * stride, LE);
        }
        gradB.intoArray(sums, sumAt);
        FloatVector wdv = FloatVector.broadcast(F, wd);
        FloatVector negLr1 = FloatVector.broadcast(F, -lr1), negLr2 = FloatVector.broadcast(F, -lr2);
        FloatVector bv = FloatVector.fromArray(F, bArr, j);
        bv.fma(wdv, gradB).fma(negLr1, bv).intoArray(bArr, j);
        av.fma(wdv, gradA).fma(negLr2, av).intoArray(aArr, j);
    }

    // ---------------------------------------------------------------- phases, for profile --phases

    /** The parts of a ReLU step that a {@link PhaseTimer} times one at a time. */
    public enum Phase {
        /** The whole fused step. */
        STEP("whole step"),
        /** inputTables: the forward's 16-entry tables, from the W rows. */
        FORWARD_TABLES("forward tables"),
        /** forwardColumn(2): the forward's lookups, storing z and the output partial sums. */
        FORWARD_LOOKUPS("forward lookups"),
        /** deltaTables: δ and its tables, ∂a, ∂b and the a and b update. */
        DELTA_TABLES("δ tables"),
        /** updateRows(2): the ∂W lookups and the W update. */
        UPDATE("∂W lookups + W update"),
        /** The rest of the step: the nibble offsets, the output sums, the loss and its gradient, the padding and copies. */
        REST("nibble offsets, loss, output sums");

        public final String label;

        Phase(String label) {
            this.label = label;
        }
    }

    /**
     * Times one phase of the ReLU step at a time, over every column block as the step walks them (pairs, a single
     * block, the zero-padded tail), on its own copy of a net, after one full step on (x, y) has filled z, g, the nibble
     * offsets and the tables. The other phases do not run, so the tables a phase reads are stale: the values it
     * computes change, its memory operations do not. Every rate is 0, so the copy stays as it was. One thread; the
     * batch x is read on every call, not copied.
     */
    public PhaseTimer phaseTimer(Mlp2 net, BitBatch x, float[] y, Loss loss) {
        if (!net.activation.isRelu()) throw new IllegalArgumentException("phases are timed for ReLU nets, got " + net.activation);
        return new PhaseTimer(this, net.copy(), x, y, loss);
    }

    /** See {@link #phaseTimer}. */
    public static final class PhaseTimer {
        private final VectorMlpKernels kernels;
        private final Mlp2 net;
        private final BitBatch x;
        private final float[] y;
        private final Loss loss;
        private final Scratch s;

        private PhaseTimer(VectorMlpKernels kernels, Mlp2 net, BitBatch x, float[] y, Loss loss) {
            this.kernels = kernels;
            this.net = net;
            this.x = x;
            this.y = y.clone();
            this.loss = loss;
            this.s = new Scratch(net.n, net.h, x.size());
            step();
        }

        /** ns per step of {@code phase}, over {@code steps} back-to-back runs of it. */
        public double nanos(Phase phase, int steps) {
            if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
            long t0 = System.nanoTime();
            for (int r = 0; r < steps; r++) {
                switch (phase) {
                    case STEP -> step();
                    case REST -> restOfStep(net, x, y, loss, s);
                    default -> runPhase(net, s, phase, x.size());
                }
            }
            return (System.nanoTime() - t0) / (double) steps;
        }

        private void step() {
            kernels.step(net, x, y, loss, 0f, 0f, 0f, s);
        }
    }

    /** What the one-thread ReLU step does besides the column blocks, in its order, every rate 0. */
    private static void restOfStep(Mlp2 net, BitBatch x, float[] y, Loss loss, Scratch s) {
        final int batch = x.size(), bound = F.loopBound(net.h);
        rowNibbles(x, s);
        Arrays.fill(s.fpart, 0, batch * LANES, 0f);
        if (bound < net.h) s.loadTail(net, bound);
        laneSums(s.fpart, 0, batch, net.c, s.f);
        lossGradients(loss, y, s.f, s.g, batch);
        float gc = sum(s.g, batch);
        colNibbles(x, s);
        padSamples(net, batch, s, s.z);
        if (bound < net.h) s.storeTail(net, bound);
        net.c = net.c - 0f * (gc + 0f * net.c); // the step's update of c, at rate 0
    }

    /** One phase of the one-thread ReLU step over all column blocks, in the step's block order, every rate 0. */
    static void runPhase(Mlp2 net, Scratch s, Phase phase, int batch) {
        final int n = net.n, h = net.h, groups = s.inGroups, zp = s.zPanel, q = (batch + 3) >>> 2, bound = F.loopBound(h);
        final float[] w = net.w, z = s.z, g = s.g, sums = s.sums, fpart = s.fpart;
        final MemorySegment tab = s.tab;
        if (phase == Phase.FORWARD_LOOKUPS) Arrays.fill(fpart, 0, batch * LANES, 0f);
        int j = 0;
        for (; j + PAIR <= bound; j += PAIR) {
            switch (phase) {
                case FORWARD_TABLES -> {
                    inputTables(w, n, h, j, tab, PAIR_BYTES, 0, sums, j);
                    inputTables(w, n, h, j + LANES, tab, PAIR_BYTES, LANE_BYTES, sums, j + LANES);
                }
                case FORWARD_LOOKUPS -> forwardColumn2(net.b, net.a, zp, j, 0, batch, groups, s.rowNib, tab, z, fpart, sums);
                case DELTA_TABLES -> {
                    deltaTables(net.a, net.b, z, g, zp, j, q, tab, PAIR_BYTES, 0, 0f, 0f, 0f, sums, j);
                    deltaTables(net.a, net.b, z, g, zp, j + LANES, q, tab, PAIR_BYTES, LANE_BYTES, 0f, 0f, 0f, sums, j + LANES);
                }
                case UPDATE -> updateRows2(w, n, h, j, q, s.colNib, tab, 0f, 0f, sums, j);
                case STEP, REST -> throw new IllegalArgumentException(phase + " does not run block by block");
            }
        }
        for (; j < bound; j += LANES) runPhaseOnBlock(phase, w, net.a, net.b, n, h, j, z, batch, q, s, j);
        if (bound < h) runPhaseOnBlock(phase, s.tailW, s.tailA, s.tailB, n, LANES, 0, s.tailZ, batch, q, s, bound);
    }

    /** {@link #runPhase} on one column block j of (w, a, b) with row stride h; its sums at sums[sumAt..]. */
    private static void runPhaseOnBlock(Phase phase, float[] w, float[] a, float[] b, int n, int h, int j, float[] z,
                                        int batch, int q, Scratch s, int sumAt) {
        switch (phase) {
            case FORWARD_TABLES -> inputTables(w, n, h, j, s.tab, PAIR_BYTES, 0, s.sums, sumAt);
            case FORWARD_LOOKUPS -> forwardColumn(b, a, s.zPanel, j, 0, batch, s.inGroups, s.rowNib, s.tab, z, s.fpart, s.sums, sumAt);
            case DELTA_TABLES -> deltaTables(a, b, z, s.g, s.zPanel, j, q, s.tab, PAIR_BYTES, 0, 0f, 0f, 0f, s.sums, sumAt);
            case UPDATE -> updateRows(w, n, h, j, q, s.colNib, s.tab, 0f, 0f, s.sums, sumAt);
            case STEP, REST -> throw new IllegalArgumentException(phase + " does not run block by block");
        }
    }

    private static Scratch check(Mlp2 net, BitBatch x, Workspace ws) {
        if (!(ws instanceof Scratch s)) throw new IllegalArgumentException("workspace is not from the vector kernels");
        if (s.n != net.n || s.h != net.h) throw new IllegalArgumentException("workspace shape differs from the net's");
        if (x.n() != net.n) throw new IllegalArgumentException("batch has n=" + x.n() + ", net has n=" + net.n);
        if (x.size() > s.maxBatch) throw new IllegalArgumentException("batch " + x.size() + " > workspace " + s.maxBatch);
        return s;
    }
}

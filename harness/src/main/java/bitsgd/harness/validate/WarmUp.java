package bitsgd.harness.validate;

import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.dense.DenseKernels;
import bitsgd.kernel.mlp.Activation;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.mlp.MlpKernels;
import bitsgd.kernel.popgrad.PopGradKernels;
import bitsgd.kernel.popgrad.PopTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Calls the vector kernels on small shapes that take every branch (column pairs, single blocks, half-width and
 * scalar tails, partial groups of inputs and samples) until C2 has compiled them, before the checks: without it a
 * check of a few hundred cases runs mostly the Vector API's Java fallback (interpreter and C1), which is not the code
 * a run executes and not the code a CPU- or JIT-specific defect would be in. "Compiled" is the JIT's own report
 * ({@link JitWatch}), not a guess from call counts: C2's thresholds grow with its queue, so on a busy machine a fixed
 * number of calls leaves the larger helpers in C1 code.
 */
final class WarmUp {
    private WarmUp() {}

    /** Calls of each kernel method per shape and round: past C1's thresholds in one round, C2's in a few. */
    static final int CALLS = 1000;
    /** The warm-up gives up after this long (the checks then run, and the report names what C2 had not compiled). */
    static final Duration MAX = Duration.ofSeconds(30);

    /**
     * What the warm-up achieved: the kernel methods C2 compiled, the hot ones it had not when it gave up (empty: all),
     * its time, and why compilation could not be observed (null when it was).
     */
    record Result(int c2Methods, List<String> notC2, double seconds, String unobserved) {
        /** One line for the report. */
        String line() {
            if (unobserved != null) {
                return String.format(Locale.ROOT, "%d calls per shape in %.1f s; C2 compilation not observed (%s)", CALLS, seconds, unobserved);
            }
            if (notC2.isEmpty()) return String.format(Locale.ROOT, "C2 compiled the %d hot kernel methods in %.1f s", c2Methods, seconds);
            return String.format(Locale.ROOT, "after %.1f s C2 had compiled %d kernel methods, not yet %s: the checks ran those in C1 code",
                    seconds, c2Methods, String.join(", ", notC2));
        }

        Map<String, Object> toMap() {
            var m = new LinkedHashMap<String, Object>();
            m.put("seconds", seconds);
            m.put("c2_methods", c2Methods);
            m.put("not_c2", notC2);
            if (unobserved != null) m.put("unobserved", unobserved);
            return m;
        }
    }

    /**
     * Warms every non-null kernel in rounds until every hot method of the kernel classes is C2-compiled and a round made
     * no new method hot, or {@link #MAX} passed; {@code lanes} (float lanes of the vector species) shapes the tails.
     */
    static Result run(MlpKernels mlp, DenseKernels dense, PopGradKernels popgrad, int lanes) {
        long t0 = System.nanoTime();
        if (mlp == null && dense == null && popgrad == null) return new Result(0, List.of(), 0, null);
        SplittableRandom rng = new SplittableRandom(12345);
        Runnable round = () -> {
            if (mlp != null) mlp(mlp, lanes, CALLS, rng);
            if (dense != null) dense(dense, lanes, CALLS, rng);
            if (popgrad != null) popgrad(popgrad, lanes, CALLS, rng);
        };
        JitWatch jit;
        try {
            jit = new JitWatch(watched(mlp, dense, popgrad));
        } catch (RuntimeException | LinkageError e) { // no Flight Recorder here: a fixed number of calls, and say so
            for (int r = 0; r < 3; r++) round.run();
            return new Result(0, List.of(), (System.nanoTime() - t0) * 1e-9, String.valueOf(e.getMessage()));
        }
        try (jit) {
            Set<String> pending;
            int hotBefore = -1;
            while (true) {
                round.run();
                jit.sync(Duration.ofSeconds(3));
                pending = jit.notC2();
                int hot = jit.c2Count() + pending.size();
                boolean settled = pending.isEmpty() && hot == hotBefore;
                if (settled || System.nanoTime() - t0 > MAX.toNanos()) break;
                hotBefore = hot;
            }
            return new Result(jit.c2Count(), List.copyOf(pending), (System.nanoTime() - t0) * 1e-9, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(jit.c2Count(), List.copyOf(jit.notC2()), (System.nanoTime() - t0) * 1e-9, "interrupted");
        }
    }

    /** The classes whose compilation the warm-up waits for: the vector kernels' own (nested ones too) and the enumeration popgrad runs in. */
    private static String[] watched(MlpKernels mlp, DenseKernels dense, PopGradKernels popgrad) {
        List<String> classes = new ArrayList<>();
        if (mlp != null) classes.add(mlp.getClass().getName());
        if (dense != null) classes.add(dense.getClass().getName());
        if (popgrad != null) {
            classes.add(popgrad.getClass().getName());
            classes.add("bitsgd.kernel.popgrad.Enumeration");
        }
        return classes.toArray(String[]::new);
    }

    static void mlp(MlpKernels k, int lanes, int calls, SplittableRandom rng) {
        // {n, h, B}: pairs + single block + tail with a partial last input and sample group; a net narrower than a vector;
        // inputs past one 64-bit word
        int[][] shapes = {{9, 3 * lanes + 3, 7}, {5, Math.max(1, lanes - 1), 4}, {65, lanes + 1, 3}};
        Loss[] losses = Loss.values();
        for (Activation act : new Activation[] {Activation.RELU, Activation.pow(3)}) {
            for (int[] s : shapes) {
                int n = s[0], h = s[1], b = s[2];
                Mlp2 start = new Mlp2(n, h, act), net = start.copy();
                for (int q = 0; q < start.w.length; q++) start.w[q] = (float) rng.nextDouble(-0.3, 0.3);
                for (int j = 0; j < h; j++) {
                    start.b[j] = (float) rng.nextDouble(-0.3, 0.3);
                    start.a[j] = (float) rng.nextDouble(-0.3, 0.3);
                }
                BitBatch x = new BitBatch(n, b);
                x.fillUniform(rng);
                float[] y = new float[b], f = new float[b];
                for (int i = 0; i < b; i++) y[i] = rng.nextBoolean() ? 1f : -1f;
                MlpKernels.Workspace ws = k.workspace(n, h, b);
                for (int t = 0; t < calls; t++) {
                    if (t % 64 == 0) copy(start, net); // small steps from a fixed start: the net never drifts far
                    // every loss and both decays, as the checks: a branch C2 never saw profiled would deoptimise there
                    k.step(net, x, y, losses[t % losses.length], 1e-3f, 1e-3f, (t & 4) == 0 ? 0f : 0.01f, ws);
                    k.forward(net, x, f, ws);
                }
            }
        }
    }

    static void dense(DenseKernels k, int lanes, int calls, SplittableRandom rng) {
        // {batch, ins, outs}: outs = two vectors + one + a half + a scalar tail; ins and batch in fours plus a tail;
        // only a scalar tail; whole vectors and blocks of four, no tail; a vector pair fused with its half-width tail
        int[][] shapes = {{5, 7, 3 * lanes + lanes / 2 + 1}, {3, 3 * lanes + 1, lanes + 1}, {1, 1, Math.max(1, lanes - 1)}, {8, 4, 2 * lanes},
                {6, 5, 2 * lanes + lanes / 2 + 1}};
        for (int[] s : shapes) {
            int batch = s[0], ins = s[1], outs = s[2];
            float[] in = uniform(batch * ins, rng), w = uniform(ins * outs, rng), bias = uniform(outs, rng);
            float[] dOut = uniform(batch * outs, rng), out = new float[batch * outs], dIn = new float[batch * ins];
            float[] h = new float[batch * outs], delta = new float[batch * outs], wt = new float[ins * outs];
            DenseKernels.transpose(w, ins, outs, wt);
            // the fused ReLU layer, with its skip where the layer is square (the last shape's outs × outs block)
            int sq = outs * outs <= w.length ? outs : 0;
            float[] hs = new float[batch * outs], dInS = new float[batch * outs];
            for (int t = 0; t < calls; t++) {
                k.forward(in, batch, ins, w, bias, outs, out);
                k.backwardInput(dOut, batch, outs, w, ins, dIn);
                k.update(in, dOut, batch, ins, outs, w, bias, 1e-6f, (t & 1) == 0 ? 0f : 0.01f);
                k.forwardRelu(in, batch, ins, w, bias, outs, out, h, false);
                k.backwardRelu(dOut, out, batch, outs, wt, ins, delta, dIn, false);
                if (sq > 0) {
                    k.forwardRelu(dOut, batch, sq, w, bias, outs, out, hs, true);
                    k.backwardRelu(dOut, out, batch, outs, wt, sq, delta, dInS, true);
                }
            }
        }
    }

    static void popgrad(PopGradKernels k, int lanes, int calls, SplittableRandom rng) {
        // {n, h}: 2 inputs (the single-input tails), one block of 2^5 with a padded row, and 4 blocks of 2^8 (L = 8 at h = 100)
        int[][] shapes = {{1, Math.max(1, lanes - 1)}, {5, 2 * lanes + 1}, {10, 100}};
        int[] rounds = {calls, calls, calls / 8}; // the big one's loops are 2^5 times longer
        for (int s = 0; s < shapes.length; s++) {
            int n = shapes[s][0];
            Mlp2 net = new Mlp2(n, shapes[s][1]).initUniform(new java.util.Random(rng.nextLong()));
            PopTarget target = PopTarget.parity(n, 0);
            for (int t = 0; t < rounds[s]; t++) k.compute(net, target, Loss.values()[t % Loss.values().length], (t & 4) == 0 ? 0 : 0.1);
        }
    }

    private static void copy(Mlp2 from, Mlp2 to) {
        System.arraycopy(from.w, 0, to.w, 0, from.w.length);
        System.arraycopy(from.b, 0, to.b, 0, from.h);
        System.arraycopy(from.a, 0, to.a, 0, from.h);
        to.c = from.c;
    }

    private static float[] uniform(int len, SplittableRandom rng) {
        float[] a = new float[len];
        for (int q = 0; q < len; q++) a[q] = (float) rng.nextDouble(-1, 1);
        return a;
    }
}

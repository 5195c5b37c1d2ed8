package bitsgd.harness.model;

import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.mlp.Loss;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The 1-neuron nets of Barak et al. 2022 (architectures vii–xiv, docs/protocols.md §A) on bit-packed ±1 inputs:
 * <pre>
 *   z = b + Σ_i w_i x_i            (x_i = ±1: an add or a subtract of w_i; bit i = 1 ⇔ x_i = −1)
 *   f = a·σ(z) + c                 second layer kept    (groups: 0 = first (w, b), 1 = second (a, c))
 *   f = σ(z)                       second layer removed (one group: first (w, b))
 * </pre>
 * σ is a {@link NeuronActivation} (sin, k-zigzag, ∞-zigzag, degree-k polynomial). One SGD step, with
 * g_b = ℓ'(y_b, f_b)/B and δ_b = g_b·a·σ'(z_b) (a ≡ 1 without the second layer):
 * ∂w_i = Σ_b x_bi δ_b, ∂b = Σ_b δ_b, ∂a = Σ_b g_b σ(z_b), ∂c = Σ_b g_b; θ ← θ − η_group (∂θ + λθ).
 *
 * <p>Parameter order ({@link #parameters()}): w_0..w_{n−1}, b, then a, c if the second layer is kept. Init draws in
 * that order: w and b with fan-in n, a and c with fan-in 1.
 *
 * <p>Scalar code, float parameters and sums, σ in double, with 4-bit lookup tables for both passes (below).
 * Measured (thread CPU time, this 2-core shared VM, JDK 25 C2, n = 50, B = 64, hinge): a step takes 2.6 µs
 * (zigzag, poly) to 3.6 µs (sin: Math.sin + Math.cos per sample), against 0.35 µs to draw the batch and its parity
 * labels; the plain ±w_i loops took 5.7–6.5 µs. So the step is dominated by arithmetic, not by data: a Vector API
 * twin could still pay off and is not written yet (the tables were the cheap half of that gain).
 */
public final class Neuron implements Model {
    private final int n;
    private final NeuronActivation sigma;
    private final boolean secondLayer;
    /** First-layer weights w_i. */
    private final float[] w;
    private float b, a = 1f, c;
    /** Per-sample pre-activations z_b, then δ_b (padded with zeros to a multiple of 4 samples). */
    private float[] z = new float[0];
    /** The 16-entry tables: per input group (forward), then per sample group (backward). */
    private float[] tab = new float[0];

    public Neuron(int n, NeuronActivation sigma, boolean secondLayer) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        this.n = n;
        this.sigma = sigma;
        this.secondLayer = secondLayer;
        this.w = new float[n];
    }

    /** Draws w (fan-in n), b (fan-in n), then a, c (fan-in 1) if the second layer is kept. */
    public Neuron init(InitScheme scheme, RandomGenerator rng) {
        scheme.fill(w, n, rng);
        b = scheme.draw(n, rng);
        if (secondLayer) {
            a = scheme.draw(1, rng);
            c = scheme.draw(1, rng);
        }
        return this;
    }

    /** Sets every parameter, in the order of {@link #parameters()}. */
    public Neuron set(float[] p) {
        if (p.length != parameterCount()) throw new IllegalArgumentException("expected " + parameterCount() + " parameters, got " + p.length);
        System.arraycopy(p, 0, w, 0, n);
        b = p[n];
        if (secondLayer) {
            a = p[n + 1];
            c = p[n + 2];
        }
        return this;
    }

    public NeuronActivation activation() { return sigma; }

    public boolean secondLayer() { return secondLayer; }

    @Override
    public String describe() {
        return "neuron " + sigma + (secondLayer ? " a*sigma+c" : " sigma only") + " (scalar)";
    }

    @Override public int inputs() { return n; }

    @Override public int layers() { return secondLayer ? 2 : 1; }

    @Override public String[] layerNames() { return secondLayer ? new String[] {"first", "second"} : new String[] {"first"}; }

    /*
     * Both passes use 4-bit lookup tables (the Four Russians, as VectorMlpKernels, docs/kernels.md, lookup tables):
     *   forward:  per group of 4 inputs, T_g[p] = Σ_r (bit r of p ? −w_{4g+r} : +w_{4g+r}), 16 entries;
     *             z_s = b + Σ_g T_g[nibble g of row s]                      ⌈n/4⌉ adds per sample instead of n
     *   backward: per group of 4 samples, D_q[p] = Σ_r (bit r of p ? −δ_{4q+r} : +δ_{4q+r});
     *             ∂w_i = Σ_q D_q[nibble q of column i]                      ⌈B/4⌉ adds per input instead of B
     * Inputs past n and samples past B enter as 0 (their bits are 0 and their table values are 0).
     */

    /** T[base + p] = Σ_r (bit r of p ? −v_r : +v_r): each entry one subtract of 2v_r from an earlier one. */
    static void table16(float[] t, int base, float v0, float v1, float v2, float v3) {
        float d0 = v0 + v0, d1 = v1 + v1, d2 = v2 + v2, d3 = v3 + v3;
        float e0 = (v0 + v1) + (v2 + v3);
        float e1 = e0 - d0, e2 = e0 - d1, e3 = e1 - d1;
        float e4 = e0 - d2, e5 = e1 - d2, e6 = e2 - d2, e7 = e3 - d2;
        t[base] = e0;
        t[base + 1] = e1;
        t[base + 2] = e2;
        t[base + 3] = e3;
        t[base + 4] = e4;
        t[base + 5] = e5;
        t[base + 6] = e6;
        t[base + 7] = e7;
        t[base + 8] = e0 - d3;
        t[base + 9] = e1 - d3;
        t[base + 10] = e2 - d3;
        t[base + 11] = e3 - d3;
        t[base + 12] = e4 - d3;
        t[base + 13] = e5 - d3;
        t[base + 14] = e6 - d3;
        t[base + 15] = e7 - d3;
    }

    /** Nibble {@code g} (bits 4g..4g+3) of a bit string starting at {@code bits[base]}; never straddles a word. */
    static int nibble(long[] bits, int base, int g) {
        int bit = g << 2;
        return (int) (bits[base + (bit >>> 6)] >>> (bit & 63)) & 15;
    }

    /** z_s = b + Σ_i x_si w_i for samples 0..batch−1 into {@code out}, by the input tables. */
    private void preActivations(long[] rows, int words, int batch, float[] out) {
        int groups = (n + 3) >>> 2;
        if (tab.length < groups * 16) tab = new float[groups * 16];
        for (int g = 0; g < groups; g++) {
            int i = g << 2;
            table16(tab, g << 4, w[i], i + 1 < n ? w[i + 1] : 0f, i + 2 < n ? w[i + 2] : 0f, i + 3 < n ? w[i + 3] : 0f);
        }
        for (int s = 0; s < batch; s++) {
            int rb = s * words;
            float acc = b;
            for (int g = 0; g < groups; g++) acc += tab[(g << 4) | nibble(rows, rb, g)];
            out[s] = acc;
        }
    }

    @Override
    public float step(Inputs in, float[] y, Loss loss, float[] lr, float weightDecay) {
        if (lr.length != layers()) throw new IllegalArgumentException("expected " + layers() + " learning rates, got " + lr.length);
        return pass(in, y, loss, lr, weightDecay, null);
    }

    /** ∂L/∂θ in {@link #parameters()} order: the step's sums, stored instead of applied. */
    @Override
    public float gradient(Inputs in, float[] y, Loss loss, float[] grad) {
        if (grad.length < parameterCount()) throw new IllegalArgumentException("gradient array " + grad.length + " < " + parameterCount());
        return pass(in, y, loss, null, 0f, grad);
    }

    /** Forward and backward; with {@code grad == null} the SGD update is applied, else the gradient is stored there. */
    private float pass(Inputs in, float[] y, Loss loss, float[] lr, float weightDecay, float[] grad) {
        BitBatch x = in.bits();
        int batch = x.size(), words = x.words();
        long[] rows = x.rows();
        int q = (batch + 3) >>> 2;
        if (z.length < q << 2) z = new float[q << 2];
        preActivations(rows, words, batch, z);
        float lossSum = 0f, ga = 0f, gc = 0f, gb = 0f;
        for (int s = 0; s < batch; s++) {
            float zs = z[s];
            float h = (float) sigma.value(zs);
            float f = secondLayer ? a * h + c : h;
            lossSum += loss.value(y[s], f);
            float g = loss.derivative(y[s], f) / batch;
            ga += g * h;
            gc += g;
            float d = (secondLayer ? g * a : g) * (float) sigma.derivative(zs);
            gb += d;
            z[s] = d;   // δ_s
        }
        for (int s = batch; s < q << 2; s++) z[s] = 0f;
        // ∂w_i = Σ_b x_bi δ_b by the δ tables over the column view
        long[] cols = x.columns();
        int colWords = x.colWords();
        if (tab.length < q * 16) tab = new float[q * 16];
        for (int qi = 0; qi < q; qi++) {
            int s0 = qi << 2;
            table16(tab, qi << 4, z[s0], z[s0 + 1], z[s0 + 2], z[s0 + 3]);
        }
        if (grad != null) {
            for (int i = 0; i < n; i++) grad[i] = inputGradient(cols, i * colWords, q);
            grad[n] = gb;
            if (secondLayer) {
                grad[n + 1] = ga;
                grad[n + 2] = gc;
            }
            return lossSum / batch;
        }
        float lr1 = lr[0];
        for (int i = 0; i < n; i++) w[i] = sgd(w[i], inputGradient(cols, i * colWords, q), lr1, weightDecay);
        b = sgd(b, gb, lr1, weightDecay);
        if (secondLayer) {
            a = sgd(a, ga, lr[1], weightDecay);
            c = sgd(c, gc, lr[1], weightDecay);
        }
        return lossSum / batch;
    }

    /** ∂w_i = Σ_q D_q[nibble q of column i], from the δ tables. */
    private float inputGradient(long[] cols, int cb, int q) {
        float acc = 0f;
        for (int qi = 0; qi < q; qi++) acc += tab[(qi << 4) | nibble(cols, cb, qi)];
        return acc;
    }

    /** torch.optim.SGD: p ← p − η (g + λ p), as the MLP kernels. */
    static float sgd(float p, float grad, float lr, float weightDecay) {
        return p - lr * (grad + weightDecay * p);
    }

    @Override
    public void forward(Inputs in, float[] f) {
        BitBatch x = in.bits();
        int words = x.words();
        long[] rows = x.rows();
        int batch = x.size();
        if (z.length < batch) z = new float[batch];
        preActivations(rows, words, batch, z);
        for (int s = 0; s < batch; s++) {
            float h = (float) sigma.value(z[s]);
            f[s] = secondLayer ? a * h + c : h;
        }
    }

    @Override public long parameterCount() { return n + (secondLayer ? 3 : 1); }

    @Override
    public void setParameters(float[] p) {
        set(p);
    }

    /** w (n), b, then a and c when the second layer is kept; w and b form the first group. */
    @Override
    public List<Tensor> tensors() {
        List<Tensor> first = List.of(new Tensor("w", 0, n), new Tensor("b", 0, 1));
        return secondLayer ? List.of(first.get(0), first.get(1), new Tensor("a", 1, 1), new Tensor("c", 1, 1)) : first;
    }

    @Override
    public float[] parameters() {
        float[] p = new float[(int) parameterCount()];
        System.arraycopy(w, 0, p, 0, n);
        p[n] = b;
        if (secondLayer) {
            p[n + 1] = a;
            p[n + 2] = c;
        }
        return p;
    }

    @Override public float[] firstLayer() { return w.clone(); }

    @Override public int firstLayerUnits() { return 1; }

    @Override public boolean needsBits() { return true; }
}

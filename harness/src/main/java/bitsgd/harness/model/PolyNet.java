package bitsgd.harness.model;

import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.mlp.Loss;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * PolyNet (Barak et al. 2022, architecture xv, docs/protocols.md §A) on bit-packed ±1 inputs:
 * <pre>
 *   z_j = b_j + Σ_i W_ij x_i    (j = 0..k−1; x_i = ±1: an add or a subtract, bit i = 1 ⇔ x_i = −1)
 *   f   = z_0 · z_1 ⋯ z_{k−1}   (left to right)
 * </pre>
 * One SGD step with g_b = ℓ'(y_b, f_b)/B: δ_bj = g_b · Π_{l≠j} z_bl (prefix × suffix products, no division),
 * ∂W_ij = Σ_b x_bi δ_bj, ∂b_j = Σ_b δ_bj; θ ← θ − η (∂θ + λθ). One parameter group.
 *
 * <p>W is input-major like {@link bitsgd.kernel.mlp.Mlp2}: {@code w[i·k + j]}. Parameter order: W, then b. Init
 * draws W then b, all with fan-in n.
 *
 * <p>Scalar code in float with the 4-bit tables of {@link Neuron} per unit j: about n·k·B/4 adds per pass.
 * Measured as in {@link Neuron} (n = 50, k = 3, B = 64): 8 µs a step (26 µs with plain ±W loops), against 0.35 µs
 * of data generation: arithmetic-bound; no Vector API twin yet.
 */
public final class PolyNet implements Model {
    private final int n, k;
    private final float[] w, b;
    /** B×k pre-activations and δ (padded with zeros to a multiple of 4 samples); the 4-bit tables. */
    private float[] z = new float[0], delta = new float[0], tab = new float[0];
    private final float[] gb, prefix;

    public PolyNet(int n, int k) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        if (k < 1) throw new IllegalArgumentException("degree k must be >= 1, got " + k);
        this.n = n;
        this.k = k;
        this.w = new float[Math.multiplyExact(n, k)];
        this.b = new float[k];
        this.gb = new float[k];
        this.prefix = new float[k];
    }

    /** Draws W (input-major) then b, fan-in n. */
    public PolyNet init(InitScheme scheme, RandomGenerator rng) {
        scheme.fill(w, n, rng);
        scheme.fill(b, n, rng);
        return this;
    }

    /** Sets every parameter, in the order of {@link #parameters()}. */
    public PolyNet set(float[] p) {
        if (p.length != parameterCount()) throw new IllegalArgumentException("expected " + parameterCount() + " parameters, got " + p.length);
        System.arraycopy(p, 0, w, 0, w.length);
        System.arraycopy(p, w.length, b, 0, k);
        return this;
    }

    public int degree() { return k; }

    @Override public String describe() { return "polynet k=" + k + " (scalar)"; }

    @Override public int inputs() { return n; }

    @Override public int layers() { return 1; }

    @Override public String[] layerNames() { return new String[] {"first"}; }

    /**
     * z[s·k + j] = b_j + Σ_i x_si W_ij for samples 0..batch−1, by 4-bit input tables per unit j (as {@link Neuron}):
     * T_{j,g}[p] at {@code tab[(j·groups + g)·16 + p]}.
     */
    private void preActivations(long[] rows, int words, int batch, float[] z) {
        int groups = (n + 3) >>> 2;
        if (tab.length < k * groups * 16) tab = new float[k * groups * 16];
        for (int j = 0; j < k; j++) {
            for (int g = 0; g < groups; g++) {
                int r = (g << 2) * k + j, i = g << 2;
                Neuron.table16(tab, (j * groups + g) << 4, w[r], i + 1 < n ? w[r + k] : 0f,
                        i + 2 < n ? w[r + 2 * k] : 0f, i + 3 < n ? w[r + 3 * k] : 0f);
            }
        }
        for (int s = 0; s < batch; s++) {
            int rb = s * words;
            for (int j = 0; j < k; j++) {
                float acc = b[j];
                int tj = j * groups;
                for (int g = 0; g < groups; g++) acc += tab[((tj + g) << 4) | Neuron.nibble(rows, rb, g)];
                z[s * k + j] = acc;
            }
        }
    }

    private float product(float[] z, int zb) {
        float f = z[zb];
        for (int j = 1; j < k; j++) f *= z[zb + j];
        return f;
    }

    @Override
    public float step(Inputs in, float[] y, Loss loss, float[] lr, float weightDecay) {
        if (lr.length != 1) throw new IllegalArgumentException("expected 1 learning rate, got " + lr.length);
        return pass(in, y, loss, lr[0], weightDecay, null);
    }

    /** ∂L/∂θ in {@link #parameters()} order: the step's sums, stored instead of applied. */
    @Override
    public float gradient(Inputs in, float[] y, Loss loss, float[] grad) {
        if (grad.length < parameterCount()) throw new IllegalArgumentException("gradient array " + grad.length + " < " + parameterCount());
        return pass(in, y, loss, 0f, 0f, grad);
    }

    /** Forward and backward; with {@code grad == null} the SGD update is applied, else the gradient is stored there. */
    private float pass(Inputs in, float[] y, Loss loss, float eta, float weightDecay, float[] grad) {
        BitBatch x = in.bits();
        int batch = x.size(), words = x.words(), q = (batch + 3) >>> 2;
        long[] rows = x.rows();
        if (z.length < (q << 2) * k) {
            z = new float[(q << 2) * k];
            delta = new float[(q << 2) * k];
        }
        preActivations(rows, words, batch, z);
        float lossSum = 0f;
        java.util.Arrays.fill(gb, 0f);
        for (int s = 0; s < batch; s++) {
            int zb = s * k;
            float f = product(z, zb);
            lossSum += loss.value(y[s], f);
            float g = loss.derivative(y[s], f) / batch;
            // Π_{l≠j} z_l = (z_0⋯z_{j−1})·(z_{j+1}⋯z_{k−1}): prefix products forward, suffix backward
            float p = 1f;
            for (int j = 0; j < k; j++) {
                prefix[j] = p;
                p *= z[zb + j];
            }
            float suffix = 1f;
            for (int j = k - 1; j >= 0; j--) {
                float d = g * (prefix[j] * suffix);
                delta[zb + j] = d;
                gb[j] += d;
                suffix *= z[zb + j];
            }
        }
        java.util.Arrays.fill(delta, batch * k, (q << 2) * k, 0f);
        // ∂W_ij = Σ_s x_si δ_sj by δ tables per unit j and group of 4 samples, over the column view
        long[] cols = x.columns();
        int colWords = x.colWords();
        if (tab.length < k * q * 16) tab = new float[k * q * 16];
        for (int j = 0; j < k; j++) {
            for (int qi = 0; qi < q; qi++) {
                int d0 = (qi << 2) * k + j;
                Neuron.table16(tab, (j * q + qi) << 4, delta[d0], delta[d0 + k], delta[d0 + 2 * k], delta[d0 + 3 * k]);
            }
        }
        for (int i = 0; i < n; i++) {
            int cb = i * colWords;
            for (int j = 0; j < k; j++) {
                float acc = 0f;
                int tj = j * q;
                for (int qi = 0; qi < q; qi++) acc += tab[((tj + qi) << 4) | Neuron.nibble(cols, cb, qi)];
                int r = i * k + j;
                if (grad != null) grad[r] = acc;
                else w[r] = Neuron.sgd(w[r], acc, eta, weightDecay);
            }
        }
        if (grad != null) System.arraycopy(gb, 0, grad, w.length, k);
        else for (int j = 0; j < k; j++) b[j] = Neuron.sgd(b[j], gb[j], eta, weightDecay);
        return lossSum / batch;
    }

    @Override
    public void forward(Inputs in, float[] f) {
        BitBatch x = in.bits();
        int batch = x.size();
        if (z.length < batch * k) {
            int cap = ((batch + 3) & ~3) * k;
            z = new float[cap];
            delta = new float[cap];
        }
        preActivations(x.rows(), x.words(), batch, z);
        for (int s = 0; s < batch; s++) f[s] = product(z, s * k);
    }

    @Override public long parameterCount() { return (long) n * k + k; }

    @Override
    public float[] parameters() {
        float[] p = new float[(int) parameterCount()];
        System.arraycopy(w, 0, p, 0, w.length);
        System.arraycopy(b, 0, p, w.length, k);
        return p;
    }

    @Override
    public void setParameters(float[] p) {
        set(p);
    }

    /** W input-major (n × k), then b; one group. */
    @Override
    public List<Tensor> tensors() {
        return List.of(new Tensor("W", 0, n, k), new Tensor("b", 0, k));
    }

    @Override public float[] firstLayer() { return w.clone(); }

    @Override public int firstLayerUnits() { return k; }

    @Override public boolean needsBits() { return true; }
}

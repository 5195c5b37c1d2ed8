package bitsgd.kernel.mlp;

import bitsgd.kernel.bits.BitBatch;

/**
 * The reference: plain loops that read like the math in {@link MlpKernels}, in float like the fast
 * kernels. ReLU and z^k have separate loops (chosen once per step, not per element). Inputs are ±1, so "x_i · W_i" is an add or a subtract of row i, never a multiply.
 */
public final class ScalarMlpKernels implements MlpKernels {

    public static final ScalarMlpKernels INSTANCE = new ScalarMlpKernels();

    private ScalarMlpKernels() {}

    @Override
    public String name() {
        return "scalar";
    }

    static final class Scratch implements Workspace {
        final int n, h, maxBatch;
        final float[] z;      // B×h pre-activations, later reused for δ
        final float[] f;      // B outputs
        final float[] g;      // B values ∂L/∂f_b
        final float[] grad;   // one row of h gradient values

        Scratch(int n, int h, int maxBatch) {
            this.n = n;
            this.h = h;
            this.maxBatch = maxBatch;
            this.z = new float[Math.multiplyExact(maxBatch, h)];
            this.f = new float[maxBatch];
            this.g = new float[maxBatch];
            this.grad = new float[h];
        }
    }

    @Override
    public Workspace workspace(int n, int h, int maxBatch) {
        return new Scratch(n, h, maxBatch);
    }

    @Override
    public void forward(Mlp2 net, BitBatch x, float[] f, Workspace ws) {
        Scratch s = check(net, x, ws);
        forward(net, x, s.z, f);
    }

    /** z_bj = b_j + Σ_i x_bi W_ij, f_b = c + Σ_j a_j σ(z_bj). */
    private static void forward(Mlp2 net, BitBatch x, float[] z, float[] f) {
        int n = net.n, h = net.h, batch = x.size(), k = net.activation.degree();   // k = 0: ReLU
        for (int s = 0; s < batch; s++) {
            int zb = s * h;
            System.arraycopy(net.b, 0, z, zb, h);
            for (int i = 0; i < n; i++) {
                int wi = i * h;
                if (x.bit(s, i)) {
                    for (int j = 0; j < h; j++) z[zb + j] -= net.w[wi + j];
                } else {
                    for (int j = 0; j < h; j++) z[zb + j] += net.w[wi + j];
                }
            }
            float out = net.c;
            if (k == 0) {
                for (int j = 0; j < h; j++) out += net.a[j] * Math.max(z[zb + j], 0f);
            } else {
                for (int j = 0; j < h; j++) out += net.a[j] * (Activation.powM1(z[zb + j], k) * z[zb + j]);
            }
            f[s] = out;
        }
    }

    /** g_b = ∂ℓ/∂f (y_b, f_b) / B for every sample; returns Σ_b ℓ(y_b, f_b). */
    private static float lossGradients(float[] y, float[] f, int batch, Loss loss, float[] g) {
        float lossSum = 0f;
        for (int b = 0; b < batch; b++) {
            lossSum += loss.value(y[b], f[b]);
            g[b] = loss.derivative(y[b], f[b]) / batch;
        }
        return lossSum;
    }

    @Override
    public float step(Mlp2 net, BitBatch x, float[] y, Loss loss, float lr1, float lr2, float weightDecay, Workspace ws) {
        Scratch s = check(net, x, ws);
        int n = net.n, h = net.h, batch = x.size();
        float[] z = s.z, g = s.g;
        forward(net, x, z, s.f);
        float lossSum = lossGradients(y, s.f, batch, loss, g);

        float[] gradA = s.grad;
        if (net.activation.isRelu()) {
            // ∂L/∂a_j = Σ_b g_b h_bj and ∂L/∂b_j = Σ_b g_b a_j [z_bj > 0], both at the old a.
            for (int j = 0; j < h; j++) {
                float ga = 0f, gb = 0f;
                for (int b = 0; b < batch; b++) {
                    float zbj = z[b * h + j];
                    if (zbj > 0f) {
                        ga += g[b] * zbj;
                        gb += g[b] * net.a[j];
                    }
                }
                gradA[j] = ga;
                net.b[j] = sgd(net.b[j], gb, lr1, weightDecay);
            }
            // δ_bj = g_b a_j [z_bj > 0] overwrites z (old a, before a is updated).
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < h; j++) {
                    int k = b * h + j;
                    z[k] = z[k] > 0f ? g[b] * net.a[j] : 0f;
                }
            }
        } else {
            // σ = z^k: ∂L/∂a_j = Σ_b g_b z_bj^k, δ_bj = (a_j k) g_b z_bj^{k−1} overwrites z, ∂L/∂b_j = Σ_b δ_bj (old a).
            int deg = net.activation.degree();
            float kf = deg;
            for (int j = 0; j < h; j++) {
                float ga = 0f, gb = 0f, ak = net.a[j] * kf;
                for (int b = 0; b < batch; b++) {
                    int k = b * h + j;
                    float zbj = z[k], p = Activation.powM1(zbj, deg);
                    ga += g[b] * (p * zbj);
                    float d = ak * g[b] * p;
                    gb += d;
                    z[k] = d;
                }
                gradA[j] = ga;
                net.b[j] = sgd(net.b[j], gb, lr1, weightDecay);
            }
        }
        for (int j = 0; j < h; j++) net.a[j] = sgd(net.a[j], gradA[j], lr2, weightDecay);
        float gc = 0f;
        for (int b = 0; b < batch; b++) gc += g[b];
        net.c = sgd(net.c, gc, lr2, weightDecay);

        // ∂L/∂W_ij = Σ_b x_bi δ_bj, applied row by row: the full gradient matrix is never stored.
        float[] row = s.grad;
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(row, 0f);
            for (int b = 0; b < batch; b++) {
                int db = b * h;
                if (x.bit(b, i)) {
                    for (int j = 0; j < h; j++) row[j] -= z[db + j];
                } else {
                    for (int j = 0; j < h; j++) row[j] += z[db + j];
                }
            }
            int wi = i * h;
            for (int j = 0; j < h; j++) net.w[wi + j] = sgd(net.w[wi + j], row[j], lr1, weightDecay);
        }
        return lossSum / batch;
    }

    /**
     * The mean loss and ∂L/∂θ without weight decay into {@code grad}, in {@link Mlp2}'s parameter order (W input-major,
     * b, a, c); the net is unchanged. The same sums in the same order as {@link #step}, so θ − η·grad is the step's
     * update with λ = 0 up to the rounding of one fused multiply.
     */
    public float gradient(Mlp2 net, BitBatch x, float[] y, Loss loss, float[] grad, Workspace ws) {
        Scratch s = check(net, x, ws);
        int n = net.n, h = net.h, batch = x.size(), gradB = n * h, gradA = gradB + h;
        if (grad.length < net.parameterCount()) throw new IllegalArgumentException("gradient array " + grad.length + " < " + net.parameterCount());
        float[] z = s.z, g = s.g;
        forward(net, x, z, s.f);
        float lossSum = lossGradients(y, s.f, batch, loss, g);
        int deg = net.activation.degree();
        float kf = deg;
        for (int j = 0; j < h; j++) {
            float ga = 0f, gb = 0f, ak = net.a[j] * kf;
            for (int b = 0; b < batch; b++) {
                int k = b * h + j;
                float zbj = z[k];
                if (net.activation.isRelu()) {
                    float d = zbj > 0f ? g[b] * net.a[j] : 0f;
                    if (zbj > 0f) {
                        ga += g[b] * zbj;
                        gb += d;
                    }
                    z[k] = d;
                } else {
                    float p = Activation.powM1(zbj, deg);
                    ga += g[b] * (p * zbj);
                    float d = ak * g[b] * p;
                    gb += d;
                    z[k] = d;
                }
            }
            grad[gradA + j] = ga;
            grad[gradB + j] = gb;
        }
        float gc = 0f;
        for (int b = 0; b < batch; b++) gc += g[b];
        grad[gradA + h] = gc;
        // ∂L/∂W_ij = Σ_b x_bi δ_bj, δ now in z
        for (int i = 0; i < n; i++) {
            int wi = i * h;
            java.util.Arrays.fill(grad, wi, wi + h, 0f);
            for (int b = 0; b < batch; b++) {
                int db = b * h;
                if (x.bit(b, i)) {
                    for (int j = 0; j < h; j++) grad[wi + j] -= z[db + j];
                } else {
                    for (int j = 0; j < h; j++) grad[wi + j] += z[db + j];
                }
            }
        }
        return lossSum / batch;
    }

    /** torch.optim.SGD: p ← p − η (g + λ p). */
    static float sgd(float p, float grad, float lr, float weightDecay) {
        return p - lr * (grad + weightDecay * p);
    }

    private static Scratch check(Mlp2 net, BitBatch x, Workspace ws) {
        if (!(ws instanceof Scratch s)) throw new IllegalArgumentException("workspace is not from the scalar kernels");
        if (s.n != net.n || s.h != net.h) throw new IllegalArgumentException("workspace shape differs from the net's");
        if (x.n() != net.n) throw new IllegalArgumentException("batch has n=" + x.n() + ", net has n=" + net.n);
        if (x.size() > s.maxBatch) throw new IllegalArgumentException("batch " + x.size() + " > workspace " + s.maxBatch);
        return s;
    }
}

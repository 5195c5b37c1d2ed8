package bitsgd.harness.model;

import bitsgd.kernel.dense.DenseKernels;
import bitsgd.kernel.dense.DenseWarmup;
import bitsgd.kernel.mlp.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The staircase paper's ReLU ResNet (Abbe et al. 2021; docs/protocols.md §B): L fully connected layers
 * n→W, (L−2)×(W→W), W→1, all with bias, ReLU after every layer but the last, and an identity skip on
 * every hidden→hidden layer. L = 2 is the plain dense 2-layer ReLU MLP.
 *
 * <pre>
 *   h_0 = ReLU(x W_0 + b_0)                            layer 0: n → W    (no skip: the shapes differ)
 *   h_l = ReLU(h_{l−1} W_l + b_l) + h_{l−1}            layers 1..L−2: W → W
 *   f   = h_{L−2} W_{L−1} + b_{L−1}                    layer L−1: W → 1
 *
 *   backward, with g_b = ℓ'(y_b, f_b)/B:
 *     ∂h_{L−2} = g W_{L−1}ᵀ
 *     for l = L−2 … 0:  δ_l = ∂h_l ⊙ [z_l &gt; 0];   ∂h_{l−1} = δ_l W_lᵀ + ∂h_l (skip; l ≥ 1)
 *     layer l's gradients: inᵀ δ_l and Σ_b δ_l, applied at once by {@link DenseKernels#update}
 * </pre>
 * Every ∂h is formed with the weights from before the step. Each hidden layer is one
 * {@link DenseKernels#forwardRelu} and one {@link DenseKernels#backwardRelu}; the latter reads a transposed copy
 * of the hidden→hidden weights that the step updates alongside them (bit-identical to the transpose). Weights are input-major
 * ({@code W_l[i·outs + j]}), one parameter group per layer (per-layer learning rates), SGD with weight
 * decay λ on every parameter. Reads {@link Inputs#dense()}, so bit-packed inputs work through their
 * ±1 expansion. Parameter order: layer 0 W, layer 0 b, layer 1 W, … (also the init draw order).
 */
public final class ResNet implements Model {
    private final int n, width, depth;
    private final int[] ins, outs;
    private final float[][] w, b;
    /** Transposes of the hidden→hidden weights (layers 1..L−2; null elsewhere), kept in step by {@link #step}. */
    private final float[][] wt;
    private final DenseKernels kernels;

    // training scratch: per hidden layer pre-activations z_l and outputs h_l (B×W), sized on first use
    private int trainCap;
    private float[][] z, h;
    private float[] f, g, delta, dh, dhPrev;
    // gradient-pass scratch: one layer's weight and bias gradient, sized on first use
    private float[] gradW, gradB;
    // forward-only scratch: two ping-pong activations and one pre-activation buffer
    private int evalCap;
    private float[] ez, eh0, eh1;

    /** A network with all parameters zero; see {@link #init}. */
    public ResNet(int n, int width, int depth, DenseKernels kernels) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        if (width < 1) throw new IllegalArgumentException("width must be >= 1, got " + width);
        if (depth < 2) throw new IllegalArgumentException("depth must be >= 2, got " + depth);
        this.n = n;
        this.width = width;
        this.depth = depth;
        this.kernels = kernels;
        ins = new int[depth];
        outs = new int[depth];
        w = new float[depth][];
        b = new float[depth][];
        wt = new float[depth][];
        for (int l = 0; l < depth; l++) {
            ins[l] = l == 0 ? n : width;
            outs[l] = l == depth - 1 ? 1 : width;
            w[l] = new float[Math.multiplyExact(ins[l], outs[l])];
            b[l] = new float[outs[l]];
            if (hasSkip(l)) wt[l] = new float[w[l].length];
        }
        DenseWarmup.start(kernels, n, width);   // C2 compiles the Vector API kernels while the run draws its data
    }

    private boolean hasSkip(int l) {
        return l >= 1 && l <= depth - 2;
    }

    /** Refreshes the transposed copies after the weights were set from outside {@link #step}. */
    private void transposeAll() {
        for (int l = 0; l < depth; l++) if (wt[l] != null) DenseKernels.transpose(w[l], ins[l], outs[l], wt[l]);
    }

    /** Layer l's transposed weights ({@code [j·ins + i]}), null for the first and last layer; for tests. */
    float[] transposed(int l) { return wt[l]; }

    /** Draws every layer from {@code scheme} with its fan-in, layer by layer: W (input-major), then b. */
    public ResNet init(InitScheme scheme, RandomGenerator rng) {
        for (int l = 0; l < depth; l++) {
            scheme.fill(w[l], ins[l], rng);
            scheme.fill(b[l], ins[l], rng);
        }
        transposeAll();
        return this;
    }

    public int width() { return width; }

    public int depth() { return depth; }

    public DenseKernels kernels() { return kernels; }

    /** Layer l's live weights, input-major {@code [i·outs + j]}; read-only (change them with {@link #setParameters}). */
    public float[] weights(int l) { return w[l]; }

    /** Layer l's live biases; read-only (change them with {@link #setParameters}). */
    public float[] biases(int l) { return b[l]; }

    @Override
    public String describe() {
        return "resnet relu depth=" + depth + " width=" + width + " (" + kernels.name() + ")";
    }

    @Override public int inputs() { return n; }

    @Override public int layers() { return depth; }

    @Override
    public String[] layerNames() {
        String[] names = new String[depth];
        for (int l = 0; l < depth; l++) names[l] = "fc" + (l + 1);
        return names;
    }

    private void trainScratch(int size) {
        if (z != null && size <= trainCap) return;
        trainCap = Math.max(size, trainCap);
        int hw = Math.multiplyExact(trainCap, width);
        z = new float[depth - 1][hw];
        h = new float[depth - 1][hw];
        f = new float[trainCap];
        g = new float[trainCap];
        delta = new float[hw];
        dh = new float[hw];
        dhPrev = new float[hw];
    }

    @Override
    public float step(Inputs x, float[] y, Loss loss, float[] lr, float weightDecay) {
        if (x.n() != n) throw new IllegalArgumentException("inputs have n=" + x.n() + ", model has n=" + n);
        if (lr.length != depth) throw new IllegalArgumentException("need " + depth + " learning rates, got " + lr.length);
        final int batch = x.size();
        trainScratch(batch);
        final float[] in = x.dense();
        final float lossSum = forwardLoss(in, batch, y, loss);
        final int last = depth - 1;

        // backward: ∂h from the old weights first, then the layer's update (and its transpose's)
        kernels.backwardInput(g, batch, 1, w[last], width, dh);
        kernels.update(h[last - 1], g, batch, width, 1, w[last], b[last], lr[last], weightDecay);
        for (int l = last - 1; l >= 0; l--) {
            float[] layerIn = l == 0 ? in : h[l - 1];
            kernels.backwardRelu(dh, z[l], batch, width, wt[l], ins[l], delta, l > 0 ? dhPrev : null, l > 0);
            kernels.update(layerIn, delta, batch, ins[l], width, w[l], b[l], lr[l], weightDecay);
            if (l > 0) {
                kernels.update(delta, layerIn, batch, width, ins[l], wt[l], null, lr[l], weightDecay);
                float[] t = dh;
                dh = dhPrev;
                dhPrev = t;
            }
        }
        return lossSum / batch;
    }

    /** Forward keeping z_l and h_l for the backward pass, then g_b = ℓ'(y_b, f_b)/B; returns the summed loss. */
    private float forwardLoss(float[] in, int batch, float[] y, Loss loss) {
        for (int l = 0; l < depth - 1; l++) {
            kernels.forwardRelu(l == 0 ? in : h[l - 1], batch, ins[l], w[l], b[l], width, z[l], h[l], l > 0);
        }
        kernels.forward(h[depth - 2], batch, width, w[depth - 1], b[depth - 1], 1, f);
        float lossSum = 0f;
        for (int s = 0; s < batch; s++) {
            lossSum += loss.value(y[s], f[s]);
            g[s] = loss.derivative(y[s], f[s]) / batch;
        }
        return lossSum;
    }

    /**
     * The step's forward and backward passes with no update: every ∂h from the unchanged weights, and each layer's
     * weight gradient by {@link DenseKernels#update} on zeros with η = −1 and λ = 0, which leaves exactly
     * fma(fma(0, 0, G), 1, 0) = G: the step's own fma chain, vector kernels included.
     */
    @Override
    public float gradient(Inputs x, float[] y, Loss loss, float[] grad) {
        if (x.n() != n) throw new IllegalArgumentException("inputs have n=" + x.n() + ", model has n=" + n);
        if (grad.length < parameterCount()) throw new IllegalArgumentException("gradient array " + grad.length + " < " + parameterCount());
        final int batch = x.size();
        trainScratch(batch);
        if (gradW == null) {
            gradW = new float[Math.max(w[0].length, w[depth - 2].length)];
            gradB = new float[width];
        }
        final float[] in = x.dense();
        final float lossSum = forwardLoss(in, batch, y, loss);
        final int last = depth - 1;
        int[] at = Tensor.offsets(tensors());
        kernels.backwardInput(g, batch, 1, w[last], width, dh);
        layerGradient(h[last - 1], g, batch, width, 1, grad, at[2 * last]);
        for (int l = last - 1; l >= 0; l--) {
            kernels.backwardRelu(dh, z[l], batch, width, wt[l], ins[l], delta, l > 0 ? dhPrev : null, l > 0);
            layerGradient(l == 0 ? in : h[l - 1], delta, batch, ins[l], width, grad, at[2 * l]);
            if (l > 0) {
                float[] t = dh;
                dh = dhPrev;
                dhPrev = t;
            }
        }
        return lossSum / batch;
    }

    /** One layer's ∂W (input-major) then ∂b into {@code grad} from {@code at}. */
    private void layerGradient(float[] layerIn, float[] dOut, int batch, int layerIns, int layerOuts, float[] grad, int at) {
        int size = layerIns * layerOuts;
        java.util.Arrays.fill(gradW, 0, size, 0f);
        java.util.Arrays.fill(gradB, 0, layerOuts, 0f);
        kernels.update(layerIn, dOut, batch, layerIns, layerOuts, gradW, gradB, -1f, 0f);
        System.arraycopy(gradW, 0, grad, at, size);
        System.arraycopy(gradB, 0, grad, at + size, layerOuts);
    }

    @Override
    public void forward(Inputs x, float[] out) {
        if (x.n() != n) throw new IllegalArgumentException("inputs have n=" + x.n() + ", model has n=" + n);
        final int batch = x.size();
        if (ez == null || batch > evalCap) {
            evalCap = Math.max(batch, evalCap);
            int size = Math.multiplyExact(evalCap, width);
            ez = new float[size];
            eh0 = new float[size];
            eh1 = new float[size];
        }
        float[] cur = eh0, next = eh1;
        kernels.forwardRelu(x.dense(), batch, n, w[0], b[0], width, ez, cur, false);
        for (int l = 1; l < depth - 1; l++) {
            kernels.forwardRelu(cur, batch, width, w[l], b[l], width, ez, next, true);
            float[] t = cur;
            cur = next;
            next = t;
        }
        kernels.forward(cur, batch, width, w[depth - 1], b[depth - 1], 1, out);
    }

    @Override
    public long parameterCount() {
        long count = 0;
        for (int l = 0; l < depth; l++) count += (long) w[l].length + b[l].length;
        return count;
    }

    @Override
    public float[] parameters() {
        float[] p = new float[Math.toIntExact(parameterCount())];
        int at = 0;
        for (int l = 0; l < depth; l++) {
            System.arraycopy(w[l], 0, p, at, w[l].length);
            at += w[l].length;
            System.arraycopy(b[l], 0, p, at, b[l].length);
            at += b[l].length;
        }
        return p;
    }

    /** Per layer l = 1..depth: W_l input-major (ins × outs), then b_l; group l − 1. */
    @Override
    public List<Tensor> tensors() {
        List<Tensor> t = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            int outs = b[l].length, ins = w[l].length / outs;
            t.add(new Tensor("W" + (l + 1), l, ins, outs));
            t.add(new Tensor("b" + (l + 1), l, outs));
        }
        return t;
    }

    @Override
    public void setParameters(float[] p) {
        if (p.length != parameterCount()) throw new IllegalArgumentException("need " + parameterCount() + " parameters, got " + p.length);
        int at = 0;
        for (int l = 0; l < depth; l++) {
            System.arraycopy(p, at, w[l], 0, w[l].length);
            at += w[l].length;
            System.arraycopy(p, at, b[l], 0, b[l].length);
            at += b[l].length;
        }
        transposeAll();
    }

    @Override public float[] firstLayer() { return w[0].clone(); }

    @Override public int firstLayerUnits() { return width; }

    @Override public boolean needsBits() { return false; }
}

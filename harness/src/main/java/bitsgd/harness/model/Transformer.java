package bitsgd.harness.model;

import bitsgd.kernel.attn.AttentionKernels;
import bitsgd.kernel.attn.AttentionWarmup;
import bitsgd.kernel.mlp.Loss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A Transformer encoder over the n input bits as n tokens (Barak et al. 2022's architecture; docs/architecture.md
 * "Transformer" says where the paper is silent and what was chosen): width W, H heads of dimension d = W/H, L blocks,
 * no LayerNorm, mean pooling, a linear head.
 *
 * <pre>
 *   h_0[b,t] = x_{b,t} · e + p_t                                  token embedding of the bit ±1, learned position
 *   per block l = 1..L (rows = B·n tokens):
 *     qkv    = h Wqkv + bqkv                                      W → 3W
 *     a      = MultiHeadSoftmaxAttention(qkv)                     heads concatenated, scores scaled by 1/√d
 *     m      = h + a Wo + bo                                      residual
 *     h_next = m + ReLU(m W1 + b1) W2 + b2                        MLP W → 4W → W, residual
 *   f_b = w_head · (1/n) Σ_t h_L[b,t] + b_head                     mean pooling, linear head to one output
 * </pre>
 * Parameter groups: {@code embed}, {@code block1} … {@code blockL}, {@code head}. Parameters (and init draws) in
 * {@link #tensors()} order; weights are input-major ({@code W[i·outs + j]}). Xavier-uniform weights
 * (U(±√(6/(fan_in + fan_out)))), zero biases. The model's matmuls and attention run on {@link AttentionKernels}.
 */
public final class Transformer implements Model {
    /** Tensors per block: qkv.W, qkv.b, out.W, out.b, mlp1.W, mlp1.b, mlp2.W, mlp2.b. */
    private static final int PER_BLOCK = 8;
    private static final int QKV_W = 0, QKV_B = 1, OUT_W = 2, OUT_B = 3, MLP1_W = 4, MLP1_B = 5, MLP2_W = 6, MLP2_B = 7;
    /** MLP hidden width = MLP_RATIO · W (the standard encoder's 4). */
    public static final int MLP_RATIO = 4;

    private final int n, width, heads, depth, hidden;
    private final AttentionKernels kernels;
    private final List<Tensor> tensors;
    /** Parameters and gradients per tensor, in {@link #tensors} order. */
    private final float[][] p, g;
    private final int tokenT = 0, posT = 1, headW, headB;

    private Buffers train, eval;
    private float[] flatGrad;

    /** A network with all parameters zero; see {@link #init}. */
    public Transformer(int n, int width, int heads, int depth, AttentionKernels kernels) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        if (width < 1 || heads < 1 || width % heads != 0) throw new IllegalArgumentException("width " + width + " must be a multiple of heads " + heads);
        if (depth < 1) throw new IllegalArgumentException("depth must be >= 1, got " + depth);
        this.n = n;
        this.width = width;
        this.heads = heads;
        this.depth = depth;
        this.hidden = Math.multiplyExact(MLP_RATIO, width);
        this.kernels = kernels;
        AttentionWarmup.start(kernels, n, width, heads, MLP_RATIO);   // C2 compiles the Vector API kernels while the run starts
        List<Tensor> t = new ArrayList<>();
        t.add(new Tensor("embed.token", 0, 1, width));
        t.add(new Tensor("embed.position", 0, n, width));
        for (int l = 1; l <= depth; l++) {
            String b = "block" + l + ".";
            t.add(new Tensor(b + "qkv.W", l, width, 3 * width));
            t.add(new Tensor(b + "qkv.b", l, 3 * width));
            t.add(new Tensor(b + "out.W", l, width, width));
            t.add(new Tensor(b + "out.b", l, width));
            t.add(new Tensor(b + "mlp1.W", l, width, hidden));
            t.add(new Tensor(b + "mlp1.b", l, hidden));
            t.add(new Tensor(b + "mlp2.W", l, hidden, width));
            t.add(new Tensor(b + "mlp2.b", l, width));
        }
        t.add(new Tensor("head.W", depth + 1, width, 1));
        t.add(new Tensor("head.b", depth + 1, 1));
        tensors = List.copyOf(t);
        headW = tensors.size() - 2;
        headB = tensors.size() - 1;
        p = new float[tensors.size()][];
        g = new float[tensors.size()][];
        for (int i = 0; i < tensors.size(); i++) {
            p[i] = new float[tensors.get(i).size()];
            g[i] = new float[tensors.get(i).size()];
        }
    }

    /** Xavier-uniform weights drawn tensor by tensor in {@link #tensors()} order (entries in index order); biases zero. */
    public Transformer init(RandomGenerator rng) {
        for (int i = 0; i < tensors.size(); i++) {
            int[] shape = tensors.get(i).shape();
            if (shape.length == 1) {
                Arrays.fill(p[i], 0f);
                continue;
            }
            float bound = (float) Math.sqrt(6.0 / (shape[0] + shape[1]));
            for (int q = 0; q < p[i].length; q++) p[i][q] = (float) ((2.0 * rng.nextDouble() - 1.0) * bound);
        }
        return this;
    }

    private int blk(int l, int k) {
        return 2 + PER_BLOCK * l + k;
    }

    public int width() { return width; }

    public int heads() { return heads; }

    public int depth() { return depth; }

    public AttentionKernels kernels() { return kernels; }

    @Override
    public String describe() {
        return "transformer depth=" + depth + " width=" + width + " heads=" + heads + " (" + kernels.name() + ")";
    }

    @Override public int inputs() { return n; }

    @Override public int layers() { return depth + 2; }

    @Override
    public String[] layerNames() {
        String[] names = new String[depth + 2];
        names[0] = "embed";
        for (int l = 1; l <= depth; l++) names[l] = "block" + l;
        names[depth + 1] = "head";
        return names;
    }

    /** Activations of a pass: per block (training) or one shared slot (forward only). */
    private final class Buffers {
        final int cap, slots;
        final float[][] hs, qkv, probs, att, mid, u, r;
        final float[] pooled, f, gb, dh, dtmp, datt, dqkv, dr, scratch;

        Buffers(int cap, boolean keep) {
            this.cap = cap;
            slots = keep ? depth : 1;
            int rows = Math.multiplyExact(cap, n);
            int rw = Math.multiplyExact(rows, width), rh = Math.multiplyExact(rows, hidden);
            hs = new float[keep ? depth + 1 : 2][rw];
            qkv = new float[slots][Math.multiplyExact(3, rw)];
            probs = new float[slots][Math.multiplyExact(rows, heads * n)];
            att = new float[slots][rw];
            mid = new float[slots][rw];
            u = new float[slots][rh];
            r = new float[slots][rh];
            pooled = new float[cap * width];
            f = new float[cap];
            gb = new float[cap];
            dh = keep ? new float[rw] : null;
            dtmp = keep ? new float[rw] : null;
            datt = keep ? new float[rw] : null;
            dqkv = keep ? new float[3 * rw] : null;
            dr = keep ? new float[rh] : null;
            scratch = new float[kernels.scratchSize(n, width, heads, hidden, 3 * width)];
        }
    }

    /** The forward pass into {@code buf} (f in buf.f); with buf's per-block slots when it keeps them. */
    private void run(Inputs x, int batch, Buffers buf) {
        final int rows = batch * n;
        final boolean keep = buf.slots == depth;
        final float[] in = x.dense();
        float[] h0 = buf.hs[0], tok = p[tokenT], pos = p[posT];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < n; t++) {
                float xv = in[b * n + t];
                int o = (b * n + t) * width, po = t * width;
                for (int j = 0; j < width; j++) h0[o + j] = Math.fma(xv, tok[j], pos[po + j]);
            }
        }
        for (int l = 0; l < depth; l++) {
            int s = keep ? l : 0;
            float[] hin = buf.hs[keep ? l : l & 1], hout = buf.hs[keep ? l + 1 : (l + 1) & 1];
            float[] qkv = buf.qkv[s], att = buf.att[s], mid = buf.mid[s], u = buf.u[s], r = buf.r[s];
            kernels.linear(hin, rows, width, p[blk(l, QKV_W)], p[blk(l, QKV_B)], 3 * width, qkv);
            kernels.attention(qkv, batch, n, width, heads, buf.probs[s], att, buf.scratch);
            kernels.linear(att, rows, width, p[blk(l, OUT_W)], p[blk(l, OUT_B)], width, mid);
            for (int q = 0; q < rows * width; q++) mid[q] += hin[q];
            kernels.linear(mid, rows, width, p[blk(l, MLP1_W)], p[blk(l, MLP1_B)], hidden, u);
            for (int q = 0; q < rows * hidden; q++) r[q] = Math.max(u[q], 0f);
            kernels.linear(r, rows, hidden, p[blk(l, MLP2_W)], p[blk(l, MLP2_B)], width, hout);
            for (int q = 0; q < rows * width; q++) hout[q] += mid[q];
        }
        float[] last = buf.hs[keep ? depth : depth & 1], pooled = buf.pooled, hw = p[headW];
        final float invN = 1f / n;
        for (int b = 0; b < batch; b++) {
            float acc = p[headB][0];
            for (int j = 0; j < width; j++) {
                float sum = 0f;
                for (int t = 0; t < n; t++) sum += last[(b * n + t) * width + j];
                pooled[b * width + j] = sum * invN;
                acc = Math.fma(pooled[b * width + j], hw[j], acc);
            }
            buf.f[b] = acc;
        }
    }

    /**
     * The mean batch loss L = (1/B) Σ_b ℓ(y_b, f(x_b)) at the current parameters and its gradient ∂L/∂θ, without weight
     * decay, into {@code grad} (parameters() order); the model is unchanged.
     */
    @Override
    public float gradient(Inputs x, float[] y, Loss loss, float[] grad) {
        if (x.n() != n) throw new IllegalArgumentException("inputs have n=" + x.n() + ", model has n=" + n);
        if (grad.length < parameterCount()) throw new IllegalArgumentException("grad has " + grad.length + " < " + parameterCount() + " entries");
        final int batch = x.size(), rows = batch * n;
        if (train == null || train.cap < batch) train = new Buffers(batch, true);
        Buffers buf = train;
        run(x, batch, buf);
        for (float[] gi : g) Arrays.fill(gi, 0f);

        float lossSum = 0f;
        for (int b = 0; b < batch; b++) {
            lossSum += loss.value(y[b], buf.f[b]);
            buf.gb[b] = loss.derivative(y[b], buf.f[b]) / batch;
        }
        // head: f_b = w·pooled_b + c; ∂h_L[b,t,j] = g_b w_j / n
        float[] hw = p[headW], ghw = g[headW], dh = buf.dh;
        final float invN = 1f / n;
        float gc = 0f;
        for (int b = 0; b < batch; b++) {
            gc += buf.gb[b];
            for (int j = 0; j < width; j++) {
                ghw[j] = Math.fma(buf.gb[b], buf.pooled[b * width + j], ghw[j]);
                float d = buf.gb[b] * hw[j] * invN;
                for (int t = 0; t < n; t++) dh[(b * n + t) * width + j] = d;
            }
        }
        g[headB][0] = gc;
        for (int l = depth - 1; l >= 0; l--) {
            float[] hin = buf.hs[l], mid = buf.mid[l], u = buf.u[l], dr = buf.dr, dtmp = buf.dtmp;
            // MLP: h_out = m + ReLU(m W1 + b1) W2 + b2
            kernels.linearBackward(buf.r[l], dh, rows, hidden, width, p[blk(l, MLP2_W)], dr, g[blk(l, MLP2_W)], g[blk(l, MLP2_B)], buf.scratch);
            kernels.reluBackward(u, dr, rows * hidden);
            kernels.linearBackward(mid, dr, rows, width, hidden, p[blk(l, MLP1_W)], dtmp, g[blk(l, MLP1_W)], g[blk(l, MLP1_B)], buf.scratch);
            for (int q = 0; q < rows * width; q++) dh[q] += dtmp[q];
            // attention: m = h_in + Attn(h_in Wqkv + bqkv) Wo + bo
            kernels.linearBackward(buf.att[l], dh, rows, width, width, p[blk(l, OUT_W)], buf.datt, g[blk(l, OUT_W)], g[blk(l, OUT_B)], buf.scratch);
            kernels.attentionBackward(buf.qkv[l], buf.probs[l], buf.datt, batch, n, width, heads, buf.dqkv, buf.scratch);
            kernels.linearBackward(hin, buf.dqkv, rows, width, 3 * width, p[blk(l, QKV_W)], dtmp, g[blk(l, QKV_W)], g[blk(l, QKV_B)], buf.scratch);
            for (int q = 0; q < rows * width; q++) dh[q] += dtmp[q];
        }
        // embedding: h_0[b,t,j] = x_{b,t} e_j + p_{t,j}
        final float[] in = x.dense();
        float[] ge = g[tokenT], gp = g[posT];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < n; t++) {
                float xv = in[b * n + t];
                int o = (b * n + t) * width, po = t * width;
                for (int j = 0; j < width; j++) {
                    ge[j] = Math.fma(xv, dh[o + j], ge[j]);
                    gp[po + j] += dh[o + j];
                }
            }
        }
        int at = 0;
        for (float[] gi : g) {
            System.arraycopy(gi, 0, grad, at, gi.length);
            at += gi.length;
        }
        return lossSum / batch;
    }

    @Override
    public float step(Inputs x, float[] y, Loss loss, float[] lr, float weightDecay) {
        if (lr.length != layers()) throw new IllegalArgumentException("need " + layers() + " learning rates, got " + lr.length);
        if (flatGrad == null) flatGrad = new float[Math.toIntExact(parameterCount())];
        float l = gradient(x, y, loss, flatGrad);
        int at = 0;
        for (int i = 0; i < p.length; i++) {
            float eta = lr[tensors.get(i).group()];
            float[] pi = p[i];
            for (int q = 0; q < pi.length; q++) pi[q] = Math.fma(Math.fma(pi[q], weightDecay, flatGrad[at + q]), -eta, pi[q]);
            at += pi.length;
        }
        return l;
    }

    @Override
    public void forward(Inputs x, float[] f) {
        if (x.n() != n) throw new IllegalArgumentException("inputs have n=" + x.n() + ", model has n=" + n);
        final int batch = x.size();
        if (eval == null || eval.cap < batch) eval = new Buffers(batch, false);
        run(x, batch, eval);
        System.arraycopy(eval.f, 0, f, 0, batch);
    }

    @Override
    public long parameterCount() {
        long c = 0;
        for (float[] pi : p) c += pi.length;
        return c;
    }

    @Override
    public float[] parameters() {
        float[] out = new float[Math.toIntExact(parameterCount())];
        int at = 0;
        for (float[] pi : p) {
            System.arraycopy(pi, 0, out, at, pi.length);
            at += pi.length;
        }
        return out;
    }

    @Override
    public void setParameters(float[] src) {
        if (src.length != parameterCount()) throw new IllegalArgumentException("need " + parameterCount() + " parameters, got " + src.length);
        int at = 0;
        for (float[] pi : p) {
            System.arraycopy(src, at, pi, 0, pi.length);
            at += pi.length;
        }
    }

    /**
     * {@code embed.token} [1, W], {@code embed.position} [n, W] (group 0); per block l: {@code blockl.qkv.W} [W, 3W],
     * {@code .qkv.b}, {@code .out.W} [W, W], {@code .out.b}, {@code .mlp1.W} [W, 4W], {@code .mlp1.b}, {@code .mlp2.W}
     * [4W, W], {@code .mlp2.b} (group l); {@code head.W} [W, 1], {@code head.b} [1] (group L + 1).
     */
    @Override
    public List<Tensor> tensors() {
        return tensors;
    }

    /** The positional embedding, position-major: row i is token i's learned position vector (W units). */
    @Override public float[] firstLayer() { return p[posT].clone(); }

    @Override public int firstLayerUnits() { return width; }

    /** The tokens are the ±1 bits. */
    @Override public boolean needsBits() { return true; }
}

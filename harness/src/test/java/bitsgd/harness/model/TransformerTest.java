package bitsgd.harness.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.UsageException;
import bitsgd.harness.train.RunResult;
import bitsgd.harness.train.Setting;
import bitsgd.harness.train.Settings;
import bitsgd.harness.train.TrainConfig;
import bitsgd.harness.train.Trainer;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.Loss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Transformer: its gradient against central finite differences of an independent double-precision forward pass
 * (every tensor), step = gradient + SGD per group, scalar vs vector kernels, layout, validation, and that it learns a
 * small parity.
 */
class TransformerTest {
    static final int N = 6, W = 16, H = 4, L = 2, B = 5;

    static Transformer model(String kernels, long seed) {
        return new Transformer(N, W, H, L, Kernels.attention(kernels)).init(new SplittableRandom(seed));
    }

    static Inputs batch(int n, int size, SplittableRandom rng) {
        Inputs x = Inputs.bits(n, size);
        x.bits().fillUniform(rng);
        x.changed();
        return x;
    }

    static float[] labels(int size, SplittableRandom rng) {
        float[] y = new float[size];
        for (int b = 0; b < size; b++) y[b] = rng.nextBoolean() ? 1f : -1f;
        return y;
    }

    // ---------------------------------------------------------------- an independent double forward pass

    /** Square loss (1/B) Σ (y − f)² of the documented architecture at parameters θ (tensors() order), in double. */
    static double loss(double[] th, List<Tensor> ts, Inputs x, float[] y) {
        double[] f = forward(th, ts, x);
        double s = 0;
        for (int b = 0; b < f.length; b++) s += (y[b] - f[b]) * (y[b] - f[b]);
        return s / f.length;
    }

    static double[] forward(double[] th, List<Tensor> ts, Inputs x) {
        int[] at = Tensor.offsets(ts);
        int n = x.n(), w = ts.get(0).shape()[1], depth = (ts.size() - 4) / 8, hid = 4 * w, d = w / H;
        double[] f = new double[x.size()];
        for (int b = 0; b < x.size(); b++) {
            double[][] h = new double[n][w];
            for (int t = 0; t < n; t++) for (int j = 0; j < w; j++) h[t][j] = x.get(b, t) * th[at[0] + j] + th[at[1] + t * w + j];
            for (int l = 0; l < depth; l++) {
                int k = 2 + 8 * l;
                double[][] qkv = linear(h, th, at[k], at[k + 1], w, 3 * w);
                double[][] a = new double[n][w];
                for (int hd = 0; hd < H; hd++) {
                    for (int t = 0; t < n; t++) {
                        double[] e = new double[n];
                        double max = Double.NEGATIVE_INFINITY, sum = 0;
                        for (int s = 0; s < n; s++) {
                            double dot = 0;
                            for (int c = 0; c < d; c++) dot += qkv[t][hd * d + c] * qkv[s][w + hd * d + c];
                            e[s] = dot / Math.sqrt(d);
                            max = Math.max(max, e[s]);
                        }
                        for (int s = 0; s < n; s++) sum += e[s] = Math.exp(e[s] - max);
                        for (int c = 0; c < d; c++) {
                            double o = 0;
                            for (int s = 0; s < n; s++) o += e[s] / sum * qkv[s][2 * w + hd * d + c];
                            a[t][hd * d + c] = o;
                        }
                    }
                }
                double[][] m = linear(a, th, at[k + 2], at[k + 3], w, w);
                for (int t = 0; t < n; t++) for (int j = 0; j < w; j++) m[t][j] += h[t][j];
                double[][] u = linear(m, th, at[k + 4], at[k + 5], w, hid);
                for (double[] row : u) for (int j = 0; j < hid; j++) row[j] = Math.max(row[j], 0);
                double[][] o = linear(u, th, at[k + 6], at[k + 7], hid, w);
                for (int t = 0; t < n; t++) for (int j = 0; j < w; j++) o[t][j] += m[t][j];
                h = o;
            }
            int hw = at[ts.size() - 2], hb = at[ts.size() - 1];
            double out = th[hb];
            for (int j = 0; j < w; j++) {
                double pool = 0;
                for (int t = 0; t < n; t++) pool += h[t][j];
                out += pool / n * th[hw + j];
            }
            f[b] = out;
        }
        return f;
    }

    static double[][] linear(double[][] in, double[] th, int wAt, int bAt, int ins, int outs) {
        double[][] out = new double[in.length][outs];
        for (int t = 0; t < in.length; t++) {
            for (int j = 0; j < outs; j++) {
                double acc = th[bAt + j];
                for (int i = 0; i < ins; i++) acc += in[t][i] * th[wAt + i * outs + j];
                out[t][j] = acc;
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- tests

    @Test
    void gradientMatchesFiniteDifferencesForEveryTensor() {
        for (String k : kernels()) {
            Transformer net = model(k, 3);
            // non-zero biases, so their gradients are checked away from the init
            float[] p = net.parameters();
            SplittableRandom rng = new SplittableRandom(5);
            for (int q = 0; q < p.length; q++) if (p[q] == 0f) p[q] = (float) rng.nextDouble(-0.2, 0.2);
            net.setParameters(p);
            Inputs x = batch(N, B, rng);
            float[] y = labels(B, rng);
            float[] grad = new float[p.length];
            float lossF = net.gradient(x, y, Loss.SQUARE, grad);
            assertArrayEquals(p, net.parameters(), "gradient() leaves the model unchanged");
            List<Tensor> ts = net.tensors();
            double[] th = new double[p.length];
            for (int q = 0; q < p.length; q++) th[q] = p[q];
            assertEquals(loss(th, ts, x, y), lossF, 1e-5 * Math.max(1, lossF), "loss " + k);
            int[] at = Tensor.offsets(ts);
            for (int t = 0; t < ts.size(); t++) {
                int size = ts.get(t).size();
                double worst = 0;
                // every entry of small tensors, 48 random entries of large ones
                int checks = Math.min(size, 48);
                for (int c = 0; c < checks; c++) {
                    int q = at[t] + (size <= 48 ? c : rng.nextInt(size));
                    double hstep = 1e-6, keep = th[q];
                    th[q] = keep + hstep;
                    double up = loss(th, ts, x, y);
                    th[q] = keep - hstep;
                    double down = loss(th, ts, x, y);
                    th[q] = keep;
                    double fd = (up - down) / (2 * hstep);
                    double err = Math.abs(grad[q] - fd) / (1e-4 + Math.abs(fd));
                    worst = Math.max(worst, err);
                    assertEquals(fd, grad[q], 1e-4 + 1e-3 * Math.abs(fd), k + " " + ts.get(t) + " entry " + (q - at[t]));
                }
                assertTrue(worst < 1, ts.get(t) + " " + worst);
            }
        }
    }

    @Test
    void stepIsGradientThenSgdPerGroup() {
        for (String k : kernels()) {
            Transformer a = model(k, 4), b = model(k, 4);
            SplittableRandom rng = new SplittableRandom(6);
            Inputs x = batch(N, B, rng);
            float[] y = labels(B, rng);
            float[] lr = new float[a.layers()];
            for (int g = 0; g < lr.length; g++) lr[g] = 0.01f * (g + 1);
            float wd = 0.05f;
            float[] p0 = a.parameters(), grad = new float[p0.length];
            float l1 = a.gradient(x, y, Loss.HINGE, grad);
            float l2 = b.step(x, y, Loss.HINGE, lr, wd);
            assertEquals(l1, l2, 0f);
            float[] p1 = b.parameters();
            List<Tensor> ts = b.tensors();
            int[] at = Tensor.offsets(ts);
            for (int t = 0; t < ts.size(); t++) {
                float eta = lr[ts.get(t).group()];
                for (int q = at[t]; q < at[t + 1]; q++) {
                    assertEquals(p0[q] - eta * (grad[q] + wd * p0[q]), p1[q], 1e-6f * Math.max(1, Math.abs(p0[q])), k + " " + ts.get(t));
                }
            }
        }
    }

    /**
     * Every attention kernel runs the reference's operations lane by lane (the softmax's exp included), so the two
     * providers train to the same bits, whether the vector code runs interpreted, in C1 or in C2: a run's bits do not
     * depend on when the JIT compiled.
     */
    @Test
    void scalarAndVectorKernelsTrainToTheSameBits() {
        if (!Kernels.vectorAvailable()) return;
        Transformer s = new Transformer(11, 40, 5, 2, Kernels.attention("scalar")).init(new SplittableRandom(8));
        Transformer v = new Transformer(11, 40, 5, 2, Kernels.attention("vector")).init(new SplittableRandom(8));
        SplittableRandom rng = new SplittableRandom(9);
        float[] lr = {0.05f, 0.05f, 0.05f, 0.05f};
        for (int round = 0; round < 40; round++) {
            Inputs x = batch(11, 33, rng);
            float[] y = labels(33, rng);
            float[] gs = new float[(int) s.parameterCount()], gv = new float[gs.length];
            assertEquals(s.gradient(x, y, Loss.SQUARE, gs), v.gradient(x, y, Loss.SQUARE, gv), "loss, round " + round);
            assertArrayEquals(gs, gv, "gradient, round " + round);
            float[] fs = new float[33], fv = new float[33];
            s.forward(x, fs);
            v.forward(x, fv);
            assertArrayEquals(fs, fv, "forward, round " + round);
            assertEquals(s.step(x, y, Loss.SQUARE, lr, 0.01f), v.step(x, y, Loss.SQUARE, lr, 0.01f), "step loss, round " + round);
            assertArrayEquals(s.parameters(), v.parameters(), "parameters after round " + round);
        }
    }

    @Test
    void forwardAgreesWithTheGradientPassAndTheDoubleReference() {
        Transformer net = model("auto", 10);
        SplittableRandom rng = new SplittableRandom(12);
        Inputs x = batch(N, 7, rng);
        float[] y = labels(7, rng), f = new float[7];
        net.forward(x, f);
        float[] p = net.parameters();
        double[] th = new double[p.length];
        for (int q = 0; q < p.length; q++) th[q] = p[q];
        double[] ref = forward(th, net.tensors(), x);
        double sq = 0;
        for (int b = 0; b < 7; b++) {
            assertEquals(ref[b], f[b], 1e-5 * Math.max(1, Math.abs(ref[b])));
            sq += (y[b] - f[b]) * (y[b] - f[b]);
        }
        assertEquals(sq / 7, net.gradient(x, y, Loss.SQUARE, new float[p.length]), 1e-5);
        // a bigger forward batch after a smaller training batch, and back
        Inputs big = batch(N, 40, rng);
        float[] fb = new float[40];
        net.forward(big, fb);
        for (float v : fb) assertTrue(Float.isFinite(v));
    }

    @Test
    void layoutGroupsAndParameters() {
        Transformer net = model("scalar", 1);
        assertArrayEquals(new String[] {"embed", "block1", "block2", "head"}, net.layerNames());
        assertEquals(4, net.layers());
        List<Tensor> ts = net.tensors();
        assertEquals(2 + 8 * L + 2, ts.size());
        assertEquals(net.parameterCount(), Tensor.offsets(ts)[ts.size()]);
        long expected = W + (long) N * W + L * (W * 3L * W + 3 * W + W * W + W + W * 4L * W + 4 * W + 4L * W * W + W) + W + 1;
        assertEquals(expected, net.parameterCount());
        assertEquals(new Tensor("embed.position", 0, N, W), ts.get(1));
        assertEquals(new Tensor("block2.mlp1.W", 2, W, 4 * W), ts.get(2 + 8 + 4));
        assertEquals(new Tensor("head.W", 3, W, 1), ts.get(ts.size() - 2));
        // Xavier-uniform weights within their bound, zero biases
        float[] p = net.parameters();
        int[] at = Tensor.offsets(ts);
        for (int t = 0; t < ts.size(); t++) {
            int[] sh = ts.get(t).shape();
            double bound = sh.length == 1 ? 0 : Math.sqrt(6.0 / (sh[0] + sh[1]));
            for (int q = at[t]; q < at[t + 1]; q++) assertTrue(Math.abs(p[q]) <= bound, ts.get(t).toString());
        }
        // setParameters round trip; firstLayer is the positional embedding
        float[] q = p.clone();
        for (int i = 0; i < q.length; i++) q[i] = i * 1e-4f;
        net.setParameters(q);
        assertArrayEquals(q, net.parameters());
        assertArrayEquals(Arrays.copyOfRange(q, at[1], at[2]), net.firstLayer());
        assertEquals(W, net.firstLayerUnits());
        assertTrue(net.needsBits());
        assertTrue(net.describe().startsWith("transformer depth=2 width=16 heads=4"));
    }

    @Test
    void modelsCreatesAndValidatesTransformers() {
        Model m = Models.create(new ModelSpec("transformer", 32, 2, "relu", 0, true, "uniform", 8), 10, 2, new SplittableRandom(1), "auto");
        assertTrue(m instanceof Transformer t && t.heads() == 8 && t.depth() == 2);
        assertTrue(Models.create(new ModelSpec("transformer", 100, 2, "relu", 0, true, "uniform"), 5, 2, new SplittableRandom(1), "auto")
                instanceof Transformer, "the shared defaults (width 100, depth 2, heads 4) are a valid transformer");
        for (ModelSpec bad : new ModelSpec[] {
                new ModelSpec("transformer", 30, 2, "relu", 0, true, "uniform", 4),
                new ModelSpec("transformer", 32, 2, "relu", 0, true, "uniform", 0),
                new ModelSpec("transformer", 32, 0, "relu", 0, true, "uniform", 4),
                new ModelSpec("transformer", 32, 2, "pow", 0, true, "uniform", 4),
                new ModelSpec("transformer", 32, 2, "relu", 0, true, "gaussian", 4),
                new ModelSpec("transformer", 32, 2, "relu", 0, true, "sign", 4)}) {
            UsageException e = assertThrows(UsageException.class, () -> Models.validate(bad, 10, 2), bad.toString());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        UsageException e = assertThrows(UsageException.class,
                () -> Models.validate(new ModelSpec("transformer", 30, 2, "relu", 0, true, "uniform", 4), 10, 2));
        assertEquals("--heads must be >= 1 and divide --width (attention dimension = width / heads), got --width 30 --heads 4", e.getMessage());
        assertTrue(assertThrows(UsageException.class, () -> Models.validate(new ModelSpec("nope", 3, 2, "relu", 0, true, "uniform"), 4, 2))
                .getMessage().contains("resnet or transformer"));
    }

    /** (10, 2) parity with plain SGD in well under 10 s: the architecture learns. */
    @Test
    void learnsASmallParity() {
        TrainConfig cfg = new Settings().set(Setting.N, 10).set(Setting.K, 2).set(Setting.ARCH, "transformer")
                .set(Setting.WIDTH, 32).set(Setting.HEADS, 4).set(Setting.DEPTH, 1).set(Setting.LR, 0.05)
                .set(Setting.MAX_STEPS, 6000L).set(Setting.EVAL_SAMPLES, 2048).set(Setting.SEED, 0L).toConfig();
        RunResult r = new Trainer(cfg).run(c -> {});
        assertTrue(r.solved(), "transformer did not solve (10,2) in 6000 steps");
    }

    static List<String> kernels() {
        List<String> k = new ArrayList<>(List.of("scalar"));
        if (Kernels.vectorAvailable()) k.add("vector");
        return k;
    }
}

package bitsgd.harness.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.harness.UsageException;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.dense.DenseKernels;
import bitsgd.kernel.mlp.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ResNetTest {

    static List<DenseKernels> providers() {
        List<DenseKernels> ks = new ArrayList<>();
        ks.add(Kernels.scalarDense());
        if (Kernels.vectorAvailable()) ks.add(Kernels.vectorDense());
        return ks;
    }

    // ------------------------------------------------------------ a double-precision brute force

    /** f(x_b) in double from the float parameters p (in {@link ResNet#parameters()} order), straight from the definition. */
    static double forward(double[] p, int n, int width, int depth, double[] x) {
        double[] hPrev = x;
        int at = 0;
        for (int l = 0; l < depth; l++) {
            int in = l == 0 ? n : width, out = l == depth - 1 ? 1 : width;
            int wAt = at, bAt = at + in * out;
            at = bAt + out;
            double[] zl = new double[out];
            for (int j = 0; j < out; j++) {
                double s = p[bAt + j];
                for (int i = 0; i < in; i++) s += hPrev[i] * p[wAt + i * out + j];
                zl[j] = s;
            }
            if (l == depth - 1) return zl[0];
            double[] hl = new double[out];
            for (int j = 0; j < out; j++) hl[j] = Math.max(zl[j], 0) + (l > 0 ? hPrev[j] : 0);
            hPrev = hl;
        }
        throw new AssertionError();
    }

    static double meanLoss(double[] p, int n, int width, int depth, double[][] xs, float[] y, Loss loss) {
        double sum = 0;
        for (int s = 0; s < xs.length; s++) {
            double f = forward(p, n, width, depth, xs[s]);
            sum += switch (loss) {
                case SQUARE -> (y[s] - f) * (y[s] - f);
                case HINGE -> Math.max(0, 1 - y[s] * f);
                default -> throw new AssertionError(loss);
            };
        }
        return sum / xs.length;
    }

    /**
     * One step against central finite differences of the double-precision loss: for every parameter θ,
     * (θ_before − θ_after)/η_layer must equal ∂L/∂θ + λθ. Learning rates differ per layer. Seen: worst
     * |diff| ≈ 2e-7 (float rounding of the step), allowed 2e-6 + 1e-5·|expected|.
     */
    @Test
    void oneStepMatchesFiniteDifferences() {
        final int n = 5, batch = 4;
        final float wd = 0.1f;
        for (DenseKernels k : providers()) {
          // width 3: the vector kernels' scalar tails only; width 17: full vectors (+ half vector) + tail
          for (int width : new int[] {3, 17}) {
            for (int depth : new int[] {2, 3, 5}) {
                for (Loss loss : new Loss[] {Loss.SQUARE, Loss.HINGE}) {
                    String what = k.name() + " W=" + width + " L=" + depth + " " + loss;
                    SplittableRandom rng = new SplittableRandom(17 + depth);
                    ResNet net = new ResNet(n, width, depth, k).init(InitScheme.UNIFORM, rng);
                    Inputs x = Inputs.dense(n, batch);
                    double[][] xs = new double[batch][n];
                    for (int s = 0; s < batch; s++) {
                        for (int i = 0; i < n; i++) {
                            float v = (float) rng.nextGaussian();
                            x.dense()[s * n + i] = v;
                            xs[s][i] = v;
                        }
                    }
                    float[] y = new float[batch];
                    for (int s = 0; s < batch; s++) y[s] = rng.nextBoolean() ? 1f : -1f;
                    float[] lr = new float[depth];
                    for (int l = 0; l < depth; l++) lr[l] = 0.5f / (l + 1);

                    float[] before = net.parameters();
                    double[] p = new double[before.length];
                    for (int t = 0; t < p.length; t++) p[t] = before[t];
                    double expectLoss = meanLoss(p, n, width, depth, xs, y, loss);
                    float got = net.step(x, y, loss, lr, wd);
                    assertEquals(expectLoss, got, 1e-5 * Math.max(1, Math.abs(expectLoss)), what + " loss");
                    float[] after = net.parameters();

                    int[] layerOf = layerOf(n, width, depth);
                    double eps = 1e-6, worst = 0;
                    for (int t = 0; t < p.length; t++) {
                        double keep = p[t];
                        p[t] = keep + eps;
                        double up = meanLoss(p, n, width, depth, xs, y, loss);
                        p[t] = keep - eps;
                        double down = meanLoss(p, n, width, depth, xs, y, loss);
                        p[t] = keep;
                        double expect = (up - down) / (2 * eps) + wd * keep;
                        double actual = ((double) before[t] - after[t]) / lr[layerOf[t]];
                        double d = Math.abs(expect - actual);
                        worst = Math.max(worst, d);
                        assertTrue(d <= 2e-6 + 1e-5 * Math.abs(expect),
                                what + " parameter " + t + " (layer " + layerOf[t] + "): expected " + expect + " got " + actual);
                    }
                    System.out.printf("ResNetTest: %s one step vs finite differences: worst |diff| %.3g%n", what, worst);
                }
            }
          }
        }
    }

    static int[] layerOf(int n, int width, int depth) {
        List<Integer> l = new ArrayList<>();
        for (int layer = 0; layer < depth; layer++) {
            int in = layer == 0 ? n : width, out = layer == depth - 1 ? 1 : width;
            for (int t = 0; t < in * out + out; t++) l.add(layer);
        }
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    // ------------------------------------------------------------ trajectories

    /** Trains {@code steps} steps of the staircase main shape on fresh ±1 or Gaussian batches; returns the parameters. */
    static float[] train(DenseKernels k, long seed, boolean bits, int steps, float[] losses) {
        final int n = 30, width = 40, depth = 5, batch = 20;
        SplittableRandom rng = new SplittableRandom(seed);
        ResNet net = new ResNet(n, width, depth, k).init(InitScheme.UNIFORM, rng.split());
        Inputs x = bits ? Inputs.bits(n, batch) : Inputs.dense(n, batch);
        float[] y = new float[batch], lr = new float[depth];
        java.util.Arrays.fill(lr, 0.01f);
        for (int t = 0; t < steps; t++) {
            if (bits) {
                x.bits().fillUniform(rng);
                x.changed();
            } else {
                for (int q = 0; q < batch * n; q++) x.dense()[q] = (float) rng.nextGaussian();
            }
            for (int s = 0; s < batch; s++) {
                // staircase S_3 = (x1 + x1x2 + x1x2x3)/√3
                float x1 = x.get(s, 0), x2 = x.get(s, 1), x3 = x.get(s, 2);
                y[s] = (float) ((x1 + x1 * x2 + x1 * x2 * x3) / Math.sqrt(3));
            }
            float l = net.step(x, y, Loss.SQUARE, lr, 1e-4f);
            if (losses != null) losses[t] = l;
        }
        return net.parameters();
    }

    /** Every kernel a step uses runs the reference's float order, so the two providers train bit for bit alike. */
    @Test
    void scalarAndVectorProvidersFollowTheSameTrajectory() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        for (boolean bits : new boolean[] {true, false}) {
            float[] ls = new float[50], lv = new float[50];
            float[] s = train(Kernels.scalarDense(), 7, bits, 50, ls);
            float[] v = train(Kernels.vectorDense(), 7, bits, 50, lv);
            assertArrayEquals(s, v, (bits ? "±1" : "Gaussian") + " inputs: parameters after 50 steps");
            assertArrayEquals(ls, lv, (bits ? "±1" : "Gaussian") + " inputs: losses");
        }
    }

    /** The transposed copies the backward pass reads stay exact transposes through steps and setParameters. */
    @Test
    void transposedWeightsStayInStep() {
        for (DenseKernels k : providers()) {
            ResNet net = new ResNet(7, 9, 4, k).init(InitScheme.UNIFORM, new SplittableRandom(3));
            Inputs x = Inputs.dense(7, 5);
            float[] y = new float[5];
            SplittableRandom rng = new SplittableRandom(4);
            for (int t = 0; t < 20; t++) {
                for (int q = 0; q < x.dense().length; q++) x.dense()[q] = (float) rng.nextGaussian();
                for (int s = 0; s < 5; s++) y[s] = (float) rng.nextGaussian();
                net.step(x, y, Loss.SQUARE, new float[] {0.05f, 0.05f, 0.05f, 0.05f}, 0.01f);
                assertTransposes(net, k.name() + " step " + t);
            }
            float[] p = net.parameters();
            for (int q = 0; q < p.length; q++) p[q] = (float) rng.nextGaussian();
            net.setParameters(p);
            assertTransposes(net, k.name() + " setParameters");
        }
    }

    private static void assertTransposes(ResNet net, String what) {
        for (int l = 0; l < net.depth(); l++) {
            float[] wt = net.transposed(l);
            if (l == 0 || l == net.depth() - 1) {
                assertEquals(null, wt, what);
                continue;
            }
            float[] expect = new float[wt.length];
            DenseKernels.transpose(net.weights(l), net.width(), net.width(), expect);
            assertArrayEquals(expect, wt, what + " layer " + l);
        }
    }

    @Test
    void sameSeedGivesBitIdenticalParameters() {
        for (DenseKernels k : providers()) {
            float[] a = train(k, 11, false, 30, null), b = train(k, 11, false, 30, null);
            assertArrayEquals(a, b, k.name());
            float[] c = train(k, 12, false, 30, null);
            assertFalse(java.util.Arrays.equals(a, c), "another seed should give other parameters");
        }
    }

    @Test
    void trainingLowersTheLoss() {
        float[] losses = new float[400];
        train(Kernels.dense(), 3, true, 400, losses);
        double first = 0, last = 0;
        for (int t = 0; t < 50; t++) {
            first += losses[t];
            last += losses[350 + t];
        }
        assertTrue(last < 0.8 * first, "loss did not fall: " + first / 50 + " → " + last / 50);
    }

    // ------------------------------------------------------------ inputs, forward, shape

    @Test
    void bitInputsActLikeTheirPlusMinusOneExpansion() {
        final int n = 37, width = 9, depth = 3, batch = 6;
        for (DenseKernels k : providers()) {
            SplittableRandom rng = new SplittableRandom(5);
            ResNet a = new ResNet(n, width, depth, k).init(InitScheme.GAUSSIAN, new SplittableRandom(1));
            ResNet b = new ResNet(n, width, depth, k).init(InitScheme.GAUSSIAN, new SplittableRandom(1));
            Inputs bits = Inputs.bits(n, batch);
            bits.bits().fillUniform(rng);
            bits.changed();
            Inputs dense = Inputs.dense(n, batch);
            for (int s = 0; s < batch; s++) for (int i = 0; i < n; i++) dense.dense()[s * n + i] = bits.get(s, i);
            float[] y = {1, -1, 1, 1, -1, -1}, lr = {0.1f, 0.05f, 0.02f};
            assertEquals(a.step(bits, y, Loss.HINGE, lr, 0.01f), b.step(dense, y, Loss.HINGE, lr, 0.01f));
            assertArrayEquals(a.parameters(), b.parameters());
            float[] fa = new float[batch], fb = new float[batch];
            a.forward(bits, fa);
            b.forward(dense, fb);
            assertArrayEquals(fa, fb);
        }
    }

    @Test
    void forwardAgreesWithTheBruteForceAndWithTheStepLoss() {
        final int n = 11, width = 17, depth = 4, batch = 9;
        for (DenseKernels k : providers()) {
            SplittableRandom rng = new SplittableRandom(8);
            ResNet net = new ResNet(n, width, depth, k).init(InitScheme.UNIFORM, rng);
            Inputs x = Inputs.dense(n, 16);
            x.setSize(batch);
            double[][] xs = new double[batch][n];
            for (int s = 0; s < batch; s++) for (int i = 0; i < n; i++) xs[s][i] = x.dense()[s * n + i] = (float) rng.nextGaussian();
            float[] f = new float[batch];
            net.forward(x, f);
            float[] pf = net.parameters();
            double[] p = new double[pf.length];
            for (int t = 0; t < p.length; t++) p[t] = pf[t];
            for (int s = 0; s < batch; s++) assertEquals(forward(p, n, width, depth, xs[s]), f[s], 1e-5, k.name() + " sample " + s);
            // the step's loss is computed at the same outputs
            float[] y = new float[batch];
            float expect = 0;
            for (int s = 0; s < batch; s++) expect += Loss.SQUARE.value(y[s], f[s]);
            assertEquals(expect / batch, net.step(x, y, Loss.SQUARE, new float[] {0, 0, 0, 0}, 0f), 0f);
        }
    }

    @Test
    void shapeAndParameterLayout() {
        ResNet net = new ResNet(30, 40, 5, Kernels.scalarDense()).init(InitScheme.UNIFORM, new SplittableRandom(1));
        assertEquals(30 * 40 + 40 + 3 * (40 * 40 + 40) + 40 + 1, net.parameterCount());
        assertEquals(5, net.layers());
        assertArrayEquals(new String[] {"fc1", "fc2", "fc3", "fc4", "fc5"}, net.layerNames());
        assertArrayEquals(net.weights(0), net.firstLayer());
        assertEquals(40, net.firstLayerUnits());
        assertFalse(net.needsBits());
        float[] p = net.parameters();
        assertEquals(net.weights(0)[0], p[0]);
        assertEquals(net.biases(0)[0], p[30 * 40]);
        assertEquals(net.biases(4)[0], p[p.length - 1]);
        // PyTorch default bound 1/√fan_in per layer, for weights and biases
        for (int l = 0; l < 5; l++) {
            float bound = (float) (1 / Math.sqrt(l == 0 ? 30 : 40));
            for (float v : net.weights(l)) assertTrue(Math.abs(v) <= bound);
            for (float v : net.biases(l)) assertTrue(Math.abs(v) <= bound);
        }
        ResNet copy = new ResNet(30, 40, 5, Kernels.scalarDense());
        copy.setParameters(p);
        assertArrayEquals(p, copy.parameters());
    }

    @Test
    void modelsCreatesAndValidatesResNets() {
        ModelSpec ok = new ModelSpec("resnet", 40, 5, "relu", 0, true, "uniform");
        Model m = Models.create(ok, 30, 10, new SplittableRandom(1), "scalar");
        assertTrue(m instanceof ResNet);
        assertEquals("resnet relu depth=5 width=40 (scalar)", m.describe());
        // the init is drawn from the given stream, layer by layer, W then b
        ResNet direct = new ResNet(30, 40, 5, Kernels.scalarDense()).init(InitScheme.UNIFORM, new SplittableRandom(1));
        assertArrayEquals(direct.parameters(), m.parameters());
        assertEquals(2, Models.create(new ModelSpec("resnet", 8, 2, "relu", 0, true, "gaussian"), 5, 1, new SplittableRandom(1), "auto").layers());

        for (ModelSpec bad : new ModelSpec[] {
                new ModelSpec("resnet", 40, 1, "relu", 0, true, "uniform"),
                new ModelSpec("resnet", 0, 5, "relu", 0, true, "uniform"),
                new ModelSpec("resnet", 40, 5, "pow", 0, true, "uniform"),
                new ModelSpec("resnet", 40, 5, "relu", 0, true, "sign")}) {
            UsageException e = assertThrows(UsageException.class, () -> Models.create(bad, 30, 10, new SplittableRandom(1), "scalar"));
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().startsWith("--"), e.getMessage());
        }
    }
}

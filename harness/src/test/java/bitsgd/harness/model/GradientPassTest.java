package bitsgd.harness.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.kernel.Kernels;
import bitsgd.kernel.dense.DenseKernels;
import bitsgd.kernel.mlp.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Model#gradient}: against central finite differences of an independent double-precision forward pass (the
 * references of {@link ModelGradientTest} and {@link ResNetTest}), leaving the model unchanged; and, over awkward sizes,
 * θ − η_g·(grad + λθ) against the fused SGD step within a float tolerance that grows with the length of the sums.
 */
class GradientPassTest {

    static Stream<Arguments> configs() {
        return ModelGradientTest.configs();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configs")
    void gradientIsTheFiniteDifferenceGradient(ModelGradientTest.Config cfg, Loss l) {
        int n = ModelGradientTest.N, batch = ModelGradientTest.B;
        for (long seed = 1; seed < 200; seed++) {
            SplittableRandom rng = new SplittableRandom(seed * 7919 + cfg.name().hashCode() + l.ordinal());
            Model m = Models.create(cfg.spec(), n, ModelGradientTest.TASK_K, rng, cfg.kernels());
            Inputs x = Inputs.bits(n, batch);
            x.bits().fillUniform(rng);
            x.changed();
            float[] y = new float[batch];
            for (int s = 0; s < batch; s++) y[s] = rng.nextBoolean() ? 1f : -1f;
            float[] before = m.parameters();
            double[] p = ModelGradientTest.toD(before);
            if (!ModelGradientTest.awayFromKinks(cfg, l, p, x, y)) continue;

            float[] grad = new float[before.length];
            float reported = m.gradient(x, y, l, grad);
            assertArrayEquals(before, m.parameters(), cfg + ": gradient() changed the model");
            double l0 = ModelGradientTest.meanLoss(cfg, l, p, x, y);
            assertEquals(l0, reported, 1e-5 * Math.max(1, Math.abs(l0)), cfg + " " + l + " loss");
            double eps = 1e-6;
            for (int q = 0; q < p.length; q++) {
                double keep = p[q];
                p[q] = keep + eps;
                double lp = ModelGradientTest.meanLoss(cfg, l, p, x, y);
                p[q] = keep - eps;
                double lm = ModelGradientTest.meanLoss(cfg, l, p, x, y);
                p[q] = keep;
                double fd = (lp - lm) / (2 * eps);
                assertEquals(fd, grad[q], 1e-4 * Math.max(1, Math.abs(fd)), cfg + " " + l + " seed " + seed + " param " + q);
            }
            return;
        }
        throw new AssertionError(cfg + " " + l + ": no batch away from the kinks in 200 seeds");
    }

    @Test
    void resNetGradientIsTheFiniteDifferenceGradient() {
        final int n = 5, batch = 4;
        for (DenseKernels k : ResNetTest.providers()) {
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
                        float[] before = net.parameters();
                        double[] p = ModelGradientTest.toD(before);
                        float[] grad = new float[before.length];
                        float got = net.gradient(x, y, loss, grad);
                        assertArrayEquals(before, net.parameters(), what + ": gradient() changed the model");
                        double expectLoss = ResNetTest.meanLoss(p, n, width, depth, xs, y, loss);
                        assertEquals(expectLoss, got, 1e-5 * Math.max(1, Math.abs(expectLoss)), what + " loss");
                        double eps = 1e-6;
                        for (int t = 0; t < p.length; t++) {
                            double keep = p[t];
                            p[t] = keep + eps;
                            double up = ResNetTest.meanLoss(p, n, width, depth, xs, y, loss);
                            p[t] = keep - eps;
                            double down = ResNetTest.meanLoss(p, n, width, depth, xs, y, loss);
                            p[t] = keep;
                            double expect = (up - down) / (2 * eps);
                            assertTrue(Math.abs(expect - grad[t]) <= 2e-6 + 1e-5 * Math.abs(expect),
                                    what + " parameter " + t + ": expected " + expect + " got " + grad[t]);
                        }
                    }
                }
            }
        }
    }

    /** Awkward sizes: n past one 64-bit word, widths off the vector lanes, odd batches; both kernel families. */
    static Stream<Arguments> awkward() {
        List<Arguments> out = new ArrayList<>();
        List<String> kernels = Kernels.vectorAvailable() ? List.of("scalar", "vector") : List.of("scalar");
        for (String k : kernels) {
            out.add(Arguments.of("mlp relu " + k, new ModelSpec("mlp", 37, 2, "relu", 0, true, "uniform"), k, 70, 33));
            out.add(Arguments.of("mlp pow3 " + k, new ModelSpec("mlp", 19, 2, "pow", 3, true, "uniform"), k, 13, 7));
            out.add(Arguments.of("resnet L=3 " + k, new ModelSpec("resnet", 21, 3, "relu", 0, true, "uniform"), k, 11, 9));
            out.add(Arguments.of("resnet L=2 " + k, new ModelSpec("resnet", 5, 2, "relu", 0, true, "uniform"), k, 67, 3));
        }
        out.add(Arguments.of("neuron sin", new ModelSpec("neuron", 100, 2, "sin", 0, true, "uniform"), "auto", 67, 13));
        out.add(Arguments.of("neuron zigzag only", new ModelSpec("neuron", 100, 2, "zigzag", 0, false, "uniform"), "auto", 9, 6));
        out.add(Arguments.of("polynet k=3", new ModelSpec("polynet", 100, 2, "relu", 3, true, "uniform"), "auto", 65, 11));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} n={3} B={4}")
    @MethodSource("awkward")
    void minusRateTimesGradientIsTheFusedStep(String name, ModelSpec spec, String kernels, int n, int batch) {
        for (Loss loss : new Loss[] {Loss.SQUARE, Loss.HINGE}) {
            Model viaGradient = Models.create(spec, n, 3, new SplittableRandom(5), kernels);
            Model fused = Models.create(spec, n, 3, new SplittableRandom(5), kernels);
            SplittableRandom rng = new SplittableRandom(6);
            Inputs x = spec.arch().equals("resnet") ? Inputs.dense(n, batch) : Inputs.bits(n, batch);
            if (spec.arch().equals("resnet")) {
                for (int t = 0; t < batch * n; t++) x.dense()[t] = rng.nextBoolean() ? 1f : -1f;
            } else {
                x.bits().fillUniform(rng);
            }
            x.changed();
            float[] y = new float[batch];
            for (int s = 0; s < batch; s++) y[s] = rng.nextBoolean() ? 1f : -1f;
            float[] lr = new float[fused.layers()];
            for (int g = 0; g < lr.length; g++) lr[g] = 0.05f / (g + 1);
            float wd = 0.01f;

            float[] p0 = viaGradient.parameters(), grad = new float[p0.length];
            float lossG = viaGradient.gradient(x, y, loss, grad);
            float lossS = fused.step(x, y, loss, lr, wd);
            float[] p1 = fused.parameters();
            assertEquals(lossS, lossG, 1e-6 * Math.max(1, Math.abs(lossS)), name + " loss");
            double gradScale = 0;
            for (float g : grad) gradScale = Math.max(gradScale, Math.abs(g));
            // sums of up to n + B + width terms, each rounded at 2^-24 relative, in possibly different orders
            double ulps = 0x1p-23 * (n + batch + spec.width());
            List<Tensor> tensors = viaGradient.tensors();
            int[] at = Tensor.offsets(tensors);
            for (int t = 0; t < tensors.size(); t++) {
                float eta = lr[tensors.get(t).group()];
                for (int q = at[t]; q < at[t + 1]; q++) {
                    double expect = p0[q] - (double) eta * (grad[q] + (double) wd * p0[q]);
                    double tol = ulps * (Math.abs(p0[q]) + eta * (gradScale + wd * Math.abs(p0[q])));
                    assertEquals(expect, p1[q], tol, name + " " + loss + " " + tensors.get(t).name() + " parameter " + q);
                }
            }
        }
    }
}

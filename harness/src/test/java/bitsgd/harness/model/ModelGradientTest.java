package bitsgd.harness.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every architecture and activation: one step moves each parameter by η_group·(∂L/∂θ + λθ), with ∂L/∂θ from
 * central finite differences of an independent double-precision forward pass (n = 6, B = 5), for the square and
 * hinge losses; and the same seed gives bit-identical parameters.
 *
 * <p>Hinge and the kinks of ReLU and the zigzags are avoided, not smoothed: a batch is redrawn until every sample
 * has |1 − y·f| > 0.05 and every pre-activation is more than 0.01 from a kink, so the FD step (1e-6) never crosses one.
 */
class ModelGradientTest {
    static final int N = 6, B = 5, TASK_K = 3;
    static final float WD = 0.01f;

    /** A model configuration: its spec, the kernels (MLP only) and how to evaluate it in double. */
    record Config(String name, ModelSpec spec, String kernels) {
        @Override public String toString() { return name; }
    }

    static Stream<Arguments> configs() {
        List<Config> c = new ArrayList<>();
        List<String> kernels = Kernels.vectorAvailable() ? List.of("scalar", "vector") : List.of("scalar");
        for (String k : kernels) {
            c.add(new Config("mlp relu " + k, new ModelSpec("mlp", 4, 2, "relu", 0, true, "uniform"), k));
            c.add(new Config("mlp pow2 " + k, new ModelSpec("mlp", 4, 2, "pow", 2, true, "uniform"), k));
            c.add(new Config("mlp pow3 " + k, new ModelSpec("mlp", 19, 2, "pow", 0, true, "gaussian"), k));
        }
        for (String act : new String[] {"sin", "zigzag", "zigzag-inf", "poly"}) {
            for (boolean second : new boolean[] {true, false}) {
                c.add(new Config("neuron " + act + (second ? " +second" : ""),
                        new ModelSpec("neuron", 100, 2, act, 0, second, "gaussian"), "auto"));
            }
        }
        c.add(new Config("neuron poly k=2", new ModelSpec("neuron", 100, 2, "poly", 2, true, "uniform"), "auto"));
        c.add(new Config("neuron zigzag k=4", new ModelSpec("neuron", 100, 2, "zigzag", 4, false, "bernoulli"), "auto"));
        c.add(new Config("polynet k=3", new ModelSpec("polynet", 100, 2, "relu", 0, true, "uniform"), "auto"));
        c.add(new Config("polynet k=2", new ModelSpec("polynet", 100, 2, "none", 2, true, "gaussian"), "auto"));
        List<Arguments> out = new ArrayList<>();
        for (Config cfg : c) for (Loss loss : new Loss[] {Loss.SQUARE, Loss.HINGE}) out.add(Arguments.of(cfg, loss));
        return out.stream();
    }

    // ---------------------------------------------------------------- the double-precision reference

    /** f(x_s; θ) in double, from the parameter layout each model documents. */
    static double f(Config cfg, double[] p, Inputs x, int s) {
        ModelSpec spec = cfg.spec();
        int k = spec.degreeOr(TASK_K);
        switch (spec.arch()) {
            case "mlp" -> {
                int h = spec.width();
                double out = p[N * h + 2 * h];
                for (int j = 0; j < h; j++) {
                    double z = p[N * h + j];
                    for (int i = 0; i < N; i++) z += x.get(s, i) * p[i * h + j];
                    double sig = spec.activation().equals("relu") ? Math.max(z, 0) : Math.pow(z, k);
                    out += p[N * h + h + j] * sig;
                }
                return out;
            }
            case "neuron" -> {
                double z = p[N];
                for (int i = 0; i < N; i++) z += x.get(s, i) * p[i];
                double sig = sigma(spec.activation(), k, z);
                return spec.secondLayer() ? p[N + 1] * sig + p[N + 2] : sig;
            }
            case "polynet" -> {
                double out = 1;
                for (int j = 0; j < k; j++) {
                    double z = p[N * k + j];
                    for (int i = 0; i < N; i++) z += x.get(s, i) * p[i * k + j];
                    out *= z;
                }
                return out;
            }
            default -> throw new AssertionError(spec.arch());
        }
    }

    /** The neuron activations written out again from their definitions (NeuronActivation javadoc), in double. */
    static double sigma(String act, int k, double z) {
        return switch (act) {
            case "sin" -> Math.sin(z);
            case "zigzag-inf" -> triangle(k, z);
            case "zigzag" -> triangle(k, Math.max(-k, Math.min(k, z)));
            case "poly" -> { // Lagrange form through (k − 2m, (−1)^m)
                double sum = 0;
                for (int m = 0; m <= k; m++) {
                    double term = (m % 2 == 0) ? 1 : -1;
                    for (int j = 0; j <= k; j++) if (j != m) term *= (z - (k - 2 * j)) / (double) ((k - 2 * m) - (k - 2 * j));
                    sum += term;
                }
                yield sum;
            }
            default -> throw new AssertionError(act);
        };
    }

    /** Triangle wave: +1 at z ≡ k (mod 4), −1 at z ≡ k + 2, linear in between. */
    static double triangle(int k, double z) {
        double u = Math.floorMod((long) Math.floor(z - k), 4L) + ((z - k) - Math.floor(z - k));
        return Math.abs(u - 2) - 1;
    }

    /** Distance of z from the nearest kink of the activation (∞ for smooth ones). */
    static double kinkDistance(Config cfg, double z) {
        String act = cfg.spec().activation();
        int k = cfg.spec().degreeOr(TASK_K);
        return switch (cfg.spec().arch() + " " + act) {
            case "mlp relu" -> Math.abs(z);
            case "neuron zigzag", "neuron zigzag-inf" -> { // kinks at z ≡ k (mod 2)
                double t = (z - k) / 2;
                yield 2 * Math.abs(t - Math.rint(t));
            }
            default -> Double.POSITIVE_INFINITY;
        };
    }

    /** Every pre-activation of sample s (for the kink check). */
    static double[] preActivations(Config cfg, double[] p, Inputs x, int s) {
        ModelSpec spec = cfg.spec();
        int units = switch (spec.arch()) {
            case "mlp" -> spec.width();
            case "neuron" -> 1;
            default -> spec.degreeOr(TASK_K);
        };
        int biasAt = N * units;
        double[] z = new double[units];
        for (int j = 0; j < units; j++) {
            z[j] = p[biasAt + j];
            for (int i = 0; i < N; i++) z[j] += x.get(s, i) * p[i * units + j];
        }
        return z;
    }

    static double loss(Loss loss, double y, double f) {
        return switch (loss) {
            case SQUARE -> (y - f) * (y - f);
            case HINGE -> Math.max(0, 1 - y * f);
            default -> throw new AssertionError(loss);
        };
    }

    static double meanLoss(Config cfg, Loss l, double[] p, Inputs x, float[] y) {
        double sum = 0;
        for (int s = 0; s < x.size(); s++) sum += loss(l, y[s], f(cfg, p, x, s));
        return sum / x.size();
    }

    /** Number of parameters in group 0 (the rest belong to group 1). */
    static int firstGroupSize(Config cfg, Model m) {
        ModelSpec spec = cfg.spec();
        return switch (spec.arch()) {
            case "mlp" -> N * spec.width() + spec.width();
            case "neuron" -> N + 1;
            default -> (int) m.parameterCount();
        };
    }

    // ---------------------------------------------------------------- the tests

    static double[] toD(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configs")
    void stepIsLearningRateTimesFiniteDifferenceGradient(Config cfg, Loss l) {
        for (long seed = 1; seed < 200; seed++) {
            SplittableRandom rng = new SplittableRandom(seed * 7919 + cfg.name().hashCode() + l.ordinal());
            Model m = Models.create(cfg.spec(), N, TASK_K, rng, cfg.kernels());
            Inputs x = Inputs.bits(N, B);
            x.bits().fillUniform(rng);
            x.changed();
            float[] y = new float[B];
            for (int s = 0; s < B; s++) y[s] = rng.nextBoolean() ? 1f : -1f;
            double[] p0 = toD(m.parameters());
            if (!awayFromKinks(cfg, l, p0, x, y)) continue;

            float[] lr = m.layers() == 2 ? new float[] {0.05f, 0.02f} : new float[] {0.05f};
            float reported = m.step(x, y, l, lr, WD);
            double l0 = meanLoss(cfg, l, p0, x, y);
            assertEquals(l0, reported, 1e-5 * Math.max(1, Math.abs(l0)), cfg + " " + l + " loss");

            float[] p1 = m.parameters();
            int first = firstGroupSize(cfg, m);
            double eps = 1e-6;
            for (int q = 0; q < p0.length; q++) {
                double keep = p0[q];
                p0[q] = keep + eps;
                double lp = meanLoss(cfg, l, p0, x, y);
                p0[q] = keep - eps;
                double lm = meanLoss(cfg, l, p0, x, y);
                p0[q] = keep;
                double fd = (lp - lm) / (2 * eps);
                double eta = lr[q < first ? 0 : 1];
                double implied = (keep - p1[q]) / eta - WD * keep;
                // float rounding of the update, divided by η, plus the FD truncation error
                assertEquals(fd, implied, 3e-4 * Math.max(1, Math.abs(fd)), cfg + " " + l + " seed " + seed + " param " + q);
            }
            return;
        }
        throw new AssertionError(cfg + " " + l + ": no batch away from the kinks in 200 seeds");
    }

    static boolean awayFromKinks(Config cfg, Loss l, double[] p, Inputs x, float[] y) {
        for (int s = 0; s < x.size(); s++) {
            if (l == Loss.HINGE && Math.abs(1 - y[s] * f(cfg, p, x, s)) < 0.05) return false;
            for (double z : preActivations(cfg, p, x, s)) if (kinkDistance(cfg, z) < 0.01) return false;
        }
        return true;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configs")
    void sameSeedSameBits(Config cfg, Loss l) {
        float[][] runs = new float[2][];
        for (int r = 0; r < 2; r++) {
            SplittableRandom rng = new SplittableRandom(42);
            Model m = Models.create(cfg.spec(), N, TASK_K, rng, cfg.kernels());
            Inputs x = Inputs.bits(N, 16);
            float[] y = new float[16];
            float[] lr = new float[m.layers()];
            java.util.Arrays.fill(lr, 0.001f); // small: z³ with Gaussian init and the square loss diverges at 0.01
            for (int t = 0; t < 50; t++) {
                x.bits().fillUniform(rng);
                x.changed();
                for (int s = 0; s < 16; s++) y[s] = rng.nextBoolean() ? 1f : -1f;
                m.step(x, y, l, lr, WD);
            }
            runs[r] = m.parameters();
            for (float v : runs[r]) assertTrue(Float.isFinite(v), cfg + " went non-finite");
        }
        assertArrayEquals(runs[0], runs[1], cfg + " " + l + ": same seed, different bits");
    }
}

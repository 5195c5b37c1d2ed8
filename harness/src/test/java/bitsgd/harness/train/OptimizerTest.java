package bitsgd.harness.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.UsageException;
import bitsgd.harness.model.Inputs;
import bitsgd.harness.model.Model;
import bitsgd.harness.model.Tensor;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.Loss;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@link Optimizer} against a double-precision implementation of torch.optim's documented pseudo-code (SGD with
 * momentum/Nesterov, Adam, AdamW), on a model whose gradient is known in closed form: L = ½ Σ_q c_q θ_q² + Σ_q d_q θ_q,
 * so ∂L/∂θ_q = c_q θ_q + d_q. Two groups of different sizes with their own rates, weight decay, several steps, both
 * update-kernel providers. The float run rounds once per operation, so a relative 1e-5 after 8 steps is ample, and a
 * wrong rule (a missed bias correction, decay in the wrong place, a lost Nesterov term) is off by far more.
 */
class OptimizerTest {
    static final int STEPS = 8;

    /** Two groups: "u" (size 7, group 0) and "v" (size 3, group 1). */
    static final class Quadratic implements Model {
        final float[] theta, c, d;

        Quadratic(long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            theta = new float[10];
            c = new float[10];
            d = new float[10];
            for (int q = 0; q < 10; q++) {
                theta[q] = (float) rng.nextDouble(-1, 1);
                c[q] = (float) rng.nextDouble(0.5, 2);
                d[q] = (float) rng.nextDouble(-0.3, 0.3);
            }
        }

        @Override public float gradient(Inputs x, float[] y, Loss loss, float[] grad) {
            float l = 0f;
            for (int q = 0; q < theta.length; q++) {
                grad[q] = c[q] * theta[q] + d[q];
                l += 0.5f * c[q] * theta[q] * theta[q] + d[q] * theta[q];
            }
            return l;
        }

        @Override public float step(Inputs x, float[] y, Loss loss, float[] lr, float weightDecay) { throw new AssertionError("fused step"); }
        @Override public String describe() { return "quadratic"; }
        @Override public int inputs() { return 1; }
        @Override public int layers() { return 2; }
        @Override public String[] layerNames() { return new String[] {"first", "second"}; }
        @Override public void forward(Inputs x, float[] f) {}
        @Override public long parameterCount() { return theta.length; }
        @Override public float[] parameters() { return theta.clone(); }
        @Override public void setParameters(float[] p) { System.arraycopy(p, 0, theta, 0, theta.length); }
        @Override public List<Tensor> tensors() { return List.of(new Tensor("u", 0, 7), new Tensor("v", 1, 3)); }
        @Override public float[] firstLayer() { return theta.clone(); }
        @Override public int firstLayerUnits() { return 1; }
        @Override public boolean needsBits() { return false; }
    }

    /** torch.optim's documented algorithms in double, one step at t = 1, 2, … . */
    static void referenceStep(OptimizerSpec o, double[] th, double[] c, double[] d, double[] buf, double[] m, double[] v, int t,
                              double[] lrOf, double wd) {
        for (int q = 0; q < th.length; q++) {
            double lr = lrOf[q < 7 ? 0 : 1];
            double g = c[q] * th[q] + d[q];
            switch (o.name()) {
                case "momentum", "nesterov" -> {
                    double mu = o.momentum();
                    g += wd * th[q];
                    buf[q] = t == 1 ? g : mu * buf[q] + g;
                    g = o.name().equals("nesterov") ? g + mu * buf[q] : buf[q];
                    th[q] -= lr * g;
                }
                case "adam", "adamw" -> {
                    if (o.name().equals("adam")) g += wd * th[q];
                    else th[q] -= lr * wd * th[q];
                    m[q] = o.beta1() * m[q] + (1 - o.beta1()) * g;
                    v[q] = o.beta2() * v[q] + (1 - o.beta2()) * g * g;
                    double mHat = m[q] / (1 - Math.pow(o.beta1(), t)), vHat = v[q] / (1 - Math.pow(o.beta2(), t));
                    th[q] -= lr * mHat / (Math.sqrt(vHat) + o.eps());
                }
                default -> throw new AssertionError(o.name());
            }
        }
    }

    static double[] toD(float[] f) {
        double[] out = new double[f.length];
        for (int q = 0; q < f.length; q++) out[q] = f[q];
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"momentum", "nesterov", "adam", "adamw"})
    void followsTorchsRulesInDouble(String name) {
        List<String> providers = Kernels.vectorAvailable() ? List.of("scalar", "vector") : List.of("scalar");
        for (String provider : providers) {
            for (OptimizerSpec spec : new OptimizerSpec[] {OptimizerSpec.of(name, null, null, null, null),
                OptimizerSpec.of(name, name.startsWith("adam") ? null : 0.5, name.startsWith("adam") ? 0.8 : null,
                        name.startsWith("adam") ? 0.99 : null, name.startsWith("adam") ? 1e-3 : null)}) {
                for (float wd : new float[] {0f, 0.05f}) {
                    Quadratic model = new Quadratic(11);
                    Optimizer opt = new Optimizer(spec, model, Kernels.optim(provider));
                    double[] th = toD(model.theta), c = toD(model.c), d = toD(model.d);
                    double[] buf = new double[10], m = new double[10], v = new double[10];
                    float[] lr = {0.1f, 0.03f};
                    double[] lrD = {lr[0], lr[1]};
                    for (int t = 1; t <= STEPS; t++) {
                        opt.step(model, null, null, Loss.SQUARE, lr, wd);
                        referenceStep(spec, th, c, d, buf, m, v, t, lrD, wd);
                    }
                    String what = provider + " " + spec + " wd " + wd;
                    for (int q = 0; q < 10; q++) assertEquals(th[q], model.theta[q], 1e-5 * Math.max(1, Math.abs(th[q])), what + " θ" + q);
                    assertEquals(STEPS, opt.steps());
                    Map<String, float[]> state = opt.state();
                    if (spec.isAdam()) {
                        assertEquals(List.of("exp_avg.u", "exp_avg_sq.u", "exp_avg.v", "exp_avg_sq.v"), List.copyOf(state.keySet()));
                        for (int q = 0; q < 10; q++) {
                            float[] mm = state.get(q < 7 ? "exp_avg.u" : "exp_avg.v"), vv = state.get(q < 7 ? "exp_avg_sq.u" : "exp_avg_sq.v");
                            int at = q < 7 ? q : q - 7;
                            assertEquals(m[q], mm[at], 1e-5 * Math.max(1, Math.abs(m[q])), what + " exp_avg " + q);
                            assertEquals(v[q], vv[at], 1e-5 * Math.max(1e-3, Math.abs(v[q])), what + " exp_avg_sq " + q);
                        }
                    } else {
                        assertEquals(List.of("momentum_buffer.u", "momentum_buffer.v"), List.copyOf(state.keySet()));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"momentum", "nesterov", "adam", "adamw"})
    void restoredStateContinuesWithTheSameBits(String name) {
        OptimizerSpec spec = OptimizerSpec.of(name, null, null, null, null);
        float[] lr = {0.1f, 0.02f};
        Quadratic straight = new Quadratic(3);
        Optimizer a = new Optimizer(spec, straight);
        for (int t = 0; t < 10; t++) a.step(straight, null, null, Loss.SQUARE, lr, 0.01f);

        Quadratic first = new Quadratic(3);
        Optimizer b = new Optimizer(spec, first);
        for (int t = 0; t < 4; t++) b.step(first, null, null, Loss.SQUARE, lr, 0.01f);
        Quadratic resumed = new Quadratic(3);
        resumed.setParameters(first.parameters());
        Optimizer c = new Optimizer(spec, resumed);
        c.restore(b.state(), b.steps());
        for (int t = 0; t < 6; t++) c.step(resumed, null, null, Loss.SQUARE, lr, 0.01f);
        assertArrayEquals(straight.theta, resumed.theta, name + ": a restored optimizer continues the run bit for bit");
        assertEquals(10, c.steps());
        assertThrows(IllegalArgumentException.class, () -> c.restore(Map.of("exp_avg.W", new float[1]), 1));
    }

    @Test
    void badSettingsAreOneLineUsageErrors() {
        String[][] bad = {
            {"optimizer", "rmsprop", "--optimizer must be sgd, momentum, nesterov, adam or adamw, got 'rmsprop'"},
            {"momentum", "-0.1", "--momentum must be finite and >= 0, got -0.1"},
            {"beta1", "1.0", "--beta1 must be in [0, 1), got 1.0"},
            {"beta2", "-0.5", "--beta2 must be in [0, 1), got -0.5"},
            {"eps", "0.0", "--eps must be finite and > 0 (and not 0 as a float), got 0.0"},
        };
        for (String[] b : bad) {
            Settings s = new Settings().set(Setting.N, 10L).set(Setting.K, 2L);
            String optimizer = b[0].equals("momentum") ? "momentum" : b[0].equals("optimizer") ? b[1] : "adam";
            s.set(Setting.OPTIMIZER, optimizer);
            if (!b[0].equals("optimizer")) s.set(Setting.byKey(b[0]), Double.parseDouble(b[1]));
            UsageException e = assertThrows(UsageException.class, s::toConfig, b[0]);
            assertEquals(b[2], e.getMessage());
        }
        Settings adamWithMomentum = new Settings().set(Setting.N, 10L).set(Setting.K, 2L).set(Setting.OPTIMIZER, "adam").set(Setting.MOMENTUM, 0.9);
        assertEquals("--momentum applies to --optimizer momentum or nesterov, not adam",
                assertThrows(UsageException.class, adamWithMomentum::toConfig).getMessage());
        Settings sgdWithBeta = new Settings().set(Setting.N, 10L).set(Setting.K, 2L).set(Setting.BETA1, 0.9);
        assertEquals("--beta1 applies to --optimizer adam or adamw, not sgd", assertThrows(UsageException.class, sgdWithBeta::toConfig).getMessage());
        Settings nesterovWithout = new Settings().set(Setting.N, 10L).set(Setting.K, 2L).set(Setting.OPTIMIZER, "nesterov").set(Setting.MOMENTUM, 0.0);
        assertEquals("--optimizer nesterov needs --momentum > 0", assertThrows(UsageException.class, nesterovWithout::toConfig).getMessage());
    }

    @Test
    void recordsCarryTheOptimizerAndOnlyTheHyperParametersItUses() {
        TrainConfig adam = new Settings().set(Setting.N, 10L).set(Setting.K, 2L).set(Setting.OPTIMIZER, "ADAM").toConfig();
        Map<String, Object> m = adam.toMap();
        assertEquals("adam", m.get("optimizer"));
        assertEquals(0.9, m.get("beta1"));
        assertEquals(0.999, m.get("beta2"));
        assertEquals(1e-8, m.get("eps"));
        assertTrue(m.containsKey("momentum") && m.get("momentum") == null);
        // a record's settings read back give the same run
        assertEquals(adam, new Settings().setAll(m, "record").toConfig());
        Map<String, Object> sgd = TrainConfig.defaults(10, 2).toMap();
        assertEquals("sgd", sgd.get("optimizer"));
        assertEquals(null, sgd.get("momentum"));
        assertEquals(new Settings().setAll(sgd, "record").toConfig(), TrainConfig.defaults(10, 2).validate());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "neuron", "polynet", "resnet"})
    void everyArchitectureTrainsUnderAdam(String arch) {
        Settings s = new Settings().set(Setting.N, 12L).set(Setting.K, 2L).set(Setting.ARCH, arch).set(Setting.OPTIMIZER, "adamw")
                .set(Setting.WD, 0.01).set(Setting.LR, 0.01).set(Setting.MAX_STEPS, 300L).set(Setting.EVAL_SAMPLES, 256L)
                .set(Setting.STOP_ON_SOLVE, false);
        if (arch.equals("resnet") || arch.equals("mlp")) s.set(Setting.WIDTH, 16L);
        if (arch.equals("resnet")) s.set(Setting.DEPTH, 3L).set(Setting.LAYER_LR, List.of(0.01, 0.005, 0.002));
        Trainer trainer = new Trainer(s.toConfig());
        float[] before = trainer.model().parameters();
        RunResult r = trainer.run(p -> {});
        assertEquals(300, r.steps());
        assertEquals(300, trainer.optimizer().steps());
        assertTrue(!java.util.Arrays.equals(before, trainer.model().parameters()), arch + ": parameters moved");
        assertTrue(Double.isFinite(r.finalLoss()), arch + ": finite loss");
    }
}

package bitsgd.harness.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.UsageException;
import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.mlp.Loss;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The factory's choices and refusals, the neuron activations' defining points, and a parity the nets represent. */
class ModelsTest {

    static Model create(String arch, String act, int degree, boolean second, String init, int n) {
        return Models.create(new ModelSpec(arch, 100, 2, act, degree, second, init), n, 3, new SplittableRandom(1), "auto");
    }

    static void refused(String arch, String act, int degree, String init, int n, String fragment) {
        UsageException e = assertThrows(UsageException.class,
                () -> Models.create(new ModelSpec(arch, 100, 2, act, degree, true, init), n, degree == -1 ? 0 : 3,
                        new SplittableRandom(1), "auto"));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void createsEveryArchitecture() {
        Model mlp = create("mlp", "pow", 0, true, "uniform", 10);
        assertTrue(mlp.describe().startsWith("mlp pow3 width=100"), mlp.describe());
        assertEquals(2, mlp.layers());
        Model relu = create("mlp", "relu", 0, true, "uniform", 10);
        assertTrue(relu.describe().startsWith("mlp relu width=100"), relu.describe());

        Model n2 = create("neuron", "zigzag", 0, true, "uniform", 10);
        assertEquals(2, n2.layers());
        assertArrayEquals(new String[] {"first", "second"}, n2.layerNames());
        assertEquals(13, n2.parameterCount());
        Model n1 = create("neuron", "sin", 5, false, "gaussian", 10);
        assertEquals(1, n1.layers());
        assertEquals(11, n1.parameterCount());
        assertEquals(10, n1.firstLayer().length);

        Model p = create("polynet", "relu", 4, true, "bernoulli", 10);
        assertEquals(1, p.layers());
        assertEquals(44, p.parameterCount());
        assertEquals(4, p.firstLayerUnits());
    }

    @Test
    void refusesNonsense() {
        refused("mlp", "sin", 0, "uniform", 10, "--activation for --arch mlp must be relu or pow");
        refused("mlp", "pow", -1, "uniform", 10, "--degree must be >= 1");
        refused("neuron", "relu", 0, "uniform", 10, "must be sin, zigzag, zigzag-inf or poly");
        refused("neuron", "poly", -1, "uniform", 10, "--degree must be >= 1");
        refused("neuron", "sin", 0, "sign", 10, "--init sign is the 2-layer MLP's theory-check init");
        refused("polynet", "relu", 0, "sign", 10, "--init sign is the 2-layer MLP's theory-check init");
        refused("polynet", "relu", 5, "uniform", 4, "needs k <= n");
        refused("polynet", "sin", 3, "uniform", 10, "--activation for --arch polynet must be relu or none");
        refused("polynet", "relu", -1, "uniform", 10, "--degree must be >= 1");
        refused("resnet-x", "relu", 3, "uniform", 10, "--arch must be");
    }

    @Test
    void activationsPassThroughTheParityPoints() {
        for (int k = 1; k <= 8; k++) {
            for (NeuronActivation.Kind kind : new NeuronActivation.Kind[] {
                    NeuronActivation.Kind.ZIGZAG, NeuronActivation.Kind.ZIGZAG_INF, NeuronActivation.Kind.POLY}) {
                NeuronActivation s = new NeuronActivation(kind, k);
                for (int m = 0; m <= k; m++) {
                    assertEquals((m & 1) == 0 ? 1.0 : -1.0, s.value(k - 2 * m), 1e-9, s + " at s=" + (k - 2 * m));
                }
            }
            NeuronActivation zig = new NeuronActivation(NeuronActivation.Kind.ZIGZAG, k);
            NeuronActivation inf = new NeuronActivation(NeuronActivation.Kind.ZIGZAG_INF, k);
            assertEquals(1.0, zig.value(k + 1.5));
            assertEquals(0.0, zig.derivative(k + 1.5));
            assertEquals((k & 1) == 0 ? 1.0 : -1.0, zig.value(-k - 0.7));
            assertEquals(inf.value(0.3), inf.value(0.3 + 4 * k), 1e-12, "period 4");
            assertEquals(zig.value(0.3), inf.value(0.3), 1e-12, "equal on [-k, k]");
        }
        // the polynomial's closed forms for k = 2, 3
        NeuronActivation p2 = new NeuronActivation(NeuronActivation.Kind.POLY, 2);
        NeuronActivation p3 = new NeuronActivation(NeuronActivation.Kind.POLY, 3);
        for (double s : new double[] {-2.5, -0.4, 0.7, 3.1}) {
            assertEquals(s * s / 2 - 1, p2.value(s), 1e-12);
            assertEquals((s * s * s - 7 * s) / 6, p3.value(s), 1e-12);
            assertEquals((3 * s * s - 7) / 6, p3.derivative(s), 1e-12);
        }
        assertEquals(Math.sin(0.9), new NeuronActivation(NeuronActivation.Kind.SIN, 0).value(0.9), 0);
    }

    /** With w = 1_S, b = 0 (and a = 1, c = 0) every σ but sin computes χ_S exactly; PolyNet with w_j = e_{S_j} too. */
    @Test
    void representsTheParity() {
        int n = 7;
        int[] secret = {1, 4, 6};
        BitBatch probe = new BitBatch(n, 64);
        probe.fillUniform(new SplittableRandom(3));
        Inputs x = Inputs.bits(n, 64);
        System.arraycopy(probe.rows(), 0, x.bits().rows(), 0, probe.rows().length);
        x.changed();
        float[] f = new float[64];
        for (String act : new String[] {"zigzag", "zigzag-inf", "poly"}) {
            Neuron m = new Neuron(n, new NeuronActivation(NeuronActivation.parse(act), 3), true);
            float[] p = new float[n + 3];
            for (int i : secret) p[i] = 1f;
            p[n + 1] = 1f;
            m.set(p);
            m.forward(x, f);
            for (int s = 0; s < 64; s++) assertEquals(parity(x, s, secret), f[s], 1e-5, act + " sample " + s);
        }
        PolyNet poly = new PolyNet(n, 3);
        float[] p = new float[n * 3 + 3];
        for (int j = 0; j < 3; j++) p[secret[j] * 3 + j] = 1f;
        poly.set(p);
        poly.forward(x, f);
        for (int s = 0; s < 64; s++) assertEquals(parity(x, s, secret), f[s], 0, "polynet sample " + s);
        // at the parity the square loss is 0 and a step changes nothing but the decay
        float[] y = new float[64];
        for (int s = 0; s < 64; s++) y[s] = parity(x, s, secret);
        assertEquals(0f, poly.step(x, y, Loss.SQUARE, new float[] {0.1f}, 0f));
        assertArrayEquals(p, poly.parameters());
    }

    static float parity(Inputs x, int s, int[] secret) {
        float v = 1f;
        for (int i : secret) v *= x.get(s, i);
        return v;
    }
}

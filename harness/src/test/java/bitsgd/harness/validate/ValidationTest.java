package bitsgd.harness.validate;

import static bitsgd.harness.validate.Rows.fails;
import static bitsgd.harness.validate.Rows.passes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.harness.cli.Main;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.mlp.MlpKernels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The MLP family's checks: the shipped kernels pass, and each deliberately broken method fails its row. */
class ValidationTest {

    /** The scalar reference with one deliberate defect: the last hidden unit's update is lost, or f is off. */
    private record Broken(boolean breakStep, boolean breakForward) implements MlpKernels {
        private static final MlpKernels REF = Kernels.scalarMlp();

        @Override public String name() { return "broken"; }

        @Override public Workspace workspace(int n, int h, int maxBatch) { return REF.workspace(n, h, maxBatch); }

        @Override
        public float step(Mlp2 net, BitBatch x, float[] y, Loss loss, float lr1, float lr2, float wd, Workspace ws) {
            float before = net.w[net.w.length - 1];
            float l = REF.step(net, x, y, loss, lr1, lr2, wd, ws);
            if (breakStep) net.w[net.w.length - 1] = before; // "forgot the scalar tail"
            return l;
        }

        @Override
        public void forward(Mlp2 net, BitBatch x, float[] f, Workspace ws) {
            REF.forward(net, x, f, ws);
            if (breakForward) f[x.size() - 1] += 1e-3f;
        }
    }

    enum Defect { NONE, LR_TIMES_1_05, FORWARD_NUDGED, POW_LR2_TIMES_1_05, LOSS_ONE_ULP }

    /** Real kernels behind a decorator that perturbs one method, as a planted bug would. */
    record Perturbed(MlpKernels real, Defect defect) implements MlpKernels {
        @Override public String name() { return "perturbed-" + real.name(); }

        @Override public Workspace workspace(int n, int h, int maxBatch) { return real.workspace(n, h, maxBatch); }

        @Override
        public float step(Mlp2 net, BitBatch x, float[] y, Loss loss, float lr1, float lr2, float wd, Workspace ws) {
            return switch (defect) {
                case LR_TIMES_1_05 -> real.step(net, x, y, loss, lr1 * 1.05f, lr2, wd, ws); // the hostile test's lr *= 1.05f
                case POW_LR2_TIMES_1_05 -> real.step(net, x, y, loss, lr1, net.activation.isRelu() ? lr2 : lr2 * 1.05f, wd, ws);
                case LOSS_ONE_ULP -> Math.nextUp(real.step(net, x, y, loss, lr1, lr2, wd, ws));
                default -> real.step(net, x, y, loss, lr1, lr2, wd, ws);
            };
        }

        @Override
        public void forward(Mlp2 net, BitBatch x, float[] f, Workspace ws) {
            real.forward(net, x, f, ws);
            int last = x.size() - 1;
            if (defect == Defect.FORWARD_NUDGED) f[last] += 1e-3f * (1 + Math.abs(f[last]));
        }
    }

    static final String[] STEP_ROWS = {"mlp.step hinge", "mlp.step square", "mlp.step logistic", "mlp.step correlation"};

    /** The vector kernels C2-compiled first, so the rows below compare the code runs execute. */
    @BeforeAll
    static void warmUp() {
        Warm.once();
    }

    @Test
    void shippedKernelsPass() {
        MlpKernels fast = Kernels.vectorAvailable() ? Kernels.vectorMlp() : null;
        List<Validation.Row> rows = Validation.mlp(Kernels.scalarMlp(), fast, 300, 7);
        assertEquals(fast == null ? 1 : 7, rows.size(), Rows.table(rows));
        for (Validation.Row r : rows) assertTrue(r.pass() && r.cases() > 0, "every check ran and passed: " + r);
        passes(rows, "mlp.step scalar vs double brute force");
    }

    @Test
    void aBrokenStepFailsAndTheCommandExits1() {
        List<Validation.Row> rows = Validation.mlp(Kernels.scalarMlp(), new Broken(true, false), 60, 1);
        for (String step : STEP_ROWS) fails(rows, step);
        passes(rows, "mlp.forward broken");
        StringWriter out = new StringWriter();
        assertEquals(Main.FAILURE, bitsgd.harness.cli.ValidateCommandAccess.report(new PrintWriter(out), rows));
        assertTrue(out.toString().contains("FAIL"), out.toString());
    }

    @Test
    void aBrokenForwardFails() {
        List<Validation.Row> rows = Validation.mlp(Kernels.scalarMlp(), new Broken(false, true), 30, 2);
        fails(rows, "mlp.forward broken");
    }

    @Test
    void theVectorKernelsWithTheirRateOff5PercentFailEveryStepRow() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable");
        List<Validation.Row> rows = Validation.mlp(Kernels.scalarMlp(), new Perturbed(Kernels.vectorMlp(), Defect.LR_TIMES_1_05), 120, 3);
        for (String step : STEP_ROWS) fails(rows, step);
        fails(rows, "mlp.forward+step pow3");
        passes(rows, "mlp.forward perturbed");
        passes(rows, "mlp.step scalar vs double brute force");
    }

    @Test
    void theVectorKernelsWithOneOutputNudgedFailTheForwardRow() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable");
        List<Validation.Row> rows = Validation.mlp(Kernels.scalarMlp(), new Perturbed(Kernels.vectorMlp(), Defect.FORWARD_NUDGED), 60, 4);
        fails(rows, "mlp.forward perturbed");
        for (String step : STEP_ROWS) passes(rows, step);
    }

    /** A defect in the z^k path alone: only the pow3 row can see it (the twin row would miss it if the twin shared it). */
    @Test
    void aDefectInTheVectorPowPathFailsOnlyThePowRow() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable");
        List<Validation.Row> rows = Validation.mlp(Kernels.scalarMlp(), new Perturbed(Kernels.vectorMlp(), Defect.POW_LR2_TIMES_1_05), 60, 5);
        fails(rows, "mlp.forward+step pow3");
        passes(rows, "mlp.forward perturbed");
        for (String step : STEP_ROWS) passes(rows, step);
    }

    @Test
    void theUnbrokenDecoratorPasses() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable");
        for (Validation.Row r : Validation.mlp(Kernels.scalarMlp(), new Perturbed(Kernels.vectorMlp(), Defect.NONE), 60, 6)) {
            assertTrue(r.pass(), r.toString());
        }
    }

    @Test
    void theTwinCheckIsExactAndCatchesARoundingDifference() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable");
        assertTrue(Validation.mlpExact(Kernels.twinMlp(), Kernels.vectorMlp(), 60, 3).pass());
        // the scalar reference agrees with the vector kernels within tolerance, but not bit for bit: the exact check fails
        Validation.Row r = Validation.mlpExact(Kernels.scalarMlp(), Kernels.vectorMlp(), 60, 3);
        assertFalse(r.pass(), r.toString());
        // one ulp off in the twin's loss: still a failure
        Validation.Row ulp = Validation.mlpExact(new Perturbed(Kernels.twinMlp(), Defect.LOSS_ONE_ULP), Kernels.vectorMlp(), 20, 3);
        assertFalse(ulp.pass(), ulp.toString());
    }

    @Test
    void validateCommandPassesHere() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "validate", "--cases", "40", "--json");
        if (Kernels.vectorAvailable()) {
            assertEquals(Main.OK, code, out + "\n" + err);
            assertTrue(out.toString().contains("all checks passed"));
            assertTrue(out.toString().contains("(bit-exact)"), out.toString());
        } else {
            assertEquals(Main.FAILURE, code, out + "\n" + err); // nothing was compared: no pass
            assertTrue(out.toString().contains("NOT VALIDATED"), out.toString());
        }
        assertEquals(2, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "validate", "--cases", "0"));
    }
}

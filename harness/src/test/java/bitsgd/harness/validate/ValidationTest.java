package bitsgd.harness.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.cli.Main;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.mlp.MlpKernels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

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

    @Test
    void shippedKernelsPass() {
        MlpKernels fast = Kernels.vectorAvailable() ? Kernels.vectorMlp() : Kernels.scalarMlp();
        List<Validation.Row> rows = Validation.mlp(Kernels.scalarMlp(), fast, 120, 7);
        for (Validation.Row r : rows) {
            assertTrue(r.pass(), r.toString());
            assertTrue(r.cases() > 0, "every check ran: " + r);
        }
    }

    @Test
    void aBrokenStepFailsAndTheCommandExits1() {
        List<Validation.Row> rows = Validation.mlp(Kernels.scalarMlp(), new Broken(true, false), 60, 1);
        assertTrue(rows.stream().filter(r -> r.check().startsWith("mlp.step") && r.check().contains("broken"))
                .allMatch(r -> !r.pass()), rows.toString());
        assertTrue(rows.stream().filter(r -> r.check().startsWith("mlp.forward")).allMatch(Validation.Row::pass));
        StringWriter out = new StringWriter();
        assertEquals(Main.FAILURE, bitsgd.harness.cli.ValidateCommandAccess.report(new PrintWriter(out), rows));
        assertTrue(out.toString().contains("FAIL"), out.toString());
    }

    @Test
    void aBrokenForwardFails() {
        List<Validation.Row> rows = Validation.mlp(Kernels.scalarMlp(), new Broken(false, true), 30, 2);
        assertFalse(rows.getFirst().pass(), rows.getFirst().toString());
    }

    @Test
    void theTwinCheckIsExactAndCatchesARoundingDifference() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable");
        assertTrue(Validation.mlpExact(Kernels.twinMlp(), Kernels.vectorMlp(), 60, 3).pass());
        // the scalar reference agrees with the vector kernels within tolerance, but not bit for bit: the exact check fails
        Validation.Row r = Validation.mlpExact(Kernels.scalarMlp(), Kernels.vectorMlp(), 60, 3);
        assertFalse(r.pass(), r.toString());
    }

    @Test
    void validateCommandPassesHere() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "validate", "--cases", "40", "--json");
        assertEquals(Main.OK, code, out + "\n" + err);
        assertTrue(out.toString().contains("all checks passed"));
        if (Kernels.vectorAvailable()) assertTrue(out.toString().contains("(bit-exact)"), out.toString());
        assertEquals(2, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "validate", "--cases", "0"));
    }
}

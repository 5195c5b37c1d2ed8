package bitsgd.harness.validate;

import static bitsgd.harness.validate.Rows.fails;
import static bitsgd.harness.validate.Rows.passes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.popgrad.PopGrad;
import bitsgd.kernel.popgrad.PopGradKernels;
import bitsgd.kernel.popgrad.PopGrads;
import bitsgd.kernel.popgrad.PopTarget;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The popgrad family's checks: the shipped vector kernels pass, and each deliberately broken result fails its row. */
class PopGradValidationTest {

    enum Defect { NONE, LAST_DA_TIMES_1_05, LOSS_TIMES_1_05, ONE_INPUT_MISCOUNTED }

    /** The real kernels behind a decorator that perturbs one part of the result, as a planted bug would. */
    record Perturbed(PopGradKernels real, Defect defect) implements PopGradKernels {
        @Override public String name() { return "perturbed-" + real.name(); }

        @Override
        public PopGrad compute(Mlp2 net, PopTarget target, Loss loss, double flip) {
            PopGrad g = real.compute(net, target, loss, flip);
            double[] a = g.a().clone();
            if (defect == Defect.LAST_DA_TIMES_1_05) a[a.length - 1] *= 1.05; // the last hidden unit: "a tail lane off"
            double l = defect == Defect.LOSS_TIMES_1_05 ? g.loss() * 1.05 : g.loss();
            double acc = defect == Defect.ONE_INPUT_MISCOUNTED ? g.accuracy() + Math.scalb(1.0, -g.n()) : g.accuracy();
            return new PopGrad(g.n(), g.h(), g.w(), g.b(), a, g.c(), l, acc, g.kernels());
        }
    }

    /** The vector kernels C2-compiled first, so the rows below compare the code runs execute. */
    @BeforeAll
    static void warmUp() {
        Warm.once();
    }

    static List<Validation.Row> check(Defect defect, int cases, long seed) {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        return Validation.popgrad(PopGrads.scalar(), new Perturbed(PopGrads.vector(), defect), cases, seed);
    }

    @Test
    void shippedKernelsPass() {
        PopGradKernels fast = Kernels.vectorAvailable() ? PopGrads.vector() : null;
        List<Validation.Row> rows = Validation.popgrad(PopGrads.scalar(), fast, 300, 7); // 300: includes the top-bit case (n = 13)
        assertEquals(fast == null ? 1 : 2, rows.size(), Rows.table(rows));
        passes(rows, "popgrad scalar vs double brute force");
        if (fast != null) passes(rows, "popgrad " + fast.name() + " vs scalar");
    }

    @Test
    void theUnbrokenDecoratorPasses() {
        List<Validation.Row> rows = check(Defect.NONE, 100, 8);
        passes(rows, "popgrad perturbed");
        passes(rows, "popgrad scalar vs double");
    }

    @Test
    void oneGradientEntryOff5PercentFails() {
        List<Validation.Row> rows = check(Defect.LAST_DA_TIMES_1_05, 60, 1);
        fails(rows, "popgrad perturbed");
        passes(rows, "popgrad scalar vs double");
    }

    @Test
    void aLossOff5PercentFails() {
        fails(check(Defect.LOSS_TIMES_1_05, 30, 2), "popgrad perturbed");
    }

    /** Accuracy is exact: one input of 2^n counted wrongly is a failure. */
    @Test
    void oneInputMiscountedFails() {
        fails(check(Defect.ONE_INPUT_MISCOUNTED, 10, 3), "popgrad perturbed");
    }

    /** The reference against double: the scalar kernels themselves with a planted bug fail the brute-force row. */
    @Test
    void aBrokenReferenceFailsTheBruteForceRow() {
        fails(Validation.popgrad(new Perturbed(PopGrads.scalar(), Defect.LAST_DA_TIMES_1_05), null, 60, 5),
                "popgrad perturbed-scalar vs double brute force");
    }
}

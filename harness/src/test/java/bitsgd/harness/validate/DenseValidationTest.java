package bitsgd.harness.validate;

import static bitsgd.harness.validate.Rows.fails;
import static bitsgd.harness.validate.Rows.passes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.kernel.Kernels;
import bitsgd.kernel.dense.DenseKernels;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dense family's checks: the shipped vector kernels pass, and each deliberately broken method fails its row. */
class DenseValidationTest {

    enum Defect { NONE, UPDATE_LR_TIMES_1_05, FORWARD_ONE_ULP, FORWARD_PAST_THE_SHAPE, BACKWARD_LOST_TAIL_TERM, RELU_FORWARD_LEAKS, RELU_BACKWARD_FORGETS_SKIP }

    /** The real vector kernels behind a decorator that perturbs one method, as a planted bug would. */
    record Perturbed(DenseKernels real, Defect defect) implements DenseKernels {
        @Override public String name() { return "perturbed-" + real.name(); }

        @Override
        public void forward(float[] in, int batch, int ins, float[] w, float[] bias, int outs, float[] out) {
            real.forward(in, batch, ins, w, bias, outs, out);
            int last = batch * outs - 1;
            if (defect == Defect.FORWARD_ONE_ULP && last >= 0) out[last] = Math.nextUp(out[last]);
            if (defect == Defect.FORWARD_PAST_THE_SHAPE && last + 1 < out.length) out[last + 1] = 0f;
        }

        @Override
        public void backwardInput(float[] dOut, int batch, int outs, float[] w, int ins, float[] dIn) {
            real.backwardInput(dOut, batch, outs, w, ins, dIn);
            if (defect == Defect.BACKWARD_LOST_TAIL_TERM && batch > 0 && ins > 0 && outs > 0) {
                int b = batch - 1, i = ins - 1, j = outs - 1; // the last entry without its last term: "forgot the scalar tail"
                dIn[b * ins + i] -= dOut[b * outs + j] * w[i * outs + j];
            }
        }

        @Override
        public void update(float[] in, float[] dOut, int batch, int ins, int outs, float[] w, float[] bias, float lr, float weightDecay) {
            real.update(in, dOut, batch, ins, outs, w, bias, defect == Defect.UPDATE_LR_TIMES_1_05 ? lr * 1.05f : lr, weightDecay);
        }

        @Override
        public void forwardRelu(float[] in, int batch, int ins, float[] w, float[] bias, int outs, float[] z, float[] h, boolean skip) {
            real.forwardRelu(in, batch, ins, w, bias, outs, z, h, skip);
            if (defect != Defect.RELU_FORWARD_LEAKS) return;
            for (int k = 0; k < batch * outs; k++) if (z[k] < 0f) h[k] += 0.01f * z[k];   // a leaky ReLU where a ReLU was asked
        }

        @Override
        public void backwardRelu(float[] dh, float[] z, int batch, int outs, float[] wt, int ins, float[] delta, float[] dIn, boolean skip) {
            real.backwardRelu(dh, z, batch, outs, wt, ins, delta, dIn, skip && defect != Defect.RELU_BACKWARD_FORGETS_SKIP);
        }
    }

    /** The vector kernels C2-compiled first, so the rows below compare the code runs execute. */
    @BeforeAll
    static void warmUp() {
        Warm.once();
    }

    static List<Validation.Row> check(Defect defect, int cases, long seed) {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        return Validation.dense(Kernels.scalarDense(), new Perturbed(Kernels.vectorDense(), defect), cases, seed);
    }

    @Test
    void shippedKernelsPass() {
        DenseKernels fast = Kernels.vectorAvailable() ? Kernels.vectorDense() : null;
        List<Validation.Row> rows = Validation.dense(Kernels.scalarDense(), fast, 300, 7);
        assertEquals(fast == null ? 1 : 6, rows.size(), Rows.table(rows));
        passes(rows, "dense scalar vs double brute force");
        if (fast == null) return;
        passes(rows, "dense.forward " + fast.name());
        passes(rows, "dense.backwardInput " + fast.name());
        passes(rows, "dense.update " + fast.name());
        passes(rows, "dense.relu-layer forward " + fast.name());
        passes(rows, "dense.relu-layer backward " + fast.name());
    }

    @Test
    void theUnbrokenDecoratorPasses() {
        List<Validation.Row> rows = check(Defect.NONE, 300, 8);
        for (String r : new String[] {"dense.forward", "dense.backwardInput", "dense.update", "dense.relu-layer forward", "dense.relu-layer backward", "dense scalar"}) {
            passes(rows, r);
        }
    }

    /** The hostile test of the issue: lr *= 1.05f in VectorDenseKernels.update. */
    @Test
    void anUpdateWithItsRateOff5PercentFails() {
        List<Validation.Row> rows = check(Defect.UPDATE_LR_TIMES_1_05, 60, 1);
        fails(rows, "dense.update");
        passes(rows, "dense.forward");
        passes(rows, "dense.backwardInput");
    }

    /** The forward pass's float order is the contract: one ulp is a failure. */
    @Test
    void aForwardOneUlpOffFails() {
        List<Validation.Row> rows = check(Defect.FORWARD_ONE_ULP, 30, 2);
        fails(rows, "dense.forward");
        passes(rows, "dense.update");
    }

    @Test
    void aForwardThatWritesPastItsShapeFails() {
        fails(check(Defect.FORWARD_PAST_THE_SHAPE, 30, 3), "dense.forward");
    }

    @Test
    void anInputGradientThatLosesItsLastTermFails() {
        List<Validation.Row> rows = check(Defect.BACKWARD_LOST_TAIL_TERM, 60, 4);
        fails(rows, "dense.backwardInput");
        passes(rows, "dense.forward");
        passes(rows, "dense.update");
    }

    @Test
    void aLeakyReluFails() {
        List<Validation.Row> rows = check(Defect.RELU_FORWARD_LEAKS, 60, 6);
        fails(rows, "dense.relu-layer forward");
        passes(rows, "dense.forward");
        passes(rows, "dense.relu-layer backward");
    }

    @Test
    void aBackwardThatForgetsTheSkipFails() {
        List<Validation.Row> rows = check(Defect.RELU_BACKWARD_FORGETS_SKIP, 60, 7);
        fails(rows, "dense.relu-layer backward");
        passes(rows, "dense.relu-layer forward");
    }

    /** The reference against double: the scalar kernels themselves with the planted bug fail the brute-force row. */
    @Test
    void aBrokenReferenceFailsTheBruteForceRow() {
        List<Validation.Row> rows = Validation.dense(new Perturbed(Kernels.scalarDense(), Defect.UPDATE_LR_TIMES_1_05), null, 60, 5);
        fails(rows, "dense perturbed-scalar vs double brute force");
    }
}

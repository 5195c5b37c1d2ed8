package bitsgd.harness.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.harness.model.ModelSpec;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.mlp.Activation;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.mlp.MlpKernels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Same config and seed ⇒ the same run for {@code --kernels vector}, whichever code computed which step: the twin
 * throughout, the Vector API code throughout, or a hand-over at any step (steps and eval checks alike).
 */
class HandoverRunTest {

    /** Twin until {@code switchAt} kernel calls (steps and forward passes both count), the Vector API code after. */
    static final class SwitchAt implements MlpKernels {
        final MlpKernels twin = Kernels.twinMlp(), vector = Kernels.vectorMlp();
        final long switchAt;
        long calls;

        SwitchAt(long switchAt) {
            this.switchAt = switchAt;
        }

        record Both(Workspace twin, Workspace vector) implements Workspace {}

        @Override public String name() { return vector.name(); }

        @Override
        public Workspace workspace(int n, int h, int maxBatch) {
            return new Both(twin.workspace(n, h, maxBatch), vector.workspace(n, h, maxBatch));
        }

        @Override
        public float step(Mlp2 net, BitBatch x, float[] y, Loss loss, float lr1, float lr2, float wd, Workspace ws) {
            Both b = (Both) ws;
            return calls++ < switchAt ? twin.step(net, x, y, loss, lr1, lr2, wd, b.twin()) : vector.step(net, x, y, loss, lr1, lr2, wd, b.vector());
        }

        @Override
        public void forward(Mlp2 net, BitBatch x, float[] f, Workspace ws) {
            Both b = (Both) ws;
            if (calls++ < switchAt) twin.forward(net, x, f, b.twin());
            else vector.forward(net, x, f, b.vector());
        }
    }

    /** Every curve value and every parameter bit of one run, as one list. */
    static List<Long> fingerprint(TrainConfig cfg, MlpKernels kernels) {
        Trainer t = kernels == null ? new Trainer(cfg) : new Trainer(cfg, kernels);
        List<CurvePoint> curve = new ArrayList<>();
        RunResult r = t.run(curve::add);
        List<Long> bits = new ArrayList<>();
        for (CurvePoint p : curve) {
            bits.add(p.step());
            bits.add(Double.doubleToLongBits(p.loss()));
            bits.add(Double.doubleToLongBits(p.evalAccuracy()));
        }
        bits.add(r.tC() == null ? -1 : r.tC());
        bits.add(Double.doubleToLongBits(r.finalEvalAccuracy()));
        for (float v : t.model().parameters()) bits.add((long) Float.floatToIntBits(v));
        return bits;
    }

    @Test
    void everyHandOverPointGivesTheSameRun() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable");
        for (Activation act : new Activation[] {Activation.RELU, Activation.pow(2)}) {
            TrainConfig cfg = TrainConfig.defaults(16, 2).withTraining(37, 13, act.isRelu() ? 0.1 : 0.02, 0.01, Loss.HINGE)
                    .withSteps(400, 50, true).withSeed(7).withKernels("vector");
            if (!act.isRelu()) cfg = cfg.withSetup(cfg.setup().withModel(new ModelSpec("mlp", 37, 2, "pow", 2, true, "uniform")));
            List<Long> handover = fingerprint(cfg, null);                        // the provider's kernels: what train runs
            List<Long> vector = fingerprint(cfg, Kernels.vectorMlp());
            List<Long> twin = fingerprint(cfg, Kernels.twinMlp());
            assertEquals(vector, handover, act + ": the hand-over kernels differ from the Vector API code");
            assertEquals(vector, twin, act + ": the twin differs from the Vector API code");
            for (long at : new long[] {1, 2, 37, 101, 250}) {
                assertEquals(vector, fingerprint(cfg, new SwitchAt(at)), act + ": hand-over after " + at + " kernel calls");
            }
            assertTrue(vector.size() > 100);
        }
    }
}

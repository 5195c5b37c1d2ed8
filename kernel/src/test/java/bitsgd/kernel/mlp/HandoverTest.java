package bitsgd.kernel.mlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.kernel.Kernels;
import bitsgd.kernel.bits.BitBatch;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A run's bits do not depend on when the twin hands over to the Vector API code: every hand-over step gives the
 * bits of an all-vector run, and the real hand-over (after the warm-up thread's verdict) does too.
 */
class HandoverTest {

    /** Loss bits of every step, then every parameter bit, of {@code steps} steps: twin for the first {@code twinSteps}. */
    static long run(int n, int h, int batch, Activation act, int steps, int twinSteps, MlpKernels twin, MlpKernels vector) {
        SplittableRandom rng = new SplittableRandom(n * 1000L + h);
        Mlp2 net = new Mlp2(n, h, act).initUniform(rng);
        MlpKernels.Workspace wt = twin.workspace(n, h, batch), wv = vector.workspace(n, h, batch);
        BitBatch x = new BitBatch(n, batch);
        float[] y = new float[batch], f = new float[batch];
        long hash = 17;
        for (int s = 0; s < steps; s++) {
            x.fillUniform(rng);
            for (int b = 0; b < batch; b++) y[b] = rng.nextBoolean() ? 1f : -1f;
            boolean onTwin = s < twinSteps;
            float loss = onTwin ? twin.step(net, x, y, Loss.HINGE, 0.05f, 0.05f, 0.01f, wt)
                    : vector.step(net, x, y, Loss.HINGE, 0.05f, 0.05f, 0.01f, wv);
            hash = hash * 31 + Float.floatToIntBits(loss);
            if (onTwin) twin.forward(net, x, f, wt);
            else vector.forward(net, x, f, wv);
            for (int b = 0; b < batch; b++) hash = hash * 31 + Float.floatToIntBits(f[b]);
        }
        for (float v : net.w) hash = hash * 31 + Float.floatToIntBits(v);
        for (int j = 0; j < h; j++) hash = (hash * 31 + Float.floatToIntBits(net.a[j])) * 31 + Float.floatToIntBits(net.b[j]);
        return hash * 31 + Float.floatToIntBits(net.c);
    }

    @Test
    void everyHandOverStepGivesTheAllVectorBits() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        MlpKernels twin = Kernels.twinMlp(), vector = Kernels.vectorMlp();
        int lanes = VectorMlpKernels.lanes(), steps = 12;
        int[][] shapes = {{20, 100, 32}, {65, 3 * lanes + 5, 13}, {7, lanes - 1, 5}};
        for (int[] sh : shapes) {
            for (Activation act : new Activation[] {Activation.RELU, Activation.pow(3)}) {
                long allVector = run(sh[0], sh[1], sh[2], act, steps, 0, twin, vector);
                for (int at : new int[] {1, 2, 5, steps - 1, steps}) {
                    assertEquals(allVector, run(sh[0], sh[1], sh[2], act, steps, at, twin, vector),
                            "n=" + sh[0] + " h=" + sh[1] + " B=" + sh[2] + " " + act + ": hand-over after step " + at);
                }
            }
        }
    }

    @Test
    void theRealHandOverHappensAndChangesNoBit() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        HandoverMlpKernels handover = new HandoverMlpKernels(Kernels.twinMlp());
        MlpKernels vector = Kernels.vectorMlp();
        VectorWarmup.start(vector, handover.twin());
        int n = 30, h = 200, batch = 32;
        SplittableRandom rng = new SplittableRandom(5);
        Mlp2 a = new Mlp2(n, h).initUniform(rng), b = a.copy();
        MlpKernels.Workspace wa = handover.workspace(n, h, batch), wb = vector.workspace(n, h, batch);
        BitBatch x = new BitBatch(n, batch);
        float[] y = new float[batch];
        long deadline = System.nanoTime() + 120_000_000_000L;   // generous: a loaded 2-core CI machine
        HandoverMlpKernels.Scratch s = (HandoverMlpKernels.Scratch) wa;
        boolean readyBefore = false;
        // until the Vector API code has run 100 steps (or the deadline): the run crosses the hand-over
        while (s.vectorSteps() < 100 && System.nanoTime() < deadline) {
            x.fillUniform(rng);
            for (int i = 0; i < batch; i++) y[i] = rng.nextBoolean() ? 1f : -1f;
            // read right before the first step, not before the set-up: the warm-up may reach its verdict in between
            // (another test in this JVM may have had the kernels compiled), and then no twin step is due
            if (s.twinSteps() + s.vectorSteps() == 0) readyBefore = handover.vectorReady(Activation.RELU);
            float la = handover.step(a, x, y, Loss.SQUARE, 0.001f, 0.001f, 0.01f, wa);
            float lb = vector.step(b, x, y, Loss.SQUARE, 0.001f, 0.001f, 0.01f, wb);
            assertEquals(Float.floatToIntBits(lb), Float.floatToIntBits(la), "loss after " + (s.twinSteps() + s.vectorSteps()) + " steps");
        }
        assertTrue((readyBefore || s.twinSteps() > 0) && s.vectorSteps() >= 100,
                "the hand-over did not happen: twin " + s.twinSteps() + ", vector " + s.vectorSteps() + " steps");
        assertTrue(a.bitEquals(b), "parameters differ from the all-vector run after the hand-over");
        assertTrue(HandoverMlpKernels.warmupSeconds() > 0, "warm-up time " + HandoverMlpKernels.warmupSeconds());
    }
}

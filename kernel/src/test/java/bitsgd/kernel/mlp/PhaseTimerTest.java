package bitsgd.kernel.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.kernel.Kernels;
import bitsgd.kernel.bits.BitBatch;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The phase timer behind profile --phases: it runs every phase over every kind of block and leaves the net alone. */
class PhaseTimerTest {
    static VectorMlpKernels vector;
    static int lanes;

    @BeforeAll
    static void setUp() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        vector = Kernels.vectorMlp();
        lanes = VectorMlpKernels.lanes();
    }

    static BitBatch batch(int n, int b, SplittableRandom rng, float[] y) {
        BitBatch x = new BitBatch(n, b);
        x.fillUniform(rng);
        for (int i = 0; i < b; i++) y[i] = rng.nextBoolean() ? 1f : -1f;
        return x;
    }

    @Test
    void everyPhaseRunsOnPairsSingleBlocksAndTheTailAndTheNetIsUntouched() {
        // {n, h, B}: a pair + a single block + the tail, with partial input and sample groups; pairs only; the tail only
        int[][] shapes = {{9, 3 * lanes + 3, 7}, {22, 2 * lanes, 32}, {5, Math.max(1, lanes - 1), 4}};
        for (int[] sh : shapes) {
            SplittableRandom rng = new SplittableRandom(sh[0] * 31L + sh[1]);
            Mlp2 net = new Mlp2(sh[0], sh[1]).initUniform(rng), before = net.copy();
            float[] y = new float[sh[2]];
            BitBatch x = batch(sh[0], sh[2], rng, y);
            VectorMlpKernels.PhaseTimer timer = vector.phaseTimer(net, x, y, Loss.HINGE);
            for (VectorMlpKernels.Phase p : VectorMlpKernels.Phase.values()) {
                double ns = timer.nanos(p, 20);
                assertTrue(ns > 0 && Double.isFinite(ns), p + " took " + ns + " ns at " + Arrays.toString(sh));
            }
            assertTrue(net.bitEquals(before), "the timed net changed at " + Arrays.toString(sh));
        }
    }

    @Test
    void theForwardPhasesTogetherAreTheStepsForward() {
        // one column pair, no tail: the tables phase leaves the pair's tables current, so the lookups phase must
        // write exactly the z and output partial sums of the step's own forward
        int n = 13, h = 2 * lanes, b = 10;
        SplittableRandom rng = new SplittableRandom(3);
        Mlp2 net = new Mlp2(n, h).initUniform(rng);
        float[] y = new float[b];
        BitBatch x = batch(n, b, rng, y);
        VectorMlpKernels.Scratch s = (VectorMlpKernels.Scratch) vector.workspace(n, h, b);
        vector.step(net, x, y, Loss.HINGE, 0f, 0f, 0f, s); // rates 0: the net stays, z and fpart are the forward's
        float[] z = s.z.clone(), fpart = Arrays.copyOf(s.fpart, b * lanes);
        Arrays.fill(s.z, Float.NaN);
        Arrays.fill(s.fpart, Float.NaN);
        VectorMlpKernels.runPhase(net, s, VectorMlpKernels.Phase.FORWARD_TABLES, b);
        VectorMlpKernels.runPhase(net, s, VectorMlpKernels.Phase.FORWARD_LOOKUPS, b);
        for (int block = 0; block < 2; block++) {
            int from = block * s.zPanel * lanes, to = from + b * lanes; // the batch's rows of the block's panel
            assertArrayEquals(Arrays.copyOfRange(z, from, to), Arrays.copyOfRange(s.z, from, to), "z panel of block " + block);
        }
        assertArrayEquals(fpart, Arrays.copyOf(s.fpart, b * lanes), "output partial sums");
    }

    @Test
    void onlyReluNetsAreTimed() {
        Mlp2 net = new Mlp2(8, 20, Activation.pow(3)).initUniform(new SplittableRandom(1));
        float[] y = new float[4];
        BitBatch x = batch(8, 4, new SplittableRandom(2), y);
        assertThrows(IllegalArgumentException.class, () -> vector.phaseTimer(net, x, y, Loss.HINGE));
        assertThrows(IllegalArgumentException.class, () -> vector.phaseTimer(new Mlp2(8, 20).initUniform(new SplittableRandom(1)), x, y, Loss.HINGE)
                .nanos(VectorMlpKernels.Phase.STEP, 0));
    }
}

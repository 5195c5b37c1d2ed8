package bitsgd.kernel.attn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.kernel.Kernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The warm-up calls every kernel a Transformer block uses on any shape, and calling them changes no result. */
class AttentionWarmupTest {

    @Test
    void warmsAwkwardShapesWithoutFailing() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        int lanes = VectorAttentionKernels.LANES;
        int[][] shapes = {{1, 1, 1}, {10, 32, 4}, {lanes + 1, 12, 3}, {2 * lanes + 3, 2 * lanes + 8, 4}, {3, 8, 8}};  // seq, width, heads
        for (int[] s : shapes) AttentionWarmup.run(Kernels.attention("vector"), s[0], s[1], s[2], 4 * s[1], 3);
        AttentionWarmup.run(Kernels.attention("scalar"), 10, 32, 4, 128, 3);
    }

    /** A warm-up running beside a computation (another thread, same kernels) leaves its results as they were. */
    @Test
    void aConcurrentWarmupChangesNoResult() throws InterruptedException {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        AttentionKernels k = Kernels.attention("vector");
        int batch = 3, seq = 10, width = 32, heads = 4, rows = batch * seq;
        SplittableRandom rng = new SplittableRandom(9);
        float[] qkv = new float[rows * 3 * width];
        for (int q = 0; q < qkv.length; q++) qkv[q] = (float) rng.nextDouble(-1, 1);
        float[] scratch = new float[k.scratchSize(seq, width, heads, 0, 0)], scratchRef = scratch.clone();
        float[] probs = new float[rows * heads * seq], expect = new float[rows * width], got = new float[rows * width];
        Kernels.attention("scalar").attention(qkv, batch, seq, width, heads, probs, expect, scratchRef);
        Thread t = new Thread(() -> AttentionWarmup.run(k, seq, width, heads, 4 * width, 200));
        t.start();
        for (int r = 0; r < 200; r++) {
            k.attention(qkv, batch, seq, width, heads, probs, got, scratch);
            assertArrayEquals(expect, got);
        }
        t.join();
    }
}

package bitsgd.kernel.dense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.kernel.Kernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The warm-up calls every kernel a residual network uses on any shape, and calling the kernels changes no result. */
class DenseWarmupTest {

    @Test
    void warmsAwkwardShapesWithoutFailing() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        int lanes = VectorDenseKernels.lanes();
        int[][] shapes = {{1, 1}, {30, 40}, {7, lanes - 1}, {lanes + 1, 2 * lanes + lanes / 2}, {100, 3 * lanes + 1}};
        for (int[] s : shapes) DenseWarmup.run(Kernels.vectorDense(), s[0], s[1], 3);
        DenseWarmup.run(Kernels.scalarDense(), 30, 40, 3);
    }

    /** A warm-up running beside a computation (another thread, same kernels) leaves its results as they were. */
    @Test
    void aConcurrentWarmupChangesNoResult() throws InterruptedException {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        DenseKernels k = Kernels.vectorDense();
        int batch = 20, ins = 30, outs = 40;
        SplittableRandom rng = new SplittableRandom(9);
        float[] in = new float[batch * ins], w = new float[ins * outs], bias = new float[outs];
        for (int q = 0; q < in.length; q++) in[q] = (float) rng.nextDouble(-1, 1);
        for (int q = 0; q < w.length; q++) w[q] = (float) rng.nextDouble(-1, 1);
        float[] expect = new float[batch * outs], got = new float[batch * outs];
        Kernels.scalarDense().forward(in, batch, ins, w, bias, outs, expect);
        Thread t = new Thread(() -> DenseWarmup.run(k, ins, outs, 200));
        t.start();
        for (int r = 0; r < 200; r++) {
            k.forward(in, batch, ins, w, bias, outs, got);
            assertArrayEquals(expect, got);
        }
        t.join();
    }
}

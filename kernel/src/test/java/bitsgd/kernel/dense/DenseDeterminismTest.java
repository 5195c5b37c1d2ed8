package bitsgd.kernel.dense;

import static bitsgd.kernel.TestArrays.rand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.kernel.InterpretedHash;
import bitsgd.kernel.Kernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Same inputs ⇒ same bits: twice in one JVM, and interpreted (the Vector API's Java fallback, -Xint) vs
 * C2-compiled. A reduction whose association changes with compilation (reduceLanes(ADD)) would break the
 * second, and with it bit-identical reruns of a seed.
 */
class DenseDeterminismTest {

    /** Runs fixed forward / backward / update rounds on the vector kernels and prints a hash of every output bit. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println("HASH " + run(VectorDenseKernels.create(), Integer.parseInt(args[0])));
        }
    }

    static long run(DenseKernels k, int repeats) {
        int lanes = VectorDenseKernels.lanes();
        long hash = 0;
        for (int r = 0; r < repeats; r++) {
            SplittableRandom rng = new SplittableRandom(42);
            long all = 0;
            for (int[] s : new int[][] {{5, 30, 40}, {4, 2 * lanes + 3, 3 * lanes + lanes / 2 + 1}, {7, 13, 1}}) {
                int batch = s[0], ins = s[1], outs = s[2];
                float[] in = rand(batch * ins, rng), w = rand(ins * outs, rng), bias = rand(outs, rng);
                float[] out = new float[batch * outs], dIn = new float[batch * ins];
                long local = 0;
                for (int t = 0; t < 3; t++) {
                    k.forward(in, batch, ins, w, bias, outs, out);
                    k.backwardInput(out, batch, outs, w, ins, dIn);
                    k.update(in, out, batch, ins, outs, w, bias, 0.01f, 0.001f);
                    for (float v : out) local = local * 31 + Float.floatToIntBits(v);
                    for (float v : dIn) local = local * 31 + Float.floatToIntBits(v);
                }
                for (float v : w) local = local * 31 + Float.floatToIntBits(v);
                for (float v : bias) local = local * 31 + Float.floatToIntBits(v);
                all = all * 31 + local;
            }
            if (r == 0) hash = all;
            else assertEquals(hash, all, "repeat " + r + " of the same inputs gave other bits");
        }
        return hash;
    }

    @Test
    void sameInputsTwiceGiveTheSameBits() {
        assertEquals(run(Kernels.scalarDense(), 2), run(Kernels.scalarDense(), 1));
        if (Kernels.vectorAvailable()) assertEquals(run(Kernels.vectorDense(), 2), run(Kernels.vectorDense(), 1));
    }

    @Test
    void interpretedAndCompiledVectorCodeGiveTheSameBits() throws Exception {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        DenseKernels vector = Kernels.vectorDense();
        run(vector, 2000); // enough calls for C2 to compile the kernels in this JVM
        long compiled = run(vector, 1);

        long interpreted = InterpretedHash.of(Probe.class, VectorDenseKernels.F.vectorBitSize(), "1");
        assertEquals(compiled, interpreted, "interpreted (-Xint) vs C2-compiled vector kernels");
    }
}

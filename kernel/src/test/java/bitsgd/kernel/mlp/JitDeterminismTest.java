package bitsgd.kernel.mlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.kernel.InterpretedHash;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.bits.BitBatch;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Same inputs ⇒ same bits, whether the vector code runs interpreted (the Vector API's Java
 * fallback) or compiled by C2. A float reduction whose association changes with compilation
 * (reduceLanes(ADD)) breaks this, and with it bit-identical reruns of a seed. Covers ReLU and z^3.
 */
class JitDeterminismTest {

    /** Runs fixed steps on the vector kernels and prints a hash of every output bit. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println("HASH " + run(MlpKernels.class.cast(VectorMlpKernels.create()), Integer.parseInt(args[0])));
        }
    }

    static long run(MlpKernels k, int repeats) {
        long hash = 0;
        for (int r = 0; r < repeats; r++) {
            SplittableRandom rng = new SplittableRandom(42);
            // 4th entry: degree k of σ(z) = z^k, 0 for ReLU
            for (int[] shape : new int[][] {{20, 100, 32, 0}, {65, 37, 33, 0}, {7, 1000, 5, 0}, {20, 37, 33, 3}}) {
                int n = shape[0], h = shape[1], batch = shape[2];
                Mlp2 net = new Mlp2(n, h, shape[3] == 0 ? Activation.RELU : Activation.pow(shape[3]));
                for (int i = 0; i < net.w.length; i++) net.w[i] = (float) rng.nextDouble(-0.3, 0.3);
                for (int j = 0; j < h; j++) {
                    net.b[j] = (float) rng.nextDouble(-0.3, 0.3);
                    net.a[j] = (float) rng.nextDouble(-0.3, 0.3);
                }
                BitBatch x = new BitBatch(n, batch);
                float[] y = new float[batch], f = new float[batch];
                MlpKernels.Workspace ws = k.workspace(n, h, batch);
                long local = 0;
                for (int t = 0; t < 5; t++) {
                    x.fillUniform(rng);
                    for (int s = 0; s < batch; s++) y[s] = rng.nextBoolean() ? 1f : -1f;
                    local = local * 31 + Float.floatToIntBits(k.step(net, x, y, Loss.HINGE, 0.1f, 0.05f, 0.01f, ws));
                    k.forward(net, x, f, ws);
                    for (float v : f) local = local * 31 + Float.floatToIntBits(v);
                }
                for (float v : net.w) local = local * 31 + Float.floatToIntBits(v);
                hash = r == 0 ? hash * 31 + local : hash; // every repeat recomputes the same values
            }
        }
        return hash;
    }

    @Test
    void interpretedAndCompiledVectorCodeGiveTheSameBits() throws Exception {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        MlpKernels vector = Kernels.vectorMlp();
        run(vector, 300); // enough calls for C2 to compile the kernels in this JVM
        long compiled = run(vector, 1);

        long interpreted = InterpretedHash.of(Probe.class, VectorMlpKernels.F.vectorBitSize(), "1");
        assertEquals(compiled, interpreted, "interpreted (-Xint) vs C2-compiled vector kernels");
    }
}

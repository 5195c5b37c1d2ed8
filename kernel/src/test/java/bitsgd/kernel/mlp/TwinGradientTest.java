package bitsgd.kernel.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.kernel.Kernels;
import bitsgd.kernel.bits.BitBatch;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link TwinMlpKernels#gradient} has the bits of the gradient the vector kernels' step applies: after one vector step,
 * every W, b and a equals fma(fma(p, λ, G), −η, p) and c equals c − η(G + λc) with the twin's G, exactly, over awkward
 * n, h (around the lane count and across table blocks), B (partial groups of 4), ReLU and z^k, every loss; and the
 * twin's gradient pass leaves the net unchanged.
 */
class TwinGradientTest {

    @Test
    void twinGradientIsTheGradientTheVectorStepApplies() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        MlpKernels vector = Kernels.vectorMlp();
        TwinMlpKernels twin = new TwinMlpKernels(VectorMlpKernels.lanes());
        int lanes = VectorMlpKernels.lanes();
        SplittableRandom rng = new SplittableRandom(21);
        int[][] shapes = {{1, 1, 1}, {7, lanes - 1, 3}, {63, lanes + 1, 33}, {65, 2 * lanes + 3, 5}, {130, 3 * lanes + 5, 32}, {20, 1000, 7}};
        Activation[] acts = {Activation.RELU, Activation.pow(2), Activation.pow(3)};
        for (int[] shape : shapes) {
            for (Activation act : acts) {
                for (Loss loss : Loss.values()) {
                    int n = shape[0], h = shape[1], batch = shape[2];
                    String what = "n=" + n + " h=" + h + " B=" + batch + " " + act + " " + loss;
                    Mlp2 net = new Mlp2(n, h, act).initUniform(rng);
                    BitBatch x = new BitBatch(n, batch);
                    x.fillUniform(rng);
                    float[] y = new float[batch];
                    for (int b = 0; b < batch; b++) y[b] = rng.nextBoolean() ? 1f : -1f;
                    Mlp2 before = net.copy();
                    float[] grad = new float[(int) net.parameterCount()];
                    float lossG = twin.gradient(net, x, y, loss, grad, twin.workspace(n, h, batch));
                    assertEquals(true, net.bitEquals(before), what + ": the gradient pass changed the net");

                    float lr1 = 0.05f, lr2 = 0.02f, wd = 0.01f;
                    float lossS = vector.step(net, x, y, loss, lr1, lr2, wd, vector.workspace(n, h, batch));
                    assertEquals(lossS, lossG, what + " loss");
                    float[] expectW = new float[n * h], expectB = new float[h], expectA = new float[h];
                    for (int k = 0; k < n * h; k++) expectW[k] = Math.fma(Math.fma(before.w[k], wd, grad[k]), -lr1, before.w[k]);
                    for (int j = 0; j < h; j++) {
                        expectB[j] = Math.fma(Math.fma(before.b[j], wd, grad[n * h + j]), -lr1, before.b[j]);
                        expectA[j] = Math.fma(Math.fma(before.a[j], wd, grad[n * h + h + j]), -lr2, before.a[j]);
                    }
                    assertArrayEquals(expectW, net.w, what + " W");
                    assertArrayEquals(expectB, net.b, what + " b");
                    assertArrayEquals(expectA, net.a, what + " a");
                    assertEquals(before.c - lr2 * (grad[grad.length - 1] + wd * before.c), net.c, what + " c");
                }
            }
        }
    }
}

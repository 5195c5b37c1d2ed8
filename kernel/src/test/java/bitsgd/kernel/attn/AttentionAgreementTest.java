package bitsgd.kernel.attn;

import static bitsgd.kernel.TestArrays.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.kernel.Kernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vector attention kernels against the scalar reference over awkward sizes (around the lane count), after enough
 * warm-up calls for C2 to compile the vector bodies. Every kernel runs the reference's operations in every lane (fma
 * chains, and {@link Exp#exp} for the softmax), so they must agree bit for bit.
 */
class AttentionAgreementTest {
    static AttentionKernels scalar, vector;
    static int lanes;

    @BeforeAll
    static void warmUp() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        scalar = Kernels.attention("scalar");
        vector = Kernels.attention("vector");
        lanes = VectorAttentionKernels.LANES;
        SplittableRandom rng = new SplittableRandom(7);
        // batch, seq, width, heads; the last one's width and outs reach the two-vector blocks
        int[][] shapes = {{2, lanes + 1, 16, 4}, {3, 5, 12, 3}, {1, 2 * lanes + 3, 8, 1}, {2, 3, 2 * lanes + 8, 4}};
        for (int[] s : shapes) {
            Case c = new Case(s[0], s[1], s[2], s[3], s[2] + 5, rng);
            for (int t = 0; t < 3000; t++) c.run(vector);
        }
    }

    /** Random arrays for one shape: a linear layer width → outs over batch·seq rows, and one attention layer. */
    static final class Case {
        final int batch, seq, width, heads, outs, rows;
        final float[] in, w, bias, dOut, qkv, dAtt, scratch;
        float[] out, dIn, gW, gBias, probs, att, dQkv;

        Case(int batch, int seq, int width, int heads, int outs, SplittableRandom rng) {
            this.batch = batch;
            this.seq = seq;
            this.width = width;
            this.heads = heads;
            this.outs = outs;
            rows = batch * seq;
            in = rand(rows * width, rng);
            w = rand(width * outs, rng);
            bias = rand(outs, rng);
            dOut = rand(rows * outs, rng);
            qkv = rand(rows * 3 * width, rng);
            dAtt = rand(rows * width, rng);
            scratch = new float[Math.max(scalar.scratchSize(seq, width, heads, Math.max(width, outs), Math.max(width, outs)),
                    vector.scratchSize(seq, width, heads, Math.max(width, outs), Math.max(width, outs)))];
        }

        void run(AttentionKernels k) {
            out = new float[rows * outs];
            dIn = new float[rows * width];
            gW = rand(width * outs, new SplittableRandom(3));   // accumulated into: start from the same non-zero values
            gBias = rand(outs, new SplittableRandom(4));
            probs = new float[batch * heads * seq * seq];
            att = new float[rows * width];
            dQkv = new float[rows * 3 * width];
            k.linear(in, rows, width, w, bias, outs, out);
            k.linearBackward(in, dOut, rows, width, outs, w, dIn, gW, gBias, scratch);
            k.attention(qkv, batch, seq, width, heads, probs, att, scratch);
        }
    }

    @Test
    void providersAgreeOverAwkwardSizes() {
        SplittableRandom rng = new SplittableRandom(11);
        int[] seqs = {1, 2, 3, lanes - 1, lanes, lanes + 1, 2 * lanes + 5};
        int[][] widthHeads = {{1, 1}, {8, 1}, {12, 3}, {16, 2}, {40, 5}, {lanes + 2, 2}};
        int[] batches = {1, 3, 5};
        int cases = 0;
        for (int seq : seqs) {
            for (int[] wh : widthHeads) {
                for (int batch : batches) {
                    int outs = (cases % 4 == 0) ? 1 : (cases % 4 == 1) ? lanes : (cases % 4 == 2) ? lanes + 3 : 2 * lanes + 1;
                    Case c = new Case(batch, seq, wh[0], wh[1], outs, rng);
                    String what = "batch " + batch + " seq " + seq + " width " + wh[0] + " heads " + wh[1] + " outs " + outs;
                    c.run(scalar);
                    float[] out = c.out, dIn = c.dIn, gW = c.gW, gBias = c.gBias, probs = c.probs, att = c.att;
                    c.run(vector);
                    assertArrayEquals(out, c.out, "linear " + what);
                    assertArrayEquals(dIn, c.dIn, "linearBackward dIn " + what);
                    assertArrayEquals(gW, c.gW, "linearBackward gW " + what);
                    assertArrayEquals(gBias, c.gBias, "linearBackward gBias " + what);
                    // the softmax's exp is Exp.exp on both sides: the forward is bit-identical too
                    assertArrayEquals(probs, c.probs, "probs " + what);
                    assertArrayEquals(att, c.att, "attention " + what);
                    // the backward pass from the same probabilities: the same chains, the same bits
                    float[] dS = new float[c.dQkv.length], dV = new float[c.dQkv.length];
                    scalar.attentionBackward(c.qkv, probs, c.dAtt, batch, seq, wh[0], wh[1], dS, c.scratch);
                    vector.attentionBackward(c.qkv, probs, c.dAtt, batch, seq, wh[0], wh[1], dV, c.scratch);
                    assertArrayEquals(dS, dV, "attentionBackward " + what);
                    cases++;
                }
            }
        }
        assertTrue(cases > 100);
    }

    /** reluBackward zeroes exactly where pre <= 0 (±0 included, NaN not), bit for bit like the reference, after C2 compiled it. */
    @Test
    void reluBackwardAgreesOverAwkwardCounts() {
        SplittableRandom rng = new SplittableRandom(13);
        float[] special = {0f, -0f, Float.NaN, Float.MIN_VALUE, -Float.MIN_VALUE, 1f, -1f};
        for (int count : new int[] {0, 1, lanes - 1, lanes, lanes + 1, 3 * lanes + 5, 1000}) {
            float[] pre = rand(count + 3, rng), d = rand(count + 3, rng);
            for (int q = 0; q < count; q++) if (q % 3 == 0) pre[q] = special[(q / 3) % special.length];
            float[] expected = d.clone();
            scalar.reluBackward(pre, expected, count);
            for (int q = 0; q < count; q++) assertEquals(pre[q] <= 0f ? 0f : d[q], expected[q], "reference at " + q);
            for (int t = 0; t < 3000; t++) {
                float[] got = d.clone();
                vector.reluBackward(pre, got, count);
                assertArrayEquals(expected, got, "count " + count + " call " + t);
            }
        }
    }

    /** Softmax rows sum to 1; one key attends fully; a hand-worked two-token case. */
    @Test
    void handWorkedAttention() {
        for (AttentionKernels k : providers()) {
            // seq 2, width 1, heads 1: q = (1, 0), k = (0, ln 3), v = (2, 6): query 0 weights keys by (1, 3)/4
            float ln3 = (float) Math.log(3);
            float[] qkv = {1f, 0f, 2f, 0f, ln3, 6f};
            float[] probs = new float[4], out = new float[2], scratch = new float[k.scratchSize(2, 1, 1, 1, 1)];
            k.attention(qkv, 1, 2, 1, 1, probs, out, scratch);
            // S[0,s] = q_0·k_s = (0, ln 3); S[1,s] = 0: uniform
            assertEquals(0.25f, probs[0], 1e-6f, k.name());      // P[t=0, s=0]
            assertEquals(0.75f, probs[2], 1e-6f, k.name());      // P[t=0, s=1]
            assertEquals(0.5f, probs[1], 1e-6f, k.name());       // P[t=1, s=0]
            assertEquals(0.25f * 2 + 0.75f * 6, out[0], 1e-5f, k.name());
            assertEquals(4f, out[1], 1e-5f, k.name());
        }
    }

    @Test
    void argumentChecks() {
        for (AttentionKernels k : providers()) {
            assertThrows(IllegalArgumentException.class, () -> k.attention(new float[36], 1, 2, 6, 4, new float[16], new float[12], new float[1000]));
            assertThrows(IllegalArgumentException.class, () -> k.linear(new float[3], 2, 2, new float[4], null, 2, new float[4]));
        }
    }

    static AttentionKernels[] providers() {
        return Kernels.vectorAvailable() ? new AttentionKernels[] {Kernels.attention("scalar"), Kernels.attention("vector")}
                : new AttentionKernels[] {Kernels.attention("scalar")};
    }
}

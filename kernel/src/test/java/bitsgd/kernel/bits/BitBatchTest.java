package bitsgd.kernel.bits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BitBatchTest {
    private static final int[] AWKWARD = {1, 63, 64, 65, 130, 200};

    @Test
    void setGetRoundTrip() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int n : AWKWARD) {
            BitBatch x = new BitBatch(n, 5);
            float[][] samples = new float[5][n];
            for (int b = 0; b < 5; b++) {
                for (int i = 0; i < n; i++) samples[b][i] = rng.nextBoolean() ? -1f : 1f;
                x.set(b, samples[b]);
            }
            for (int b = 0; b < 5; b++) {
                assertArrayEquals(samples[b], x.get(b), "n=" + n + " b=" + b);
                for (int i = 0; i < n; i++) assertEquals(samples[b][i] < 0, x.bit(b, i));
            }
        }
    }

    @Test
    void transpose64MatchesBitLoop() {
        SplittableRandom rng = new SplittableRandom(2);
        for (int rep = 0; rep < 20; rep++) {
            long[] a = new long[64 + 3];
            for (int k = 0; k < a.length; k++) a[k] = rng.nextLong();
            long[] expect = a.clone();
            for (int r = 0; r < 64; r++) {
                long row = 0;
                for (int c = 0; c < 64; c++) row |= (a[3 + c] >>> r & 1L) << c;
                expect[3 + r] = row;
            }
            Bits.transpose64(a, 3);
            assertArrayEquals(expect, a);
        }
    }

    @Test
    void columnsMatchBits() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int n : AWKWARD) {
            for (int batch : AWKWARD) {
                BitBatch x = new BitBatch(n, batch);
                x.fillUniform(rng);
                long[] cols = x.columns();
                int cw = x.colWords();
                assertEquals(Bits.words(batch), cw);
                for (int i = 0; i < n; i++) {
                    for (int b = 0; b < cw * 64; b++) {
                        boolean bit = (cols[i * cw + (b >>> 6)] >>> (b & 63) & 1L) != 0;
                        assertEquals(b < batch && x.bit(b, i), bit, "n=" + n + " B=" + batch + " i=" + i + " b=" + b);
                    }
                }
                // a smaller size reuses the buffer and must rebuild the view
                if (batch > 1) {
                    x.setSize(batch - 1);
                    long[] c2 = x.columns();
                    int cw2 = x.colWords();
                    for (int i = 0; i < n; i++) {
                        for (int b = 0; b < cw2 * 64; b++) {
                            boolean bit = (c2[i * cw2 + (b >>> 6)] >>> (b & 63) & 1L) != 0;
                            assertEquals(b < batch - 1 && x.bit(b, i), bit);
                        }
                    }
                }
            }
        }
    }

    @Test
    void fillUniformKeepsHighBitsZero() {
        SplittableRandom rng = new SplittableRandom(4);
        for (int n : AWKWARD) {
            BitBatch x = new BitBatch(n, 50);
            x.fillUniform(rng);
            long mask = Bits.lastWordMask(n);
            int ones = 0;
            for (int b = 0; b < 50; b++) {
                assertEquals(0L, x.rows()[b * x.words() + x.words() - 1] & ~mask, "n=" + n);
                for (int i = 0; i < n; i++) ones += x.bit(b, i) ? 1 : 0;
            }
            double frac = ones / (50.0 * n);
            assertEquals(0.5, frac, n == 1 ? 0.3 : 0.12, "fraction of -1 inputs, n=" + n);
        }
    }

    @Test
    void parityMatchesProduct() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int n : AWKWARD) {
            BitBatch x = new BitBatch(n, 40);
            x.fillUniform(rng);
            for (int rep = 0; rep < 10; rep++) {
                int k = 1 + rng.nextInt(Math.min(n, 5));
                int[] s = rng.ints(0, n).distinct().limit(k).toArray();
                long[] mask = Bits.mask(n, s);
                for (int b = 0; b < 40; b++) {
                    int prod = 1;
                    for (int i : s) prod *= (int) x.sign(b, i);
                    assertEquals(prod, Bits.parity(x.rows(), b, x.words(), mask));
                }
            }
        }
    }
}

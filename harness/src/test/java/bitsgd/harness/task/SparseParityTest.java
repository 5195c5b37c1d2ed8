package bitsgd.harness.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.UsageException;
import bitsgd.kernel.bits.BitBatch;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SparseParityTest {

    /** Labels from the popcount path equal a plain ∏_{i∈S} x_i over ±1 floats. */
    @ParameterizedTest
    @ValueSource(ints = {1, 63, 64, 65, 130})
    void labelsMatchProductOfSigns(int n) {
        var rng = new SplittableRandom(n);
        int batch = 97;
        BitBatch x = new BitBatch(n, batch);
        float[] y = new float[batch];
        int[] ks = {1, Math.min(2, n), Math.min(3, n), Math.max(1, n / 2), n};
        int checked = 0;
        for (int k : ks) {
            for (int trial = 0; trial < 20; trial++) {
                SparseParity p = SparseParity.random(n, k, rng);
                int[] s = p.secret();
                x.fillUniform(rng);
                p.labels(x, y);
                for (int b = 0; b < batch; b++) {
                    float[] v = x.get(b);
                    float prod = 1f;
                    for (int i : s) prod *= v[i];
                    assertEquals(prod, y[b], "n=" + n + " S=" + java.util.Arrays.toString(s) + " sample " + b);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 5 * 20 * batch);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 64, 130})
    void randomSecretIsASortedKSubset(int n) {
        var rng = new SplittableRandom(7);
        for (int k = 1; k <= Math.min(n, 6); k++) {
            int[] s = SparseParity.random(n, k, rng).secret();
            assertEquals(k, s.length);
            for (int j = 0; j < k; j++) {
                assertTrue(s[j] >= 0 && s[j] < n);
                if (j > 0) assertTrue(s[j] > s[j - 1], "sorted and distinct");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void everyIndexCanBeDrawn() {
        var rng = new SplittableRandom(3);
        int n = 10;
        int[] hits = new int[n];
        for (int t = 0; t < 2000; t++) for (int i : SparseParity.random(n, 3, rng).secret()) hits[i]++;
        for (int i = 0; i < n; i++) assertTrue(hits[i] > 450 && hits[i] < 750, "index " + i + " drawn " + hits[i] + " times of ~600");
    }

    @org.junit.jupiter.api.Test
    void fixedSecretIsValidated() {
        assertArrayEquals(new int[] {0, 1, 2}, SparseParity.of(5, 2, 0, 1).secret());
        assertThrows(UsageException.class, () -> SparseParity.of(5, 0, 5));
        assertThrows(UsageException.class, () -> SparseParity.of(5, 1, 1));
        assertThrows(UsageException.class, () -> SparseParity.random(5, 6, new SplittableRandom(0)));
    }
}

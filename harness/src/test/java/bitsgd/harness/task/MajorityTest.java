package bitsgd.harness.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.UsageException;
import bitsgd.kernel.bits.BitBatch;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MajorityTest {

    @ParameterizedTest(name = "Maj{0} = {1}")
    @CsvSource(delimiter = ';', value = {
        "+1 +1 +1;  1",
        "+1 +1 -1;  1",
        "-1 +1 -1; -1",
        "-1 -1 -1; -1",
        "+1 -1 -1 +1 +1;  1",
        "-1 -1 -1 +1 +1; -1",
        "-1;       -1",
    })
    void byHand(String signs, int expected) {
        float[] x = TargetsTest.parseSigns(signs);
        Majority maj = Majority.of(x.length);
        assertEquals(expected, maj.value(x, 0));
        BitBatch batch = new BitBatch(x.length, 1);
        batch.set(0, x);
        float[] y = new float[1];
        maj.labels(batch, y);
        assertEquals(expected, y[0]);
    }

    /** Popcount labels equal sign(Σ x_i), across word boundaries. */
    @ParameterizedTest
    @ValueSource(ints = {1, 63, 65, 129, 131})
    void packedMatchesSum(int n) {
        var rng = new SplittableRandom(n);
        Majority maj = Majority.of(n);
        BitBatch x = new BitBatch(n, 300);
        float[] y = new float[300];
        int plus = 0;
        for (int trial = 0; trial < 5; trial++) {
            x.fillUniform(rng);
            maj.labels(x, y);
            for (int b = 0; b < 300; b++) {
                float[] v = x.get(b);
                float sum = 0;
                for (float xi : v) sum += xi;
                assertEquals(Math.signum(sum), y[b], "sample " + b);
                assertEquals(y[b], maj.value(v, 0));
                if (y[b] > 0) plus++;
            }
        }
        assertTrue(plus > 600 && plus < 900, "balanced labels: " + plus + " of 1500");
    }

    @Test
    void evenNIsRejected() {
        UsageException e = assertThrows(UsageException.class, () -> Majority.of(30));
        assertEquals("majority needs an odd n >= 1 (no ties), got n=30", e.getMessage());
        assertTrue(Majority.of(5).binary());
        assertEquals("majority n=5", Majority.of(5).describe());
    }
}

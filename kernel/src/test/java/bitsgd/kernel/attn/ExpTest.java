package bitsgd.kernel.attn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The softmax's exp against Math.exp in double: relative error, the clamps, and the exact points. */
class ExpTest {

    @Test
    void relativeErrorWithin2e7OverTheRange() {
        SplittableRandom rng = new SplittableRandom(5);
        double worst = 0;
        for (int t = 0; t < 2_000_000; t++) {
            float x = (float) rng.nextDouble(-87, 88);
            double want = Math.exp(x);
            worst = Math.max(worst, Math.abs(Exp.exp(x) - want) / want);
        }
        for (float x = -1f; x <= 1f; x = Math.nextUp(x) + 1e-6f) {   // dense around 0, where softmax inputs sit
            double want = Math.exp(x);
            worst = Math.max(worst, Math.abs(Exp.exp(x) - want) / want);
        }
        assertTrue(worst <= 2e-7, "worst relative error " + worst);
    }

    @Test
    void exactAndClampedPoints() {
        assertEquals(1f, Exp.exp(0f));
        assertEquals(1f, Exp.exp(-0f));
        assertEquals(Exp.exp(-87f), Exp.exp(-1000f), "clamped below");
        assertEquals(Exp.exp(-87f), Exp.exp(Float.NEGATIVE_INFINITY), "a masked score still gives a tiny positive weight");
        assertTrue(Exp.exp(-87f) > 0f && Exp.exp(-87f) < 2e-38f);
        assertEquals(Exp.exp(88f), Exp.exp(1000f), "clamped above");
        assertTrue(Float.isFinite(Exp.exp(88f)));
        assertTrue(Float.isNaN(Exp.exp(Float.NaN)));
    }
}

package bitsgd.harness.sweep;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import bitsgd.harness.UsageException;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated sweep specs: the parser either accepts one (and then enumerates its runs) or
 * rejects it with a one-line {@link UsageException}; never another exception, never a hang.
 */
class SweepSpecFuzzTest {
    private static final String[] FRAGMENTS = {"{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "0", "1e9",
            "1e400", "NaN", "\"n\"", "\"k\"", "\"grid\"", "\"fixed\"", "\"seeds\"", "\"budget\"", "\"lr\"", "[]", "{}",
            "\"\\u0000\"", "99999999999999999999", "2.5", "\"x\"", " ", "\n"};

    @Test
    void mutatedAndRandomSpecsFailCleanly() {
        SplittableRandom rng = new SplittableRandom(2026);
        String base = SweepTest.TINY;
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            int accepted = 0, rejected = 0;
            for (int c = 0; c < 3000; c++) {
                String spec = c % 3 == 0 ? random(rng) : mutate(base, rng, 1 + rng.nextInt(4));
                try {
                    SweepSpec s = SweepSpec.parse(spec, "fuzz");
                    assertTrue(s.runCount() >= 1, spec);
                    accepted++;
                } catch (UsageException e) {
                    assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "empty message for " + spec);
                    assertFalse(e.getMessage().contains("\n"), "multi-line message for " + spec + ": " + e.getMessage());
                    rejected++;
                } catch (RuntimeException | StackOverflowError e) {
                    fail("spec " + spec.replace("\n", " ") + " threw " + e, e);
                }
            }
            assertTrue(accepted > 0 && rejected > 0, accepted + " accepted, " + rejected + " rejected");
        });
    }

    private static String mutate(String s, SplittableRandom rng, int edits) {
        StringBuilder b = new StringBuilder(s);
        for (int e = 0; e < edits && b.length() > 0; e++) {
            int at = rng.nextInt(b.length());
            switch (rng.nextInt(4)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, FRAGMENTS[rng.nextInt(FRAGMENTS.length)]);
                case 2 -> b.setCharAt(at, (char) (32 + rng.nextInt(95)));
                default -> { // swap a number for another
                    int d = b.indexOf("1", at);
                    if (d >= 0) b.replace(d, d + 1, FRAGMENTS[5 + rng.nextInt(5)]);
                }
            }
        }
        return b.toString();
    }

    private static String random(SplittableRandom rng) {
        StringBuilder b = new StringBuilder();
        int len = rng.nextInt(30);
        for (int i = 0; i < len; i++) b.append(FRAGMENTS[rng.nextInt(FRAGMENTS.length)]);
        return b.toString();
    }
}

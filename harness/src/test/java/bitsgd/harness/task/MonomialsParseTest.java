package bitsgd.harness.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.UsageException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MonomialsParseTest {

    @Test
    void issueExample() {
        Monomials h = Monomials.parse("x1 + x1*x2*x3 + 0.5*x4*x5", 30);
        assertSupports(h, new int[] {0}, new int[] {0, 1, 2}, new int[] {3, 4});
        assertArrayEquals(new double[] {1, 1, 0.5}, h.coefficients());
    }

    @Test
    void signsAndConstants() {
        Monomials h = Monomials.parse("-x3 + 1 - 2.5", 3);
        assertSupports(h, new int[] {2}, new int[] {});
        assertArrayEquals(new double[] {-1, -1.5}, h.coefficients());
        assertArrayEquals(new double[] {2}, Monomials.parse("+2*x1", 3).coefficients());
    }

    /** Several spellings of 0.2·x1x3 − x2. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "0.2*x1*x3 - x2",
        "0.2*x3*x1-x2",
        "  0.2 * x1 * x3   -   x2  ",
        "0.2x1x3 - x2",
        ".2*x1x3 - 1*x2",
        "2e-1*x1*x3 - x2",
        "20E-2 * x1x3 - x2",
        "0.1*2*x1*x3 - x2",
        "x1*0.2*x3 - x2",
        "\\t0.2*x1*x3\\n- x2",
    })
    void spellingsOfOnePolynomial(String spec) {
        Monomials h = Monomials.parse(spec.replace("\\t", "\t").replace("\\n", "\n"), 3);
        assertSupports(h, new int[] {0, 2}, new int[] {1});
        assertEquals(0.2, h.coefficients()[0], 1e-15);
        assertEquals(-1, h.coefficients()[1]);
    }

    @Test
    void greedyIndexDigits() {
        assertSupports(Monomials.parse("x12", 12), new int[] {11});
        assertSupports(Monomials.parse("x1x2", 12), new int[] {0, 1});
    }

    /** Every malformed class: one line that names the offending token and its position. */
    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = ';', value = {
        "'';                is empty",
        "'   ';             is empty",
        "x1 +;              ends early: expected a term (x<i> or a number) at position 5",
        "-;                 ends early",
        "x1*;               ends early: expected a term (x<i> or a number) at position 4",
        "x1 ++ x2;          has '+' at position 5",
        "x1 + -x2;          has '-' at position 6",
        "*x1;               has '*' at position 1",
        "x0;                has x0 at position 1: variables are 1-based, x1..x30",
        "x1 + x31;          has x31 at position 6 outside x1..x30 (n=30)",
        "x99999999999999;   has x99999999999999 at position 1 outside x1..x30",
        "x1*x2*x1;          repeats x1 at position 7 in one monomial",
        "x2x2;              repeats x2 at position 3",
        "y1;                has 'y' at position 1",
        "X1;                has 'X' at position 1",
        "x;                 has 'x' at position 1 without an index",
        "x1 x2;             has 'x' at position 4: expected '+', '-' or '*'",
        "2 x1;              has 'x' at position 3",
        "1.2.3*x1;          has '.' at position 4",
        "1e*x1;             has malformed number 1e at position 1: exponent needs digits",
        ".*x1;              has '.' at position 1 without digits",
        "1e400*x1;          has number 1e400 at position 1 that is not finite",
        "x1 + (x2);         has '(' at position 6",
        "x1^2;              has '^' at position 3",
        "x1,x2;             has ',' at position 3",
        "x१;                has 'x' at position 1 without an index",
    })
    void malformedSpecs(String spec, String fragment) {
        UsageException e = assertThrows(UsageException.class, () -> Monomials.parse(spec, 30));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(e.getMessage().contains("\"" + spec + "\""), "quotes the spec: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void controlCharactersStayOffTheMessageLine() {
        UsageException e = assertThrows(UsageException.class, () -> Monomials.parse("x1\u0007", 3));
        assertTrue(e.getMessage().contains("has '?' at position 3"), e.getMessage());
        assertFalse(e.getMessage().chars().anyMatch(Character::isISOControl));
        assertThrows(UsageException.class, () -> Monomials.parse(null, 3));
    }

    private static void assertSupports(Monomials h, int[]... expected) {
        List<int[]> got = h.monomials();
        assertEquals(expected.length, got.size(), h.describe());
        for (int m = 0; m < expected.length; m++) assertArrayEquals(expected[m], got.get(m), h.describe());
    }
}

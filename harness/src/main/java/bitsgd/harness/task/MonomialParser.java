package bitsgd.harness.task;

import bitsgd.harness.UsageException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a polynomial such as {@code x1 + x1*x2*x3 - 0.5*x4x5 + 1e-2*x6 + 1} over 1-based variables x1..xn.
 *
 * <pre>
 *   spec   := [+|-] term { (+|-) term }           whitespace allowed between tokens
 *   term   := factor { [*] factor }               '*' may be left out before an 'x': x1x2, 2x1
 *   factor := number | x&lt;index&gt;                   number: 12, 0.5, .5, 3e-2; index: 1..n
 * </pre>
 *
 * A term's numbers multiply into its coefficient; a term of numbers only is a constant. A variable
 * repeated inside one term (x1*x1) is rejected rather than reduced by x_i² = 1, since it is more likely a
 * typo than a wish. Every error is one line naming the token and its 1-based position.
 */
final class MonomialParser {

    /** Parsed terms, in spec order, not yet merged. */
    record Terms(List<int[]> supports, double[] coefficients) {}

    private final String spec;
    private final int n;
    private int pos;

    MonomialParser(String spec, int n) {
        this.spec = spec == null ? "" : spec;
        this.n = n;
    }

    Terms parse() {
        List<int[]> supports = new ArrayList<>();
        List<Double> coefficients = new ArrayList<>();
        skipSpace();
        if (atEnd()) throw error("is empty: expected e.g. x1 + x1*x2");
        double sign = readSign() ? -1 : 1;
        while (true) {
            skipSpace();
            List<Integer> vars = new ArrayList<>();
            coefficients.add(sign * readTerm(vars));
            supports.add(vars.stream().mapToInt(Integer::intValue).toArray());
            skipSpace();
            if (atEnd()) break;
            char c = spec.charAt(pos);
            if (c != '+' && c != '-') throw error("has " + token() + " at position " + (pos + 1) + ": expected '+', '-' or '*'");
            sign = c == '-' ? -1 : 1;
            pos++;
        }
        return new Terms(supports, coefficients.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** A leading sign: true for '-'. */
    private boolean readSign() {
        char c = spec.charAt(pos);
        if (c == '+' || c == '-') {
            pos++;
            return c == '-';
        }
        return false;
    }

    /** Factors joined by '*' (or juxtaposed before an 'x'); variables go into {@code vars} (0-based). */
    private double readTerm(List<Integer> vars) {
        double coefficient = readFactor(1.0, vars);
        while (true) {
            int save = pos;
            skipSpace();
            if (!atEnd() && spec.charAt(pos) == '*') {
                pos++;
                skipSpace();
            } else if (pos == save && !atEnd() && spec.charAt(pos) == 'x') {
                // implicit product: x1x2, 2x1
            } else {
                pos = save;
                return coefficient;
            }
            coefficient = readFactor(coefficient, vars);
        }
    }

    private double readFactor(double coefficient, List<Integer> vars) {
        if (atEnd()) throw error("ends early: expected a term (x<i> or a number) at position " + (pos + 1));
        char c = spec.charAt(pos);
        if (c == 'x') {
            readVariable(vars);
            return coefficient;
        }
        if (isDigit(c) || c == '.') return coefficient * readNumber();
        throw error("has " + token() + " at position " + (pos + 1) + ": expected a term (x<i> or a number)");
    }

    private void readVariable(List<Integer> vars) {
        int start = pos++;
        int digits = pos;
        while (!atEnd() && isDigit(spec.charAt(pos))) pos++;
        String name = spec.substring(start, pos);
        if (pos == digits) throw error("has 'x' at position " + (start + 1) + " without an index: variables are x1..x" + n);
        long index = digitsValue(spec.substring(digits, pos));
        if (index == 0) throw error("has " + name + " at position " + (start + 1) + ": variables are 1-based, x1..x" + n);
        if (index > n) throw error("has " + name + " at position " + (start + 1) + " outside x1..x" + n + " (n=" + n + ")");
        int i = (int) index - 1;
        if (vars.contains(i)) {
            throw error("repeats x" + index + " at position " + (start + 1) + " in one monomial (x_i² = 1 is not reduced: write it once)");
        }
        vars.add(i);
    }

    /** The decimal value, saturated at Long.MAX_VALUE (anything that large is out of range anyway). */
    private static long digitsValue(String digits) {
        long v = 0;
        for (int k = 0; k < digits.length(); k++) {
            v = v * 10 + (digits.charAt(k) - '0');
            if (v > Integer.MAX_VALUE) return Long.MAX_VALUE;
        }
        return v;
    }

    private double readNumber() {
        int start = pos;
        int mantissaDigits = skipDigits();
        if (!atEnd() && spec.charAt(pos) == '.') {
            pos++;
            mantissaDigits += skipDigits();
        }
        if (mantissaDigits == 0) throw error("has '.' at position " + (start + 1) + " without digits");
        if (!atEnd() && (spec.charAt(pos) == 'e' || spec.charAt(pos) == 'E')) {
            pos++;
            if (!atEnd() && (spec.charAt(pos) == '+' || spec.charAt(pos) == '-')) pos++;
            if (skipDigits() == 0) {
                throw error("has malformed number " + spec.substring(start, pos) + " at position " + (start + 1) + ": exponent needs digits");
            }
        }
        String text = spec.substring(start, pos);
        double v = Double.parseDouble(text);
        if (!Double.isFinite(v)) throw error("has number " + text + " at position " + (start + 1) + " that is not finite");
        return v;
    }

    private int skipDigits() {
        int start = pos;
        while (!atEnd() && isDigit(spec.charAt(pos))) pos++;
        return pos - start;
    }

    /** ASCII only: other Unicode digits would slip past Double.parseDouble's expectations. */
    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void skipSpace() {
        while (!atEnd() && Character.isWhitespace(spec.charAt(pos))) pos++;
    }

    private boolean atEnd() {
        return pos >= spec.length();
    }

    /** The character at pos, quoted, or "the end". */
    private String token() {
        return atEnd() ? "the end" : "'" + printable(spec.substring(pos, pos + 1)) + "'";
    }

    private UsageException error(String what) {
        return new UsageException("monomial spec \"" + printable(spec) + "\" " + what);
    }

    /** Keeps the message on one line whatever the user typed. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) sb.append(Character.isISOControl(c) ? '?' : c);
        return sb.toString();
    }
}

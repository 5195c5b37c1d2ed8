package bitsgd.harness.io;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Number formats for the lines every run prints, without {@link java.util.Formatter}: its first use loads the locale
 * data (CLDR resource bundles, regexes, method handles), ~30 ms of a cold run that takes a few hundred. Locale-free,
 * like {@code String.format(Locale.ROOT, ...)}.
 */
public final class Fmt {
    private Fmt() {}

    /** {@code %.Nf}: {@code digits} decimals, the shortest decimal form of v rounded half-up, as printf does. */
    public static String fixed(double v, int digits) {
        if (!Double.isFinite(v)) return nonFinite(v);
        return sign(v) + BigDecimal.valueOf(Math.abs(v)).setScale(digits, RoundingMode.HALF_UP).toPlainString();
    }

    /** {@code %.Ng}: {@code digits} significant digits, plain for 1e-4 ≤ |v| < 10^digits, else scientific. */
    public static String sig(double v, int digits) {
        if (!Double.isFinite(v)) return nonFinite(v);
        if (v == 0) return fixed(v, digits - 1);
        if (v < 0) return "-" + sig(-v, digits);
        BigDecimal d = BigDecimal.valueOf(v).round(new MathContext(digits, RoundingMode.HALF_UP));
        double a = Math.abs(d.doubleValue());
        if (a >= 1e-4 && a < Math.pow(10, digits)) {
            int exponent = d.precision() - d.scale() - 1;   // position of the leading digit
            return d.setScale(Math.max(0, digits - 1 - exponent), RoundingMode.HALF_UP).toPlainString();
        }
        String mantissa = d.unscaledValue().abs().toString();
        int exponent = d.precision() - d.scale() - 1;
        StringBuilder sb = new StringBuilder();
        sb.append(mantissa.charAt(0));
        if (digits > 1) sb.append('.').append(mantissa, 1, Math.min(digits, mantissa.length()));
        for (int i = Math.max(1, mantissa.length()); i < digits; i++) sb.append('0');
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        if (e < 10) sb.append('0');
        return sb.append(e).toString();
    }

    /** Rounded to an integer, no grouping: {@code %.0f}. */
    public static String whole(double v) {
        return fixed(v, 0);
    }

    /** printf keeps the sign of negative values that round to zero, and of −0. */
    private static String sign(double v) {
        return Double.doubleToRawLongBits(v) < 0 ? "-" : "";
    }

    private static String nonFinite(double v) {
        return Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
    }
}

package bitsgd.harness.io;

/**
 * Number formats for the lines every run prints, as {@code String.format(Locale.ROOT, ...)} prints them, without
 * {@link java.util.Formatter} or BigDecimal: the first Formatter call of a process loads the locale data (CLDR bundles,
 * regexes, method handles) and BigDecimal starts up BigInteger's fork-join machinery, ~30 ms each of a cold run that
 * takes a few hundred. Like Formatter, it rounds the shortest decimal form of the double ({@link Double#toString})
 * half-up.
 */
public final class Fmt {
    private Fmt() {}

    /** {@code %.Nf}. */
    public static String fixed(double v, int digits) {
        if (!Double.isFinite(v)) return nonFinite(v);
        Decimal d = Decimal.of(Math.abs(v));
        d.roundAt(d.point + digits);
        StringBuilder sb = new StringBuilder(sign(v));
        if (d.point <= 0) sb.append('0');
        for (int i = 0; i < d.point; i++) sb.append(d.digit(i));
        if (digits > 0) {
            sb.append('.');
            for (int i = d.point; i < d.point + digits; i++) sb.append(d.digit(i));
        }
        return sb.toString();
    }

    /** {@code %.Ng}: N significant digits, plain when 1e-4 ≤ |rounded v| < 10^N, else scientific. */
    public static String sig(double v, int digits) {
        if (!Double.isFinite(v)) return nonFinite(v);
        if (v == 0) return fixed(v, digits - 1);
        Decimal d = Decimal.of(Math.abs(v));
        d.roundAt(digits);
        int exponent = d.point - 1;   // of the leading digit
        if (exponent >= -4 && exponent < digits) return fixed(v, digits - 1 - exponent);
        StringBuilder sb = new StringBuilder(sign(v)).append(d.digit(0));
        if (digits > 1) {
            sb.append('.');
            for (int i = 1; i < digits; i++) sb.append(d.digit(i));
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        if (e < 10) sb.append('0');
        return sb.append(e).toString();
    }

    /** {@code %.0f}. */
    public static String whole(double v) {
        return fixed(v, 0);
    }

    /** A rate: whole from 100 up, 3 significant digits below (a slow run's 0.37 steps/s is not "0 steps/s"). */
    public static String rate(double v) {
        return Math.abs(v) >= 100 || !Double.isFinite(v) ? whole(v) : sig(v, 3);
    }

    /** A time span for a progress line: 7s, 3m05s, 1h02m; ? when unknown (infinite or NaN). */
    public static String duration(double seconds) {
        if (!Double.isFinite(seconds)) return "?";
        long t = Math.round(seconds);
        return t >= 3600 ? t / 3600 + "h" + twoDigits(t / 60 % 60) + "m" : t >= 60 ? t / 60 + "m" + twoDigits(t % 60) + "s" : t + "s";
    }

    private static String twoDigits(long v) {
        return v < 10 ? "0" + v : String.valueOf(v);
    }

    /** printf keeps the sign of negative values that round to zero, and of −0. */
    private static String sign(double v) {
        return Double.doubleToRawLongBits(v) < 0 ? "-" : "";
    }

    private static String nonFinite(double v) {
        return Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
    }

    /** A non-negative decimal 0.d₀d₁d₂… × 10^point: digits past the end are zeros. */
    private static final class Decimal {
        char[] digits;
        int point;

        static Decimal of(double v) {
            String s = Double.toString(v);   // shortest form: "123.45", "1.0E-5", "1.2345E8"
            int e = s.indexOf('E');
            String mantissa = e < 0 ? s : s.substring(0, e);
            int exponent = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
            int dot = mantissa.indexOf('.');
            String all = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
            int lead = 0;
            while (lead < all.length() - 1 && all.charAt(lead) == '0') lead++;   // "0.0012" → digits "12"
            Decimal d = new Decimal();
            d.digits = all.substring(lead).toCharArray();
            d.point = dot + exponent - lead;
            return d;
        }

        char digit(int i) {
            return i >= 0 && i < digits.length ? digits[i] : '0';
        }

        /** Keeps the digits before index {@code keep}, rounding half-up on the first dropped one. */
        void roundAt(int keep) {
            if (keep >= digits.length) return;
            boolean up = keep >= 0 && digit(keep) >= '5';
            if (keep < 0) {
                digits = new char[] {'0'};
                point = 1;
                return;
            }
            char[] kept = java.util.Arrays.copyOf(digits, keep);
            int i = keep - 1;
            while (up && i >= 0) {
                if (kept[i] == '9') {
                    kept[i--] = '0';
                } else {
                    kept[i]++;
                    up = false;
                }
            }
            if (up) {   // 9.99 → 10.0: one more leading digit
                char[] grown = new char[kept.length + 1];
                grown[0] = '1';
                System.arraycopy(kept, 0, grown, 1, kept.length);
                kept = grown;
                point++;
            }
            digits = kept.length == 0 ? new char[] {'0'} : kept;
            if (kept.length == 0) point = 1;
        }
    }
}

package bitsgd.harness.train;

import bitsgd.harness.UsageException;
import java.util.Arrays;

/**
 * A step-wise learning-rate schedule: the rate of step t (0-based) is η · factor(t), constant within each period
 * of P steps (docs/protocols.md §B: the staircase paper halves η every 15k steps, η/64 at the end of 100k).
 *
 * <pre>
 *   none               factor 1
 *   halve:P            factor 2^−⌊t/P⌋
 *   steps:P:f0,f1,…    factor f_⌊t/P⌋, the last one repeating
 * </pre>
 */
public final class LrSchedule {
    public static final LrSchedule NONE = new LrSchedule(Long.MAX_VALUE, new double[] {1.0}, false);

    private final long period;
    private final double[] factors;
    private final boolean halving;

    private LrSchedule(long period, double[] factors, boolean halving) {
        this.period = period;
        this.factors = factors;
        this.halving = halving;
    }

    /** Parses {@code --schedule}; a malformed value is a one-line usage error. */
    public static LrSchedule parse(String spec) {
        String s = spec == null ? "none" : spec.trim();
        if (s.isEmpty() || s.equals("none")) return NONE;
        String[] parts = s.split(":", -1);
        try {
            if (parts[0].equals("halve") && parts.length == 2) return new LrSchedule(period(parts[1]), new double[] {1.0}, true);
            if (parts[0].equals("steps") && parts.length == 3) {
                double[] f = Arrays.stream(parts[2].split(",", -1)).mapToDouble(v -> Double.parseDouble(v.trim())).toArray();
                for (double v : f) {
                    if (!(v > 0) || !Double.isFinite(v)) throw new UsageException("--schedule factor " + v + " must be finite and > 0");
                }
                return new LrSchedule(period(parts[1]), f, false);
            }
        } catch (NumberFormatException e) {
            throw new UsageException("--schedule '" + s + "': " + e.getMessage());
        }
        throw new UsageException("--schedule must be none, halve:P or steps:P:f0,f1,..., got '" + s + "'");
    }

    private static long period(String p) {
        long v = Long.parseLong(p.trim());
        if (v < 1) throw new UsageException("--schedule period must be >= 1, got " + v);
        return v;
    }

    /** The factor of step t (0-based: the first step is t = 0). */
    public double factor(long t) {
        long i = t / period;
        if (halving) return Math.scalb(1.0, (int) -Math.min(i, 1000));
        return factors[(int) Math.min(i, factors.length - 1)];
    }

    /** Steps until the factor may change next, counted from step t. */
    public long nextChange(long t) {
        return period == Long.MAX_VALUE ? Long.MAX_VALUE : (t / period + 1) * period;
    }
}

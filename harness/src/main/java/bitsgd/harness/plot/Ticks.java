package bitsgd.harness.plot;

import bitsgd.harness.io.Fmt;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * An axis's limits and ticks, as a matplotlib user expects them: the limits 5% beyond the data; a linear axis labelled
 * at a round step (1, 2, 2.5 or 5 × 10^e); a log axis at the given data values when there are few, else at 1, 2 and 5
 * per decade (1 to 9 on an axis shorter than a decade), else at decades, with unlabelled minor ticks at 2..9 × 10^e.
 * The densest choice whose labels do not overlap wins, and all labels of an axis are in one style: plain (0.5, 20,
 * 10000) unless a value needs an exponent, then every one in 1e4 style (see {@link #labels}).
 */
final class Ticks {
    private Ticks() {}

    /** Room between neighbouring labels, in pixels. */
    static final double GAP = 8;

    /** An axis: its limits, the labelled tick values with their labels, and the unlabelled minor ticks. */
    record Axis(double min, double max, boolean log, List<Double> values, List<String> labels, List<Double> minor) {
        /** Where {@code v} lies along the axis: 0 at min, 1 at max. */
        double fraction(double v) {
            return log ? Math.log10(v / min) / Math.log10(max / min) : (v - min) / (max - min);
        }
    }

    /**
     * The axis over data from {@code lo} to {@code hi} (positive on a log axis), {@code length} pixels long; {@code extent}
     * is the room a label takes along the axis (its width on an x axis, its height on a y axis); {@code dataValues}, when
     * not empty, are the values to label on a log axis if they are few (a grid axis such as n).
     */
    static Axis of(double lo, double hi, boolean log, List<Double> dataValues, double length, ToDoubleFunction<String> extent) {
        double[] lim = limits(lo, hi, log);
        double min = lim[0], max = lim[1];
        List<List<Double>> candidates = log ? logCandidates(min, max, dataValues) : new ArrayList<>();
        candidates.addAll(linearCandidates(min, max));
        int most = (int) Math.max(3, Math.min(12, length / 45));
        List<Double> chosen = null;
        for (List<Double> c : candidates) {
            if (c.size() < 2 || c.size() > most) continue;
            if (fits(min, max, log, c, labels(c, log), length, extent)) {
                chosen = c;
                break;
            }
        }
        if (chosen == null) chosen = sparsest(candidates);
        return new Axis(min, max, log, chosen, labels(chosen, log), log ? minor(min, max, chosen) : List.of());
    }

    /** The data range widened by 5% on each side (in log space on a log axis); a single value gets room around it. */
    static double[] limits(double lo, double hi, boolean log) {
        if (log) {
            double a = Math.log10(lo), b = Math.log10(hi);
            if (b - a < 1e-9) {
                a -= 0.2;
                b += 0.2;
            }
            double pad = 0.05 * (b - a);
            return new double[] {Math.pow(10, a - pad), Math.pow(10, b + pad)};
        }
        if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
            double d = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= d;
            hi += d;
        }
        double pad = 0.05 * (hi - lo);
        return new double[] {lo - pad, hi + pad};
    }

    /** In order of preference: the data values, 1-2-5 per decade, 1..9, every decade, every 2nd, 3rd, … decade. */
    private static List<List<Double>> logCandidates(double min, double max, List<Double> dataValues) {
        List<List<Double>> out = new ArrayList<>();
        TreeSet<Double> data = new TreeSet<>();
        for (double v : dataValues) if (v >= min && v <= max) data.add(v);
        if (data.size() >= 2 && data.size() <= 10) out.add(List.copyOf(data));
        List<Double> oneTwoFive = mantissas(min, max, new int[] {1, 2, 5});
        if (oneTwoFive.size() >= 3) out.add(oneTwoFive);   // 1..9 only when 1-2-5 would label two values or fewer
        out.add(mantissas(min, max, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9}));
        out.add(oneTwoFive);
        int lo = (int) Math.ceil(Math.log10(min) - 1e-9), hi = (int) Math.floor(Math.log10(max) + 1e-9);
        for (int every = 1; every <= Math.max(1, hi - lo); every++) {
            List<Double> decades = new ArrayList<>();
            for (int e = Math.floorDiv(lo + every - 1, every) * every; e <= hi; e += every) decades.add(pow10(e));
            out.add(decades);
        }
        return out;
    }

    private static List<Double> mantissas(double min, double max, int[] js) {
        List<Double> out = new ArrayList<>();
        for (int e = (int) Math.floor(Math.log10(min)); e <= (int) Math.ceil(Math.log10(max)); e++) {
            for (int j : js) {
                double v = j * pow10(e);
                if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) out.add(v);
            }
        }
        return out;
    }

    /** 10^e exactly where a double can hold it (Math.pow(10, -3) is not the double nearest 0.001). */
    private static double pow10(int e) {
        return e >= 0 ? Double.parseDouble("1e" + e) : 1 / Double.parseDouble("1e" + -e);
    }

    /** Multiples of 1, 2, 2.5 and 5 × 10^e, from a step that gives about 50 ticks up to one that gives one. */
    private static List<List<Double>> linearCandidates(double min, double max) {
        List<List<Double>> out = new ArrayList<>();
        int top = (int) Math.floor(Math.log10(max - min));
        for (int e = top - 2; e <= top + 1; e++) {
            for (double m : new double[] {1, 2, 2.5, 5}) {
                double step = m * pow10(e);
                List<Double> ticks = new ArrayList<>();
                for (long q = (long) Math.ceil(min / step - 1e-9); q <= (long) Math.floor(max / step + 1e-9); q++) ticks.add(q * step);
                out.add(ticks);
            }
        }
        return out;
    }

    /** The candidate with the fewest ticks but one at least (the axis is too short for any to fit). */
    private static List<Double> sparsest(List<List<Double>> candidates) {
        List<Double> best = List.of();
        for (List<Double> c : candidates) if (!c.isEmpty() && (best.isEmpty() || c.size() < best.size())) best = c;
        return best;
    }

    /** True when no two neighbouring labels come closer than {@link #GAP}. */
    static boolean fits(double min, double max, boolean log, List<Double> values, List<String> labels, double length,
                        ToDoubleFunction<String> extent) {
        Axis axis = new Axis(min, max, log, values, labels, List.of());
        for (int i = 1; i < values.size(); i++) {
            double apart = (axis.fraction(values.get(i)) - axis.fraction(values.get(i - 1))) * length;
            if (apart < (extent.applyAsDouble(labels.get(i)) + extent.applyAsDouble(labels.get(i - 1))) / 2 + GAP) return false;
        }
        return true;
    }

    /** 2..9 × 10^e inside the limits that are not labelled (none on an axis of more than 8 decades). */
    private static List<Double> minor(double min, double max, List<Double> major) {
        if (Math.log10(max / min) > 8) return List.of();
        List<Double> out = new ArrayList<>();
        for (double v : mantissas(min, max, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9})) {
            boolean labelled = false;
            for (double m : major) labelled |= Math.abs(m / v - 1) < 1e-9;
            if (!labelled) out.add(v);
        }
        return out;
    }

    /**
     * One style for all: plain while every nonzero value lies in [10^−4, 10^7), else mantissa and exponent (1e-5, 2.5e6),
     * at most 4 significant digits. On a linear axis every plain label has the decimals of the finest (0.0, 0.5, 1.0);
     * on a log axis each has its own (0.01, 0.1, 1, 10).
     */
    static List<String> labels(List<Double> values, boolean log) {
        boolean plain = true;
        for (double v : values) plain &= v == 0 || Math.abs(v) >= 1e-4 && Math.abs(v) < 1e7;
        List<String> out = new ArrayList<>();
        if (plain) {
            int decimals = 0;
            for (double v : values) decimals = Math.max(decimals, Math.max(0, significant(v).scale()));
            for (double v : values) out.add(Fmt.fixed(v, log ? Math.max(0, significant(v).scale()) : decimals));
        } else {
            for (double v : values) {
                BigDecimal d = significant(v);
                int exponent = d.precision() - d.scale() - 1;
                out.add(d.movePointLeft(exponent).stripTrailingZeros().toPlainString() + "e" + exponent);
            }
        }
        return out;
    }

    /** v to 4 significant digits without trailing zeros (0.2 rather than 0.2000000000000000111). */
    private static BigDecimal significant(double v) {
        if (v == 0) return BigDecimal.ZERO;
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros();
    }
}

package bitsgd.harness.experiment;

import bitsgd.harness.UsageException;
import bitsgd.harness.experiment.Measure.Scale;
import bitsgd.harness.io.Json;
import bitsgd.harness.sweep.Summary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An experiment's numbers from the project's own runs, kept in the repo ({@code references/<variant>.json} beside this
 * class) with the command that made them, and the comparison of a new run with them ({@code reproduce --check}).
 *
 * <p>The band around a reference median M (LOG scale: steps, samples, MSE) follows from the reference seeds' spread:
 * σ = ln(q3/q1)/1.349 is the spread of one seed's log value (IQR of a normal = 1.349 σ), the median of m seeds has a
 * standard error of 1.2533·σ/√m, so the difference of the reference median (m_ref seeds) and a new median (m seeds) has
 * SE = 1.2533·σ·√(1/m_ref + 1/m). A new median passes inside [M·exp(−3·SE) − g, M·exp(3·SE) + g], g being the
 * resolution the values were measured at (t_c checked every 10 steps may land one check early or late). When over a
 * quarter of the reference seeds never solved (q3 = ∞), the band has no upper end: the solved share bounds it. A FRACTION
 * (share of seeds that solved) passes inside p ± max(3·√(p̄(1−p̄)(1/m_ref + 1/m)), 1/min(m_ref, m)), p̄ the pooled share.
 *
 * <p>Every grid point may move within its band by chance, but a change that moves them all the same way is a change of
 * the trainer: the shift line adds z_i = ln(new/M_i)/(h_i/3), with h_i = 3·SE_i + ln(1 + g_i/M_i), over the N finite
 * LOG measures and fails when |Σ z_i/√N| > 3 (measures treated as independent).
 */
public record Reference(String variant, String command, String made, String revision, Map<String, Stats> values) {

    /** What a reference keeps of one measure. */
    public record Stats(Scale scale, double centre, double q1, double q3, int count, double granularity) {
        static Stats of(Measure m) {
            return new Stats(m.scale(), m.centre(), m.q1(), m.q3(), m.values().size(), m.granularity());
        }
    }

    /** A measure against its reference: the band and the verdict; {@code z} is NaN where it does not enter the shift. */
    public record Comparison(String name, Stats reference, double measured, int count, double lo, double hi, boolean ok, double z,
                             String problem) {
        public String line() {
            if (problem != null) return String.format(Locale.ROOT, "%-34s FAIL %s", name, problem);
            Stats r = reference;
            String ref = r.scale() == Scale.FRACTION ? pct(r.centre()) : Summary.num(round(r.centre()))
                    + " [" + Summary.num(round(r.q1())) + "-" + Summary.num(round(r.q3())) + "]";
            String got = r.scale() == Scale.FRACTION ? pct(measured) : Summary.num(round(measured));
            String band = r.scale() == Scale.FRACTION ? pct(lo) + "-" + pct(hi) : Summary.num(round(lo)) + "-" + Summary.num(round(hi));
            return String.format(Locale.ROOT, "%-34s reference %s (%d seeds)  measured %s (%d)  band %s  %s", name, ref, r.count(), got, count,
                    band, ok ? "ok" : "FAIL");
        }
    }

    /** The aggregate of a comparison: every line, the shift over all finite LOG measures and the verdict. */
    public record Outcome(List<Comparison> comparisons, int shiftMeasures, double geometricMeanRatio, double shiftZ) {
        public boolean ok() {
            return comparisons.stream().allMatch(Comparison::ok) && !(Math.abs(shiftZ) > 3);
        }

        public String shiftLine() {
            if (shiftMeasures == 0) return "shift: no finite median to compare";
            return String.format(Locale.ROOT, "shift over %d medians: new/reference %.3f (geometric mean), z = %.2f, %s", shiftMeasures,
                    geometricMeanRatio, shiftZ, Math.abs(shiftZ) > 3 ? "FAIL (|z| > 3: every median moved the same way)" : "ok (|z| <= 3)");
        }
    }

    /** Sigmas of the band: 3 keeps a healthy run inside it 99.7% of the time, per measure, when the seeds' spread is normal. */
    static final double SIGMAS = 3;

    /** The reference stored for a variant ({@code finding1}, {@code finding1-quick}), or null when the repo has none. */
    public static Reference load(String variant) {
        try (InputStream in = Reference.class.getResourceAsStream("references/" + variant + ".json")) {
            if (in == null) return null;
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the reference of " + variant, e);
        }
    }

    static Reference parse(String json) {
        Map<String, Object> m = Json.parse(json);
        Map<String, Stats> values = new LinkedHashMap<>();
        for (Object o : (List<?>) m.get("values")) {
            Map<?, ?> v = (Map<?, ?>) o;
            values.put((String) v.get("name"), new Stats(Scale.valueOf(((String) v.get("scale")).toUpperCase(Locale.ROOT)), num(v.get("centre")),
                    num(v.get("q1")), num(v.get("q3")), ((Number) v.get("count")).intValue(), num(v.get("granularity"))));
        }
        return new Reference((String) m.get("variant"), (String) m.get("command"), (String) m.get("made"), (String) m.get("revision"), values);
    }

    /** A reference made of measures just taken. */
    public static Reference of(String variant, String command, String made, String revision, List<Measure> measures) {
        Map<String, Stats> values = new LinkedHashMap<>();
        for (Measure m : measures) {
            if (values.put(m.name(), Stats.of(m)) != null) throw new IllegalStateException("two measures named " + m.name());
        }
        return new Reference(variant, command, made, revision, values);
    }

    /** The file: a header, then one measure per line (diffs stay readable). ∞ is written "inf". */
    public String toJson() {
        StringBuilder b = new StringBuilder("{\"variant\": ").append(quote(variant)).append(",\n \"command\": ").append(quote(command))
                .append(",\n \"made\": ").append(quote(made)).append(",\n \"revision\": ").append(quote(revision)).append(",\n \"values\": [");
        String sep = "\n  ";
        for (var e : values.entrySet()) {
            Stats s = e.getValue();
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", e.getKey());
            v.put("scale", s.scale().name().toLowerCase(Locale.ROOT));
            v.put("centre", json(s.centre()));
            v.put("q1", json(s.q1()));
            v.put("q3", json(s.q3()));
            v.put("count", s.count());
            v.put("granularity", json(s.granularity()));
            b.append(sep).append(Json.line(v));
            sep = ",\n  ";
        }
        return b.append("\n ]}\n").toString();
    }

    /** Compares measures just taken with this reference, by name; a name on one side only is a failure. */
    public Outcome compare(List<Measure> measured) {
        List<Comparison> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        double zSum = 0, logSum = 0;
        int n = 0;
        for (Measure m : measured) {
            seen.add(m.name());
            Stats r = values.get(m.name());
            if (r == null) {
                out.add(new Comparison(m.name(), null, m.centre(), m.values().size(), Double.NaN, Double.NaN, false, Double.NaN,
                        "not in the reference (measured " + Summary.num(m.centre()) + "): make the reference again"));
                continue;
            }
            Comparison c = compare(m.name(), r, m.centre(), m.values().size());
            out.add(c);
            if (Double.isFinite(c.z())) {
                zSum += c.z();
                logSum += Math.log(c.measured() / r.centre());
                n++;
            }
        }
        for (String name : values.keySet()) {
            if (!seen.contains(name)) {
                out.add(new Comparison(name, values.get(name), Double.NaN, 0, Double.NaN, Double.NaN, false, Double.NaN, "in the reference but not measured"));
            }
        }
        return new Outcome(out, n, n == 0 ? Double.NaN : Math.exp(logSum / n), n == 0 ? 0 : zSum / Math.sqrt(n));
    }

    /** One measure's band and verdict (see the class comment). */
    static Comparison compare(String name, Stats r, double measured, int count) {
        if (count == 0) return new Comparison(name, r, measured, 0, Double.NaN, Double.NaN, false, Double.NaN, "no seed finished");
        if (r.scale() == Scale.FRACTION) {
            double pooled = (r.centre() * r.count() + measured * count) / (r.count() + count);
            double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / r.count() + 1.0 / count));
            double h = Math.max(SIGMAS * se, 1.0 / Math.min(r.count(), count));
            double lo = Math.max(0, r.centre() - h), hi = Math.min(1, r.centre() + h);
            return new Comparison(name, r, measured, count, lo, hi, measured >= lo - 1e-12 && measured <= hi + 1e-12, Double.NaN, null);
        }
        double mRef = r.centre();
        if (mRef == Double.POSITIVE_INFINITY) {   // most reference seeds never solved: so must the new ones
            return new Comparison(name, r, measured, count, mRef, mRef, measured == mRef, Double.NaN, null);
        }
        if (!(mRef > 0)) throw new IllegalStateException(name + ": a LOG measure needs a positive reference, got " + mRef);
        // the upper quartile is ∞ when over a quarter never solved: the spread from the lower half, and no upper bound, since
        // a few new seeds then often have a median of ∞ by chance (the solved share's own band still bounds that)
        boolean openAbove = !Double.isFinite(r.q3());
        double spread = openAbove ? 2 * Math.log(mRef / r.q1()) : Math.log(r.q3() / r.q1());
        double sigma = spread / 1.349;
        double se = 1.2533 * sigma * Math.sqrt(1.0 / r.count() + 1.0 / count);
        double g = r.granularity(), spreadPart = SIGMAS * se;
        // one check either way: a median of t_c checked every 10 steps may land a check early or late
        double lo = Math.max(0, mRef * Math.exp(-spreadPart) - g), hi = openAbove ? Double.POSITIVE_INFINITY : mRef * Math.exp(spreadPart) + g;
        if (spreadPart == 0 && g == 0) {   // exact values (no spread, no resolution): equal up to rounding in the file
            lo = mRef * (1 - 1e-9);
            hi = mRef * (1 + 1e-9);
        }
        double h = spreadPart + Math.log1p(g / mRef);   // the half-width in log steps, for the shift's z
        boolean ok = measured >= lo && measured <= hi;
        double z = Double.isFinite(measured) && measured > 0 ? Math.log(measured / mRef) / (h / SIGMAS) : Double.NaN;
        return new Comparison(name, r, measured, count, lo, hi, ok, z, null);
    }

    private static double round(double v) {
        return Double.isFinite(v) && Math.abs(v) >= 10 ? Math.round(v) : Double.isFinite(v) ? Math.round(v * 1e4) / 1e4 : v;
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }

    private static Object json(double v) {
        return v == Double.POSITIVE_INFINITY ? "inf" : Double.isNaN(v) ? "nan" : (Object) v;
    }

    private static double num(Object o) {
        if (o instanceof Number n) return n.doubleValue();
        if ("inf".equals(o)) return Double.POSITIVE_INFINITY;
        if ("nan".equals(o)) return Double.NaN;
        throw new UsageException("a reference value must be a number, inf or nan, got " + o);
    }

    private static String quote(String s) {
        return Json.value(s == null ? "" : s);
    }
}

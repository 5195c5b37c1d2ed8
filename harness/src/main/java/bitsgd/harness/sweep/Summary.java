package bitsgd.harness.sweep;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.Csv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per grid point, over its seeds: success fraction and the median and IQR of t_c. t_c of a run
 * that did not solve within the budget counts as +∞ (the paper's medians are over all 25 trials;
 * a median is finite only when more than half solved); {@code t_c_median_solved} is over the
 * solved runs alone. Quantiles interpolate linearly between order statistics (numpy's default).
 */
public final class Summary {
    private Summary() {}

    public record Row(SweepSpec.Point point, int seeds, int runs, int solved, double successFraction, double tcMedian,
                      double tcQ1, double tcQ3, double tcMedianSolved, double stepsPerSecondMedian, double wallSecondsMedian) {}

    public static SweepSpec spec(Path dir) throws IOException {
        Path f = dir.resolve(Records.SPEC);
        if (!Files.isRegularFile(f)) throw new UsageException(dir + " is not a sweep output dir (no " + Records.SPEC + ")");
        try {
            return SweepSpec.parse(Files.readString(f), null);
        } catch (UsageException e) {
            throw new UsageException(f + " is not a sweep spec: " + e.getMessage());   // name the file: the user did not type it
        }
    }

    public static List<Row> of(Path dir) throws IOException {
        SweepSpec spec = spec(dir);
        return of(spec, Records.readAll(dir));
    }

    public static List<Row> of(SweepSpec spec, Map<Records.Key, Map<String, Object>> records) {
        List<Row> rows = new ArrayList<>();
        for (var p : spec.points()) {
            List<Double> tc = new ArrayList<>(), tcSolved = new ArrayList<>(), sps = new ArrayList<>(), wall = new ArrayList<>();
            int solved = 0;
            for (long seed : spec.seeds()) {
                var r = records.get(new Records.Key(p.index(), seed));
                if (r == null) continue;
                boolean ok = Boolean.TRUE.equals(r.get("solved"));
                double t = ok ? ((Number) r.get("t_c")).doubleValue() : Double.POSITIVE_INFINITY;
                tc.add(t);
                if (ok) {
                    solved++;
                    tcSolved.add(t);
                }
                // the rate each run had reached at its end (checks excluded), not its whole-run rate: the first runs of a
                // process include the JIT's warm-up, which is not the speed of their grid point
                Object rate = r.get("steps_per_second_last") instanceof Number ? r.get("steps_per_second_last") : r.get("steps_per_second");
                if (rate instanceof Number n) sps.add(n.doubleValue());
                if (r.get("wall_seconds") instanceof Number n) wall.add(n.doubleValue());
            }
            int runs = tc.size();
            rows.add(new Row(p, spec.seeds().size(), runs, solved, runs == 0 ? Double.NaN : solved / (double) runs,
                    quantile(tc, 0.5), quantile(tc, 0.25), quantile(tc, 0.75), quantile(tcSolved, 0.5),
                    quantile(sps, 0.5), quantile(wall, 0.5)));
        }
        return rows;
    }

    /** Linear interpolation between order statistics (type 7); NaN for no values; +∞ values allowed. */
    public static double quantile(List<Double> values, double q) {
        if (values.isEmpty()) return Double.NaN;
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        double h = (v.length - 1) * q;
        int lo = (int) Math.floor(h);
        double frac = h - lo;
        if (frac == 0 || lo + 1 >= v.length) return v[lo];
        if (v[lo] == v[lo + 1]) return v[lo]; // also ∞ = ∞ without ∞ − ∞
        return v[lo] + frac * (v[lo + 1] - v[lo]);
    }

    /** The statistics' columns, after the config index and the grid axes. */
    public static final List<String> STATISTICS = List.of("seeds", "runs", "solved", "success_fraction", "t_c_median", "t_c_q1", "t_c_q3",
            "t_c_median_solved", "steps_per_second_median", "wall_seconds_median");

    /**
     * summary.csv: the config index, every grid axis (each point's value from its config), the statistics, then the sweep's
     * name and each fixed setting of the spec (the same on every row), so that the file describes its sweep on its own.
     */
    public static String csv(SweepSpec spec, List<Row> rows) {
        Csv.Table t = gridAndStatistics(spec, rows);
        List<String> header = new ArrayList<>(t.header());
        header.add("sweep");
        List<String> settings = new ArrayList<>(List.of(spec.name()));
        spec.fixed().forEach((axis, value) -> {
            header.add(axis.key());
            settings.add(String.valueOf(value));
        });
        List<List<String>> out = new ArrayList<>();
        for (List<String> row : t.rows()) {
            List<String> r = new ArrayList<>(row);
            r.addAll(settings);
            out.add(r);
        }
        return Csv.write(header, out);
    }

    private static Csv.Table gridAndStatistics(SweepSpec spec, List<Row> rows) {
        List<String> axes = spec.gridAxes();
        List<String> header = new ArrayList<>(List.of("config_index"));
        header.addAll(axes);
        header.addAll(STATISTICS);
        List<List<String>> cells = new ArrayList<>();
        for (Row r : rows) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(r.point().index())));
            for (String a : axes) row.add(String.valueOf(axisValue(r.point(), a)));
            row.addAll(List.of(String.valueOf(r.seeds()), String.valueOf(r.runs()), String.valueOf(r.solved()), num(r.successFraction()),
                    num(r.tcMedian()), num(r.tcQ1()), num(r.tcQ3()), num(r.tcMedianSolved()), num(r.stepsPerSecondMedian()),
                    num(r.wallSecondsMedian())));
            cells.add(row);
        }
        return new Csv.Table(header, cells);
    }

    /** The point's value of an axis: its grid value, else what its config has. */
    public static Object axisValue(SweepSpec.Point p, String axis) {
        if (p.values().containsKey(axis)) return p.values().get(axis);
        Map<String, Object> m = new LinkedHashMap<>(p.config().toMap());
        return m.get(axis);
    }

    public static String num(double v) {
        if (Double.isNaN(v)) return "";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** An aligned text table of the grid axes and statistics (for the terminal; the fixed settings stay in the file). */
    public static String table(SweepSpec spec, List<Row> rows) {
        return tableOf(gridAndStatistics(spec, rows));
    }

    /** Any CSV text as an aligned text table, one line per row. */
    public static String tableOf(String csvText) {
        return tableOf(Csv.parse(csvText));
    }

    private static String tableOf(Csv.Table t) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(t.header());
        cells.addAll(t.rows());
        int cols = t.header().size();
        int[] w = new int[cols];
        for (List<String> c : cells) for (int i = 0; i < Math.min(cols, c.size()); i++) w[i] = Math.max(w[i], c.get(i).length());
        StringBuilder sb = new StringBuilder();
        for (List<String> c : cells) {
            for (int i = 0; i < c.size(); i++) sb.append(i == 0 ? "" : "  ").append(String.format("%" + w[Math.min(i, cols - 1)] + "s", c.get(i)));
            sb.append('\n');
        }
        return sb.toString();
    }
}

package bitsgd.harness.plot;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.Csv;
import bitsgd.harness.io.Json;
import bitsgd.harness.train.Setting;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of a run directory written by {@code train --out} (curve.csv, probes.csv), rendered headless
 * with XChart. Two kinds: {@code rho} (accuracy and loss vs step, ρ_t = ‖W_t − W_0‖∞ on a second axis, for a
 * run and optionally its random-label control) and {@code gap} (the exact Fourier gap over training).
 */
public final class RunCharts {
    private RunCharts() {}

    /** Call before any AWT class loads. */
    public static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** A CSV file as named columns of doubles (empty cells → NaN). */
    public record Table(Map<String, double[]> columns, int rows) {
        public double[] col(String name) {
            double[] c = columns.get(name);
            if (c == null) throw new UsageException("column '" + name + "' missing");
            return c;
        }

        public boolean has(String name) {
            return columns.containsKey(name);
        }
    }

    public static Table read(Path csv) {
        Csv.Table t;
        try {
            t = Csv.read(csv);
        } catch (IOException e) {
            throw new UsageException("cannot read " + csv + ": " + e.getMessage());
        }
        if (t.header().isEmpty()) throw new UsageException(csv + " is empty");
        Map<String, double[]> cols = new HashMap<>();
        for (String h : t.header()) {
            List<String> cells = t.values(h);
            double[] v = new double[cells.size()];
            for (int r = 0; r < v.length; r++) {
                String cell = cells.get(r).trim();
                try {
                    v[r] = cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
                } catch (NumberFormatException e) {
                    v[r] = Double.NaN; // text columns such as eval_set
                }
            }
            cols.put(h, v);
        }
        return new Table(cols, t.rows().size());
    }

    static Path need(Path dir, String file) {
        Path p = dir.resolve(file);
        if (!Files.isRegularFile(p)) {
            throw new UsageException(p + " not found: " + (file.equals("probes.csv")
                    ? "the rho and gap kinds need a run trained with --probe-every N (--kind curve draws a plain train --out run)"
                    : "not a run directory of train --out"));
        }
        return p;
    }

    /** What the runs share, from their result.json files (a run without one, e.g. still going, is left out). */
    static String settings(List<Path> runs) {
        List<Map<String, Object>> configs = new ArrayList<>();
        for (Path run : runs) {
            Path json = run.resolve("result.json");
            try {
                if (Files.isRegularFile(json)) {
                    // a record is one flat object: keep the settings that defined the run, not its outcome
                    Map<String, Object> record = Json.parse(Files.readString(json)), m = new LinkedHashMap<>();
                    for (Setting s : Setting.values()) if (record.containsKey(s.key())) m.put(s.key(), record.get(s.key()));
                    configs.add(m);
                }
            } catch (IOException | RuntimeException e) {
                // a chart does not need its settings line: a result.json it cannot read only shortens it
            }
        }
        return SharedSettings.ofRuns(configs);
    }

    /** Accuracy and loss (left axis) with ρ_t (right axis) vs step, for a run and an optional control. */
    public static Figure rho(Path run, Path control, String title, int width, int height) {
        XYChart chart = base(title, width, height, "eval accuracy / mean batch loss");
        addRun(chart, run, "parity", new Color(0x1f77b4), new Color(0x9ecae1), new Color(0xd62728));
        if (control != null) addRun(chart, control, "random labels", new Color(0x555555), new Color(0xbbbbbb), new Color(0xff9896));
        chart.setYAxisGroupTitle(1, "rho_t = ||W_t - W_0||_inf");
        return new Figure(chart).subtitle(settings(control == null ? List.of(run) : List.of(run, control)));
    }

    private static void addRun(XYChart chart, Path dir, String label, Color acc, Color loss, Color rho) {
        Table curve = read(need(dir, "curve.csv"));
        Table probes = read(need(dir, "probes.csv"));
        series(chart, label + ": eval accuracy", curve.col("step"), curve.col("eval_accuracy"), acc, false, 0);
        series(chart, label + ": loss", curve.col("step"), curve.col("loss"), loss, true, 0);
        series(chart, label + ": rho_t", probes.col("step"), probes.col("rho"), rho, false, 1).setLineWidth(2.5f);
    }

    /**
     * The exact Fourier gap vs step, one or more runs: the fraction of neurons whose gap is positive and the
     * median scale-free gap (gap_j / max_i |g_ij|) on the left axis, the best neuron's raw gap on the right.
     */
    public static Figure gap(List<Path> runs, String title, int width, int height) {
        XYChart chart = base(title, width, height, "fraction of neurons with gap > 0 / median relative gap");
        Color[][] palette = {{new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xd62728)},
                {new Color(0x555555), new Color(0x999999), new Color(0xff9896)}};
        for (int r = 0; r < runs.size(); r++) {
            Table p = read(need(runs.get(r), "probes.csv"));
            if (!p.has("gap_positive_fraction")) {
                throw new UsageException(runs.get(r).resolve("probes.csv") + " has no gap columns (n above --probe-popgrad-max-n?)");
            }
            String name = runs.size() > 1 ? runs.get(r).getFileName() + ": " : "";
            Color[] c = palette[Math.min(r, palette.length - 1)];
            series(chart, name + "neurons with gap > 0", p.col("step"), p.col("gap_positive_fraction"), c[0], false, 0).setLineWidth(2.5f);
            series(chart, name + "median relative gap", p.col("step"), p.col("gap_rel_median"), c[1], true, 0);
            series(chart, name + "best neuron's gap (right axis)", p.col("step"), p.col("gap_best"), c[2], false, 1);
        }
        chart.setYAxisGroupTitle(1, "best neuron: min_{i in S}|g_i| - max_{i not in S}|g_i|");
        return new Figure(chart).subtitle(settings(runs));
    }

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    /**
     * Training curves of one or more runs (curve.csv only): eval accuracy and, for finite-sample runs, train accuracy
     * (dashed); for real-valued targets the eval MSE instead. The mean batch loss goes on the right axis.
     */
    public static Figure curves(List<Path> runs, String title, int width, int height) {
        Table first = read(need(runs.get(0), "curve.csv"));
        boolean mse = first.has("eval_mse") && anyFinite(first.col("eval_mse"));
        XYChart chart = base(title, width, height, mse ? "eval MSE" : "accuracy");
        for (int r = 0; r < runs.size(); r++) {
            Table c = read(need(runs.get(r), "curve.csv"));
            String name = runs.size() > 1 ? runs.get(r).getFileName() + ": " : "";
            Color color = PALETTE[r % PALETTE.length];
            if (mse) {
                series(chart, name + "eval MSE", c.col("step"), c.col("eval_mse"), color, false, 0).setLineWidth(2.5f);
            } else {
                series(chart, name + "eval accuracy", c.col("step"), c.col("eval_accuracy"), color, false, 0).setLineWidth(2.5f);
                if (c.has("train_accuracy") && anyFinite(c.col("train_accuracy"))) {
                    series(chart, name + "train accuracy", c.col("step"), c.col("train_accuracy"), color, true, 0).setLineWidth(2.5f);
                }
            }
            series(chart, name + "batch loss (right axis)", c.col("step"), c.col("loss"), color.brighter(), true, 1);
        }
        chart.setYAxisGroupTitle(1, "mean batch loss");
        return new Figure(chart).subtitle(settings(runs));
    }

    /** The tracked coefficients f̂_T = E[f(x) χ_T(x)] (curve.csv's fhat_* columns) vs step, one line per monomial. */
    public static Figure coefficients(Path run, String title, int width, int height) {
        Table c = read(need(run, "curve.csv"));
        List<String> names = c.columns().keySet().stream().filter(h -> h.startsWith("fhat_"))
                .sorted(java.util.Comparator.comparingInt(String::length).thenComparing(h -> h)).toList();
        if (names.isEmpty()) throw new UsageException(run.resolve("curve.csv") + " has no fhat_ columns (train with --track-prefixes D)");
        XYChart chart = base(title, width, height, "coefficient E[f(x) chi_T(x)]");
        for (int q = 0; q < names.size(); q++) {
            series(chart, names.get(q).substring(5), c.col("step"), c.col(names.get(q)), PALETTE[q % PALETTE.length], q >= PALETTE.length, 0);
        }
        return new Figure(chart).subtitle(settings(List.of(run)));
    }

    private static boolean anyFinite(double[] v) {
        for (double d : v) if (Double.isFinite(d)) return true;
        return false;
    }

    private static XYChart base(String title, int width, int height, String yTitle) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("step").yAxisTitle(yTitle).build();
        chart.getStyler().setMarkerSize(0);
        return chart;
    }

    private static XYSeries series(XYChart chart, String name, double[] x, double[] y, Color color, boolean dashed, int axis) {
        List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                xs.add(x[i]);
                ys.add(y[i]);
            }
        }
        if (xs.isEmpty()) {
            xs.add(0.0);
            ys.add(0.0);
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineWidth(1.5f);
        if (dashed) s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_BEVEL, 10f, new float[] {6f, 4f}, 0f));
        s.setYAxisGroup(axis);
        return s;
    }
}

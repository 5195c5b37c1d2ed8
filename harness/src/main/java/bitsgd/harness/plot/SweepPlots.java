package bitsgd.harness.plot;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.sweep.Records;
import bitsgd.harness.sweep.Summary;
import bitsgd.harness.sweep.SweepSpec;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Headless PNG charts of a sweep output dir (XChart):
 * <ul>
 *   <li>training curves: per grid point, the median over seeds of eval accuracy (and of the batch
 *   loss) vs step on a log step axis, with the IQR as a band. A run that stopped at t_c counts as
 *   solved (accuracy 1, its last loss) at every later step, so the medians stay over all seeds;</li>
 *   <li>scaling: median t_c vs an axis (n) on log-log axes, one line per value of another (k) with
 *   its IQR band and the least-squares slope of log t_c on log n in the legend (points whose median
 *   is ∞, i.e. fewer than half the seeds solved, are left out of line and fit).</li>
 * </ul>
 */
public final class SweepPlots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    public static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private SweepPlots() {}

    /** Writes the charts of the sweep in {@code dir} into {@code plots} and returns their paths. */
    public static List<Path> plot(Path dir, Path plots, String panelAxis, String xAxis, String lineAxis) throws IOException {
        return plot(dir, plots, panelAxis, xAxis, lineAxis, true);
    }

    /**
     * As {@link #plot(Path, Path, String, String, String)}; {@code scalingChart} false leaves out the log-log t_c chart
     * (for axes such as a flip rate that include 0). Curve charts are drawn for every curve column the records
     * have: eval accuracy (±1 targets), train accuracy (finite samples), eval MSE (real-valued targets), loss.
     */
    public static List<Path> plot(Path dir, Path plots, String panelAxis, String xAxis, String lineAxis, boolean scalingChart)
            throws IOException {
        return plot(dir, plots, panelAxis, xAxis, lineAxis, scalingChart, true);
    }

    /** As above; {@code curveCharts} false leaves out the curve charts too (a grid too large for one chart per panel). */
    public static List<Path> plot(Path dir, Path plots, String panelAxis, String xAxis, String lineAxis, boolean scalingChart,
            boolean curveCharts) throws IOException {
        SweepSpec spec = Summary.spec(dir);
        var records = Records.readAll(dir);
        AtomicFiles.createDirectories(plots);
        List<Path> out = new ArrayList<>();
        List<String> axes = spec.gridAxes();
        // curves: one chart per value of the panel axis
        String panel = panelAxis != null ? panelAxis : axes.contains("k") && axes.size() > 1 ? "k" : null;
        if (panel != null && !axes.contains(panel)) throw new UsageException("--panel " + panel + " is not a grid axis (grid axes: " + axes + ")");
        Map<Object, List<SweepSpec.Point>> panels = new LinkedHashMap<>();
        for (var p : spec.points()) panels.computeIfAbsent(panel == null ? "" : Summary.axisValue(p, panel), x -> new ArrayList<>()).add(p);
        List<String> metrics = curveCharts ? curveMetrics(records) : List.of();
        for (var e : panels.entrySet()) {
            for (String metric : metrics) {
                XYChart c = curves(spec, records, e.getValue(), metric, panel, e.getKey());
                out.add(save(new Figure(c).subtitle(SharedSettings.of(spec)), plots.resolve(curveFileName(metric, panel, e.getKey()))));
            }
        }
        // scaling
        String x = xAxis != null ? xAxis : defaultX(spec);
        if (xAxis != null && !axes.contains(x)) throw new UsageException("--x " + x + " is not a grid axis (grid axes: " + axes + ")");
        if (scalingChart && axes.contains(x)) {
            String line = lineAxis != null ? lineAxis : "k";
            if (!axes.contains(line) || line.equals(x)) line = null;
            var rows = Summary.of(spec, records);
            out.add(save(scaling(spec, rows, x, line), plots.resolve("scaling-t_c-vs-" + x + ".png")));
        }
        return out;
    }

    /**
     * {@code curves-METRIC[-PANEL=VALUE].png}, the value made file-name safe: a {@code monomials:} prefix and
     * {@code *} dropped ({@code task=x1+x1x2x3}), any other character outside {@code [A-Za-z0-9._=+-]} → {@code _}.
     */
    public static String curveFileName(String metric, String panel, Object panelValue) {
        return "curves-" + metric + (panel == null ? "" : "-" + panel + "=" + fileSafe(panelValue)) + ".png";
    }

    public static String fileSafe(Object v) {
        return String.valueOf(v).replace("monomials:", "").replace("*", "").replaceAll("[^A-Za-z0-9._=+-]", "_");
    }

    /** The curve columns with at least one value in some record, in a fixed order (loss always). */
    static List<String> curveMetrics(Map<Records.Key, Map<String, Object>> records) {
        List<String> out = new ArrayList<>();
        for (String m : List.of("eval_accuracy", "train_accuracy", "eval_mse")) {
            boolean any = false;
            for (var r : records.values()) {
                if (r.get("curve") instanceof Map<?, ?> c && c.get(m) instanceof List<?> l && l.stream().anyMatch(Objects::nonNull)) {
                    any = true;
                    break;
                }
            }
            if (any) out.add(m);
        }
        out.add("loss");
        return out;
    }

    static String metricTitle(String metric) {
        return switch (metric) {
            case "eval_accuracy" -> "eval accuracy";
            case "train_accuracy" -> "train accuracy";
            case "eval_mse" -> "eval MSE";
            default -> "mean batch loss";
        };
    }

    /** n when it varies, else the first grid axis with at least 3 distinct numeric values (e.g. width). */
    static String defaultX(SweepSpec spec) {
        if (spec.gridAxes().contains("n")) return "n";
        for (String a : spec.gridAxes()) {
            var vals = new TreeSet<Double>();
            for (var p : spec.points()) if (Summary.axisValue(p, a) instanceof Number num) vals.add(num.doubleValue());
            if (vals.size() >= 3) return a;
        }
        return "n";
    }

    public static XYChart curves(SweepSpec spec, Map<Records.Key, Map<String, Object>> records, List<SweepSpec.Point> points,
                          String metric, String panel, Object panelValue) {
        boolean acc = metric.endsWith("accuracy");
        XYChart c = new XYChartBuilder().width(900).height(560)
                .title(spec.name() + ": " + metricTitle(metric) + ", median and IQR over seeds"
                        + (panel == null ? "" : " (" + panel + " = " + panelValue + ")"))
                .xAxisTitle("step").yAxisTitle(metricTitle(metric)).build();
        c.getStyler().setXAxisLogarithmic(true);
        if (!acc) c.getStyler().setYAxisLogarithmic(true);
        int color = 0;
        for (var p : points) {
            List<Map<String, Object>> runs = new ArrayList<>();
            for (long seed : spec.seeds()) {
                var r = records.get(new Records.Key(p.index(), seed));
                if (r != null && r.get("curve") instanceof Map<?, ?>) runs.add(r);
            }
            if (runs.isEmpty()) continue;
            long maxStep = 1;
            for (var r : runs) maxStep = Math.max(maxStep, ((Number) r.get("steps")).longValue());
            TreeSet<Long> grid = new TreeSet<>();
            for (int j = 0; ; j++) {
                long s = Math.round(Math.pow(10, j / 24.0));
                if (s > maxStep) break;
                grid.add(s);
            }
            grid.add(maxStep);
            List<Double> xs = new ArrayList<>(), med = new ArrayList<>(), q1 = new ArrayList<>(), q3 = new ArrayList<>();
            for (long g : grid) {
                List<Double> vals = new ArrayList<>();
                for (var r : runs) {
                    Double v = valueAt(r, metric, g);
                    if (v != null && Double.isFinite(v) && (acc || v > 0)) vals.add(v);
                }
                if (vals.size() * 2 < runs.size()) continue; // fewer than half the seeds have a value here
                xs.add((double) g);
                med.add(Summary.quantile(vals, 0.5));
                q1.add(Summary.quantile(vals, 0.25));
                q3.add(Summary.quantile(vals, 0.75));
            }
            if (xs.isEmpty()) continue;
            Color col = PALETTE[color++ % PALETTE.length];
            String label = label(p, panel) + " (" + runs.size() + " seeds)";
            band(c, label + " IQR", xs, q1, q3, col);
            XYSeries s = c.addSeries(label, xs, med);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(col);
            s.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.SOLID);
        }
        return c;
    }

    /** The metric of a run at step g: its last curve point at or before g; after the run ended, solved runs stay solved. */
    static Double valueAt(Map<String, Object> r, String metric, long g) {
        Map<?, ?> curve = (Map<?, ?>) r.get("curve");
        List<?> steps = (List<?>) curve.get("step");
        if (!(curve.get(metric) instanceof List<?> vals)) return null;   // a column older records do not have
        Double v = null;
        for (int i = 0; i < steps.size(); i++) {
            if (((Number) steps.get(i)).longValue() > g) break;
            v = vals.get(i) == null ? null : ((Number) vals.get(i)).doubleValue();
        }
        if (v == null) return null;
        long last = steps.isEmpty() ? 0 : ((Number) steps.get(steps.size() - 1)).longValue();
        if (g > last) {
            if (!Boolean.TRUE.equals(r.get("solved"))) return null;
            if (metric.equals("eval_accuracy")) return 1.0;
        }
        return v;
    }

    /** The t_c chart, its x axis labelled at the grid's values of {@code x}. */
    public static Figure scaling(SweepSpec spec, List<Summary.Row> rows, String x, String line) {
        XYChart c = new XYChartBuilder().width(900).height(560)
                .title(spec.name() + ": median t_c vs " + x + " (IQR band, " + spec.seeds().size() + " seeds)")
                .xAxisTitle(x).yAxisTitle("median t_c (steps)").build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        // one line per combination of every grid axis but x
        Map<String, List<Summary.Row>> lines = new LinkedHashMap<>();
        for (var r : rows) {
            StringBuilder key = new StringBuilder();
            if (line != null) key.append(line).append('=').append(Summary.axisValue(r.point(), line));
            for (var e : r.point().values().entrySet()) {
                if (e.getKey().equals(x) || e.getKey().equals(line)) continue;
                key.append(key.isEmpty() ? "" : ", ").append(e.getKey()).append('=').append(e.getValue());
            }
            lines.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(r);
        }
        int color = 0;
        boolean any = false;
        for (var e : lines.entrySet()) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>(), lo = new ArrayList<>(), hi = new ArrayList<>();
            for (var r : e.getValue()) {
                double xv = ((Number) Summary.axisValue(r.point(), x)).doubleValue();
                if (!(r.tcMedian() > 0) || !Double.isFinite(r.tcMedian()) || !(xv > 0)) continue;
                xs.add(xv);
                ys.add(r.tcMedian());
                lo.add(r.tcQ1());
                hi.add(Double.isFinite(r.tcQ3()) ? r.tcQ3() : r.tcMedian());
            }
            if (xs.isEmpty()) continue;
            any = true;
            Color col = PALETTE[color++ % PALETTE.length];
            String slope = xs.size() >= 2 ? String.format(Locale.ROOT, ", slope %.2f", slope(xs, ys)) : "";
            String name = (e.getKey().isEmpty() ? "median t_c" : e.getKey()) + slope;
            medianWithBand(c, name, xs, ys, lo, hi, col);
        }
        if (!any) c.addSeries("no grid point solved in more than half its seeds", List.of(1.0), List.of(1.0)).setMarker(SeriesMarkers.NONE);
        List<Double> grid = new ArrayList<>();
        for (var r : rows) if (Summary.axisValue(r.point(), x) instanceof Number v) grid.add(v.doubleValue());
        return new Figure(c).subtitle(SharedSettings.of(spec)).labelXAt(grid);
    }

    /** Least-squares slope of log y on log x. */
    public static double slope(List<Double> xs, List<Double> ys) {
        int n = xs.size();
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += Math.log(xs.get(i));
            my += Math.log(ys.get(i));
        }
        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = Math.log(xs.get(i)) - mx;
            sxy += dx * (Math.log(ys.get(i)) - my);
            sxx += dx * dx;
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    /** A median line with circle markers over its interquartile band ("NAME IQR", not in the legend), in one colour. */
    public static XYSeries medianWithBand(XYChart c, String name, List<Double> xs, List<Double> med, List<Double> lo, List<Double> hi,
                                   Color col) {
        band(c, name + " IQR", xs, lo, hi, col);
        XYSeries s = c.addSeries(name, xs, med);
        s.setLineColor(col);
        s.setMarkerColor(col);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.SOLID);
        return s;
    }

    static void band(XYChart c, String name, List<Double> xs, List<Double> lo, List<Double> hi, Color col) {
        List<Double> bx = new ArrayList<>(), by = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            bx.add(xs.get(i));
            by.add(hi.get(i));
        }
        for (int i = xs.size() - 1; i >= 0; i--) {
            bx.add(xs.get(i));
            by.add(lo.get(i));
        }
        if (by.stream().anyMatch(v -> !Double.isFinite(v) || v <= 0) && c.getStyler().isYAxisLogarithmic()) return;
        XYSeries b = c.addSeries(name, bx, by);
        b.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.PolygonArea);
        b.setFillColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 50));
        b.setLineColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 0));
        b.setMarker(SeriesMarkers.NONE);
        b.setShowInLegend(false);
    }

    private static String label(SweepSpec.Point p, String panel) {
        StringBuilder sb = new StringBuilder();
        p.values().forEach((k, v) -> {
            if (!Objects.equals(k, panel)) sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(v);
        });
        return sb.isEmpty() ? "config " + p.index() : sb.toString();
    }

    /** The figure as a PNG, written atomically. */
    public static Path save(Figure f, Path file) throws IOException {
        AtomicFiles.write(file, f.png());
        return file;
    }

    /** A label at (x, y), with an invisible point there so that the axes' limits make room for it. */
    public static void annotate(XYChart c, String text, double x, double y) {
        AnnotationText a = new AnnotationText(text, x, y, false);
        c.addAnnotation(a);
        XYSeries room = c.addSeries("label " + text + " at " + x + "," + y, List.of(x), List.of(y));
        room.setMarker(SeriesMarkers.NONE);
        room.setLineColor(new Color(0, 0, 0, 0));
        room.setShowInLegend(false);
        c.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        c.getStyler().setAnnotationTextFontColor(Color.DARK_GRAY);
    }
}

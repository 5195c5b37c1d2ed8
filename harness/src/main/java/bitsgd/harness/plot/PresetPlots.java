package bitsgd.harness.plot;

import bitsgd.harness.io.Csv;
import bitsgd.harness.sweep.Records;
import bitsgd.harness.sweep.Summary;
import bitsgd.harness.sweep.SweepSpec;
import bitsgd.harness.task.Monomials;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The tables and charts of the presets beyond a sweep's summary, curves and t_c scaling chart:
 * <ul>
 *   <li>noisy parity: t_c vs the noise factor 1/(1−2p)² (log-log, fitted slope), {@code noisy.csv};</li>
 *   <li>finite sample (grokking): train and test accuracy vs step per grid point, and the step each first
 *   reaches 100%, {@code grokking.csv};</li>
 *   <li>leap: online samples t_c·B vs d per target (log-log) with the local slope between neighbouring d, the
 *   least-squares slope and the conjectured exponent max(Leap−1, 1), {@code leap.csv}.</li>
 * </ul>
 * The numbers are computed by pure functions of the records (tested); charts reuse {@link SweepPlots}' style.
 */
public final class PresetPlots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private PresetPlots() {}

    // ---------------------------------------------------------------- noisy parity

    /** One flip rate: t_c over seeds (∞ when unsolved) and the final accuracy on clean labels. */
    public record NoisyRow(double p, double factor, int runs, int solved, double tcMedian, double tcQ1, double tcQ3,
                           double tcScaledMedian, double finalAccuracyMedian) {}

    /** 1/(1−2p)²: how much a label-flip rate p shrinks the label's correlation with χ_S, squared. */
    public static double noiseFactor(double p) {
        return 1 / ((1 - 2 * p) * (1 - 2 * p));
    }

    public static List<NoisyRow> noisy(SweepSpec spec, Map<Records.Key, Map<String, Object>> records) {
        List<NoisyRow> out = new ArrayList<>();
        for (var pt : spec.points()) {
            double p = ((Number) Summary.axisValue(pt, "label_noise")).doubleValue();
            List<Double> tc = new ArrayList<>(), scaled = new ArrayList<>(), acc = new ArrayList<>();
            int solved = 0;
            for (var r : runs(spec, records, pt)) {
                double t = tc(r);
                if (Double.isFinite(t)) solved++;
                tc.add(t);
                scaled.add(t / noiseFactor(p));
                if (r.get("final_eval_accuracy") instanceof Number a) acc.add(a.doubleValue());
            }
            out.add(new NoisyRow(p, noiseFactor(p), tc.size(), solved, Summary.quantile(tc, 0.5), Summary.quantile(tc, 0.25),
                    Summary.quantile(tc, 0.75), Summary.quantile(scaled, 0.5), Summary.quantile(acc, 0.5)));
        }
        return out;
    }

    public static String noisyCsv(List<NoisyRow> rows) {
        List<List<String>> out = new ArrayList<>();
        for (var r : rows) {
            out.add(List.of(Summary.num(r.p()), Summary.num(r.factor()), String.valueOf(r.runs()), String.valueOf(r.solved()),
                    Summary.num(r.tcMedian()), Summary.num(r.tcQ1()), Summary.num(r.tcQ3()), Summary.num(r.tcScaledMedian()),
                    Summary.num(r.finalAccuracyMedian())));
        }
        return Csv.write(List.of("label_noise", "noise_factor", "runs", "solved", "t_c_median", "t_c_q1", "t_c_q3", "t_c_over_factor_median",
                "final_clean_accuracy_median"), out);
    }

    static XYChart noisyChart(SweepSpec spec, List<NoisyRow> rows) {
        XYChart c = new XYChartBuilder().width(900).height(560)
                .title(spec.name() + ": median t_c vs 1/(1-2p)^2 (IQR, " + spec.seeds().size() + " seeds)")
                .xAxisTitle("1/(1-2p)^2, p = label-flip rate").yAxisTitle("median t_c (steps, 100% on clean labels)").build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        List<Double> xs = new ArrayList<>(), ys = new ArrayList<>(), lo = new ArrayList<>(), hi = new ArrayList<>();
        for (var r : rows) {
            if (!Double.isFinite(r.tcMedian()) || !(r.tcMedian() > 0)) continue;
            xs.add(r.factor());
            ys.add(r.tcMedian());
            lo.add(r.tcQ1());
            hi.add(Double.isFinite(r.tcQ3()) ? r.tcQ3() : r.tcMedian());
        }
        Color col = SweepPlots.PALETTE[0];
        if (xs.isEmpty()) {
            c.addSeries("no flip rate solved in more than half its seeds", List.of(1.0), List.of(1.0)).setMarker(SeriesMarkers.NONE);
            return c;
        }
        String name = "median t_c" + (xs.size() >= 2 ? String.format(Locale.ROOT, ", slope %.2f", SweepPlots.slope(xs, ys)) : "");
        SweepPlots.medianWithBand(c, name, xs, ys, lo, hi, col);
        // references through the first point: t_c ∝ 1/(1−2p)² (the samples a noisy correlation needs) and ∝ 1/(1−2p) (the drift shrinks by 1−2p)
        for (double e : new double[] {1, 0.5}) {
            XYSeries ref = c.addSeries(e == 1 ? "slope 1: t_c ~ 1/(1-2p)^2" : "slope 1/2: t_c ~ 1/(1-2p)", List.of(xs.getFirst(), xs.getLast()),
                    List.of(ys.getFirst(), ys.getFirst() * Math.pow(xs.getLast() / xs.getFirst(), e)));
            ref.setMarker(SeriesMarkers.NONE);
            ref.setLineColor(e == 1 ? Color.GRAY : Color.LIGHT_GRAY);
            ref.setLineStyle(e == 1 ? SeriesLines.DASH_DASH : SeriesLines.DOT_DOT);
        }
        for (var r : rows) {
            if (Double.isFinite(r.tcMedian()) && r.tcMedian() > 0) annotate(c, String.format(Locale.ROOT, "p=%s", Summary.num(r.p())), r.factor(), r.tcMedian() * 1.25);
        }
        return c;
    }

    // ---------------------------------------------------------------- grokking

    /**
     * One grid point of a finite-sample sweep: the first curve step with 100% train accuracy (on the training set's
     * own labels) and with 100% test accuracy (t_c, on the fresh eval set), their gap, and the final accuracies.
     * The first is read from the thinned curve (≤ 24 log-spaced points per decade: ≈ 10% resolution).
     */
    public record GrokRow(SweepSpec.Point point, int runs, int trainFit, double tTrainMedian, int testSolved, double tTestMedian,
                          double gapMedian, double finalTrainMedian, double finalTestMedian) {}

    public static List<GrokRow> grokking(SweepSpec spec, Map<Records.Key, Map<String, Object>> records) {
        List<GrokRow> out = new ArrayList<>();
        for (var pt : spec.points()) {
            List<Double> tTrain = new ArrayList<>(), tTest = new ArrayList<>(), gap = new ArrayList<>(), fTrain = new ArrayList<>(),
                    fTest = new ArrayList<>();
            int fit = 0, solved = 0;
            var rs = runs(spec, records, pt);
            for (var r : rs) {
                double a = firstStepAtLeast(r, "train_accuracy", 1.0);
                double b = tc(r);
                if (Double.isFinite(a)) fit++;
                if (Double.isFinite(b)) solved++;
                tTrain.add(a);
                tTest.add(b);
                if (Double.isFinite(a) && Double.isFinite(b)) gap.add(b - a);
                if (r.get("final_train_accuracy") instanceof Number x) fTrain.add(x.doubleValue());
                if (r.get("final_eval_accuracy") instanceof Number x) fTest.add(x.doubleValue());
            }
            out.add(new GrokRow(pt, rs.size(), fit, Summary.quantile(tTrain, 0.5), solved, Summary.quantile(tTest, 0.5),
                    Summary.quantile(gap, 0.5), Summary.quantile(fTrain, 0.5), Summary.quantile(fTest, 0.5)));
        }
        return out;
    }

    public static String grokkingCsv(SweepSpec spec, List<GrokRow> rows) {
        List<String> header = new ArrayList<>(List.of("config_index"));
        header.addAll(spec.gridAxes());
        header.addAll(List.of("runs", "train_fit", "t_train_median", "test_solved", "t_test_median", "gap_median", "final_train_accuracy_median",
                "final_test_accuracy_median"));
        List<List<String>> out = new ArrayList<>();
        for (var r : rows) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(r.point().index())));
            for (String a : spec.gridAxes()) row.add(String.valueOf(Summary.axisValue(r.point(), a)));
            row.addAll(List.of(String.valueOf(r.runs()), String.valueOf(r.trainFit()), Summary.num(r.tTrainMedian()), String.valueOf(r.testSolved()),
                    Summary.num(r.tTestMedian()), Summary.num(r.gapMedian()), Summary.num(r.finalTrainMedian()), Summary.num(r.finalTestMedian())));
            out.add(row);
        }
        return Csv.write(header, out);
    }

    /** Train and test accuracy (median and IQR over seeds) vs step for one grid point. */
    static XYChart grokkingChart(SweepSpec spec, Map<Records.Key, Map<String, Object>> records, SweepSpec.Point pt) {
        XYChart c = SweepPlots.curves(spec, records, List.of(pt), "train_accuracy", null, null);
        XYChart test = SweepPlots.curves(spec, records, List.of(pt), "eval_accuracy", null, null);
        XYChart out = new XYChartBuilder().width(900).height(560)
                .title(spec.name() + " " + pt.label() + ": train vs test accuracy (median, IQR)")
                .xAxisTitle("step").yAxisTitle("accuracy").build();
        out.getStyler().setXAxisLogarithmic(true);
        copy(c, out, "train accuracy", SweepPlots.PALETTE[1]);
        copy(test, out, "test accuracy (fresh samples)", SweepPlots.PALETTE[0]);
        return out;
    }

    private static void copy(XYChart from, XYChart to, String label, Color col) {
        for (XYSeries s : from.getSeriesMap().values()) {
            boolean band = s.getXYSeriesRenderStyle() == XYSeries.XYSeriesRenderStyle.PolygonArea;
            XYSeries t = to.addSeries((band ? label + " IQR" : label), s.getXData(), s.getYData());
            t.setMarker(SeriesMarkers.NONE);
            if (band) {
                t.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                t.setFillColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 50));
                t.setLineColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 0));
                t.setShowInLegend(false);
            } else {
                t.setLineColor(col);
                t.setLineStyle(SeriesLines.SOLID);
            }
        }
    }

    // ---------------------------------------------------------------- leap

    /**
     * One (target, d): online samples to solve = t_c·B over seeds (∞ when unsolved), the local slope
     * d log samples / d log d from the previous d of the same target (NaN for the first), the target's
     * least-squares slope over all its d with a finite median, and the conjectured exponent max(Leap−1, 1).
     */
    public record LeapRow(String task, int leap, int d, int runs, int solved, double samplesMedian, double samplesQ1,
                          double samplesQ3, double localSlope, double fittedSlope, int predictedExponent) {}

    /** Leap of a {@code monomials:…} task value (−1 when it is not one). */
    public static int leapOf(String task, int n) {
        if (!task.startsWith("monomials:")) return -1;
        return Monomials.parse(task.substring("monomials:".length()), n).leap();
    }

    public static List<LeapRow> leap(SweepSpec spec, Map<Records.Key, Map<String, Object>> records) {
        Map<String, List<double[]>> byTask = new LinkedHashMap<>();   // task -> [d, runs, solved, med, q1, q3]
        for (var pt : spec.points()) {
            String task = String.valueOf(Summary.axisValue(pt, "target"));
            int d = ((Number) Summary.axisValue(pt, "n")).intValue();
            int batch = ((Number) Summary.axisValue(pt, "batch")).intValue();
            List<Double> samples = new ArrayList<>();
            int solved = 0;
            for (var r : runs(spec, records, pt)) {
                double t = tc(r);
                if (Double.isFinite(t)) solved++;
                samples.add(t * batch);
            }
            byTask.computeIfAbsent(task, k -> new ArrayList<>()).add(new double[] {d, samples.size(), solved,
                    Summary.quantile(samples, 0.5), Summary.quantile(samples, 0.25), Summary.quantile(samples, 0.75)});
        }
        List<LeapRow> out = new ArrayList<>();
        for (var e : byTask.entrySet()) {
            List<double[]> pts = e.getValue();
            pts.sort((a, b) -> Double.compare(a[0], b[0]));
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (double[] p : pts) {
                if (Double.isFinite(p[3]) && p[3] > 0) {
                    xs.add(p[0]);
                    ys.add(p[3]);
                }
            }
            double fitted = xs.size() >= 2 ? SweepPlots.slope(xs, ys) : Double.NaN;
            int leap = leapOf(e.getKey(), (int) pts.getLast()[0]);
            for (int i = 0; i < pts.size(); i++) {
                double[] p = pts.get(i);
                double local = i == 0 ? Double.NaN : localSlope(pts.get(i - 1)[0], pts.get(i - 1)[3], p[0], p[3]);
                out.add(new LeapRow(e.getKey(), leap, (int) p[0], (int) p[1], (int) p[2], p[3], p[4], p[5], local, fitted,
                        leap < 0 ? -1 : Math.max(leap - 1, 1)));
            }
        }
        return out;
    }

    /** log(y1/y0) / log(x1/x0), NaN unless all four are finite and positive. */
    public static double localSlope(double x0, double y0, double x1, double y1) {
        if (!(x0 > 0 && y0 > 0 && x1 > 0 && y1 > 0) || !Double.isFinite(y0) || !Double.isFinite(y1) || x0 == x1) return Double.NaN;
        return Math.log(y1 / y0) / Math.log(x1 / x0);
    }

    public static String leapCsv(List<LeapRow> rows) {
        List<List<String>> out = new ArrayList<>();
        for (var r : rows) {
            out.add(List.of(r.task(), String.valueOf(r.leap()), String.valueOf(r.d()), String.valueOf(r.runs()), String.valueOf(r.solved()),
                    Summary.num(r.samplesMedian()), Summary.num(r.samplesQ1()), Summary.num(r.samplesQ3()), slope(r.localSlope()),
                    slope(r.fittedSlope()), String.valueOf(r.predictedExponent())));
        }
        return Csv.write(List.of("target", "leap", "d", "runs", "solved", "samples_median", "samples_q1", "samples_q3", "local_slope", "fitted_slope",
                "conjectured_exponent"), out);
    }

    private static String slope(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "";
    }

    static XYChart leapChart(SweepSpec spec, List<LeapRow> rows) {
        XYChart c = new XYChartBuilder().width(1000).height(600)
                .title(spec.name() + ": samples t_c*B to MSE < " + Summary.num(spec.points().getFirst().config().setup().targetMse())
                        + " Var (median, IQR, " + spec.seeds().size() + " seeds)")
                .xAxisTitle("d").yAxisTitle("samples (t_c x B)").build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        Map<String, List<LeapRow>> byTask = new LinkedHashMap<>();
        for (var r : rows) byTask.computeIfAbsent(r.task(), k -> new ArrayList<>()).add(r);
        int color = 0;
        for (var e : byTask.entrySet()) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>(), lo = new ArrayList<>(), hi = new ArrayList<>();
            LeapRow first = e.getValue().getFirst();
            for (var r : e.getValue()) {
                if (!Double.isFinite(r.samplesMedian()) || !(r.samplesMedian() > 0)) continue;
                xs.add((double) r.d());
                ys.add(r.samplesMedian());
                lo.add(r.samplesQ1());
                hi.add(Double.isFinite(r.samplesQ3()) ? r.samplesQ3() : r.samplesMedian());
            }
            Color col = SweepPlots.PALETTE[color++ % SweepPlots.PALETTE.length];
            if (xs.isEmpty()) continue;
            String name = String.format(Locale.ROOT, "Leap %d: %s, slope %s (conjecture %d)", first.leap(),
                    e.getKey().replace("monomials:", ""), slope(first.fittedSlope()), first.predictedExponent());
            SweepPlots.medianWithBand(c, name, xs, ys, lo, hi, col);
            for (int i = 1; i < xs.size(); i++) {
                double local = localSlope(xs.get(i - 1), ys.get(i - 1), xs.get(i), ys.get(i));
                // local slope at the segment's middle, above the line for even series and below for odd ones
                annotate(c, String.format(Locale.ROOT, "%.2f", local), Math.sqrt(xs.get(i - 1) * xs.get(i)),
                        Math.sqrt(ys.get(i - 1) * ys.get(i)) * (color % 2 == 1 ? 1.3 : 1 / 1.3));
            }
        }
        if (c.getSeriesMap().isEmpty()) c.addSeries("no point solved in more than half its seeds", List.of(1.0), List.of(1.0)).setMarker(SeriesMarkers.NONE);
        return c;
    }

    // ---------------------------------------------------------------- shared

    /** Writes the kind's charts under {@code dir/plots}; the CSVs are written by the caller. */
    public static List<Path> noisyPlots(Path dir, SweepSpec spec, List<NoisyRow> rows) throws IOException {
        Figure f = new Figure(noisyChart(spec, rows)).subtitle(SharedSettings.of(spec));
        return List.of(SweepPlots.save(f, dir.resolve("plots").resolve("noisy-t_c-vs-noise.png")));
    }

    public static List<Path> grokkingPlots(Path dir, SweepSpec spec, Map<Records.Key, Map<String, Object>> records) throws IOException {
        List<Path> out = new ArrayList<>();
        for (var pt : spec.points()) {
            StringBuilder suffix = new StringBuilder();
            pt.values().forEach((k, v) -> suffix.append('-').append(k).append('=').append(SweepPlots.fileSafe(v)));
            Figure f = new Figure(grokkingChart(spec, records, pt)).subtitle(SharedSettings.of(spec));
            out.add(SweepPlots.save(f, dir.resolve("plots").resolve("grokking" + suffix + ".png")));
        }
        return out;
    }

    public static List<Path> leapPlots(Path dir, SweepSpec spec, List<LeapRow> rows) throws IOException {
        List<Double> ds = rows.stream().map(r -> (double) r.d()).toList();
        Figure f = new Figure(leapChart(spec, rows)).subtitle(SharedSettings.of(spec)).labelXAt(ds);
        return List.of(SweepPlots.save(f, dir.resolve("plots").resolve("leap-samples-vs-d.png")));
    }

    /** A label at (x, y), with an invisible point there so that the axes' limits make room for it. */
    private static void annotate(XYChart c, String text, double x, double y) {
        AnnotationText a = new AnnotationText(text, x, y, false);
        c.addAnnotation(a);
        XYSeries room = c.addSeries("label " + text + " at " + x + "," + y, List.of(x), List.of(y));
        room.setMarker(SeriesMarkers.NONE);
        room.setLineColor(new Color(0, 0, 0, 0));
        room.setShowInLegend(false);
        c.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        c.getStyler().setAnnotationTextFontColor(Color.DARK_GRAY);
    }

    private static List<Map<String, Object>> runs(SweepSpec spec, Map<Records.Key, Map<String, Object>> records, SweepSpec.Point pt) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (long seed : spec.seeds()) {
            var r = records.get(new Records.Key(pt.index(), seed));
            if (r != null) out.add(r);
        }
        return out;
    }

    /** t_c of a record, +∞ when it did not solve. */
    static double tc(Map<String, Object> r) {
        return Boolean.TRUE.equals(r.get("solved")) && r.get("t_c") instanceof Number t ? t.doubleValue() : Double.POSITIVE_INFINITY;
    }

    /** The first curve step whose {@code metric} is ≥ {@code level}, or +∞. */
    static double firstStepAtLeast(Map<String, Object> r, String metric, double level) {
        if (!(r.get("curve") instanceof Map<?, ?> curve) || !(curve.get(metric) instanceof List<?> vals)) return Double.POSITIVE_INFINITY;
        List<?> steps = (List<?>) curve.get("step");
        for (int i = 0; i < Math.min(steps.size(), vals.size()); i++) {
            if (vals.get(i) instanceof Number v && v.doubleValue() >= level) return ((Number) steps.get(i)).doubleValue();
        }
        return Double.POSITIVE_INFINITY;
    }
}

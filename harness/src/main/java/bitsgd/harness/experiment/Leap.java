package bitsgd.harness.experiment;

import bitsgd.harness.io.Csv;
import bitsgd.harness.plot.Figure;
import bitsgd.harness.plot.SharedSettings;
import bitsgd.harness.plot.SweepPlots;
import bitsgd.harness.sweep.Records;
import bitsgd.harness.sweep.Summary;
import bitsgd.harness.sweep.SweepSpec;
import bitsgd.harness.task.Monomials;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Abbe et al. 2023 leap targets (docs/protocols.md §C): online samples t_c·B vs d per target (log-log) with the local
 * slope between neighbouring d, the least-squares slope and the conjectured exponent max(Leap−1, 1), in
 * {@code leap.csv} and {@code plots/leap-samples-vs-d.png}.
 */
final class Leap extends SweepExperiment {
    static final String CSV = "leap.csv", PNG = "leap-samples-vs-d.png";

    /** The three Leap targets, as {@code target} values. */
    static final String LEAP1 = "monomials:x1+x1*x2+x1*x2*x3", LEAP2 = "monomials:x1+x1*x2*x3", LEAP3 = "monomials:x1+x1*x2*x3*x4";

    Leap() {
        super("leap",
                "Leap 1/2/3 targets (Abbe et al. 2023): d in {25,50,100,200,400}, 2-layer ReLU width 128, online B = 16, lr 0.05, square loss; samples until eval MSE < 5% of Var; 5 seeds",
                """
                {"name": "leap",
                 "description": "Abbe et al. 2023 leap complexity: samples (t_c x B) to eval MSE <= 0.05 Var(h*) for x1+x1x2+x1x2x3 (Leap 1), x1+x1x2x3 (Leap 2), x1+x1x2x3x4 (Leap 3); conjecture: ~ d^max(Leap-1,1)",
                 "fixed": {"k": 3, "width": 128, "batch": 16, "lr": 0.05, "loss": "square", "target_mse": 0.05,
                           "eval_every": 20, "eval_samples": 4096},
                 "grid": {"target": ["%s", "%s", "%s"], "n": [25, 50, 100, 200, 400]},
                 "seeds": 5,
                 "budget": 1000000}
                """.formatted(LEAP1, LEAP2, LEAP3),
                """
                {"name": "leap-quick",
                 "fixed": {"k": 3, "width": 128, "batch": 16, "lr": 0.05, "loss": "square", "target_mse": 0.05,
                           "eval_every": 20, "eval_samples": 2048},
                 "grid": {"target": ["%s", "%s", "%s"], "n": [25, 50, 100]},
                 "seeds": 2,
                 "budget": 100000}
                """.formatted(LEAP1, LEAP2, LEAP3));
    }

    @Override
    protected String x() {
        return "n";
    }

    @Override
    protected String line() {
        return "target";
    }

    @Override
    protected String panel() {
        return "target";
    }

    @Override
    protected List<String> curveMetrics() {
        return List.of("eval_mse", "loss");
    }

    @Override
    protected Map<String, List<String>> tableColumns() {
        return Map.of(CSV, List.of("target", "leap", "d", "samples_median", "local_slope", "fitted_slope", "conjectured_exponent"));
    }

    @Override
    protected List<String> extraPngs(SweepSpec spec) {
        return List.of(PNG);
    }

    @Override
    protected Tables tables(SweepSpec spec, Map<Records.Key, Map<String, Object>> records, List<Summary.Row> summary, Path dir)
            throws IOException {
        List<Row> rows = rows(spec, records);
        List<Double> ds = rows.stream().map(r -> (double) r.d()).toList();
        Figure f = new Figure(chart(spec, rows)).subtitle(SharedSettings.of(spec)).labelXAt(ds);
        return new Tables(Map.of(CSV, csv(rows)), List.of(SweepPlots.save(f, dir.resolve("plots").resolve(PNG))));
    }

    /**
     * One (target, d): online samples to solve = t_c·B over seeds (∞ when unsolved), the local slope
     * d log samples / d log d from the previous d of the same target (NaN for the first), the target's
     * least-squares slope over all its d with a finite median, and the conjectured exponent max(Leap−1, 1).
     */
    record Row(String task, int leap, int d, int runs, int solved, double samplesMedian, double samplesQ1, double samplesQ3,
               double localSlope, double fittedSlope, int predictedExponent) {}

    /** Leap of a {@code monomials:…} task value (−1 when it is not one). */
    static int leapOf(String task, int n) {
        if (!task.startsWith("monomials:")) return -1;
        return Monomials.parse(task.substring("monomials:".length()), n).leap();
    }

    static List<Row> rows(SweepSpec spec, Map<Records.Key, Map<String, Object>> records) {
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
        List<Row> out = new ArrayList<>();
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
                out.add(new Row(e.getKey(), leap, (int) p[0], (int) p[1], (int) p[2], p[3], p[4], p[5], local, fitted,
                        leap < 0 ? -1 : Math.max(leap - 1, 1)));
            }
        }
        return out;
    }

    /** log(y1/y0) / log(x1/x0), NaN unless all four are finite and positive. */
    static double localSlope(double x0, double y0, double x1, double y1) {
        if (!(x0 > 0 && y0 > 0 && x1 > 0 && y1 > 0) || !Double.isFinite(y0) || !Double.isFinite(y1) || x0 == x1) return Double.NaN;
        return Math.log(y1 / y0) / Math.log(x1 / x0);
    }

    static String csv(List<Row> rows) {
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

    static XYChart chart(SweepSpec spec, List<Row> rows) {
        XYChart c = new XYChartBuilder().width(1000).height(600)
                .title(spec.name() + ": samples t_c*B to MSE < " + Summary.num(spec.points().getFirst().config().setup().targetMse())
                        + " Var (median, IQR, " + spec.seeds().size() + " seeds)")
                .xAxisTitle("d").yAxisTitle("samples (t_c x B)").build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        Map<String, List<Row>> byTask = new LinkedHashMap<>();
        for (var r : rows) byTask.computeIfAbsent(r.task(), k -> new ArrayList<>()).add(r);
        int color = 0;
        for (var e : byTask.entrySet()) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>(), lo = new ArrayList<>(), hi = new ArrayList<>();
            Row first = e.getValue().getFirst();
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
                SweepPlots.annotate(c, String.format(Locale.ROOT, "%.2f", local), Math.sqrt(xs.get(i - 1) * xs.get(i)),
                        Math.sqrt(ys.get(i - 1) * ys.get(i)) * (color % 2 == 1 ? 1.3 : 1 / 1.3));
            }
        }
        if (c.getSeriesMap().isEmpty()) c.addSeries("no point solved in more than half its seeds", List.of(1.0), List.of(1.0)).setMarker(SeriesMarkers.NONE);
        return c;
    }
}

package bitsgd.harness.experiment;

import bitsgd.harness.io.Csv;
import bitsgd.harness.plot.Figure;
import bitsgd.harness.plot.SharedSettings;
import bitsgd.harness.plot.SweepPlots;
import bitsgd.harness.sweep.Records;
import bitsgd.harness.sweep.Summary;
import bitsgd.harness.sweep.SweepSpec;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Barak et al. 2022 finite-sample parity at (40, 3), with and without weight decay: train vs test accuracy per grid
 * point ({@code plots/grokking-wd=….png}) and the step each first reaches 100% ({@code grokking.csv}).
 */
final class Grokking extends SweepExperiment {
    static final String CSV = "grokking.csv";

    Grokking() {
        super("grokking",
                "Finite sample (40,3), m = 1000 cycled, ReLU width 1000, B = 32, lr 0.1, weight decay 0.01 vs 0: train vs test accuracy; 25 seeds, 2e4 steps each",
                """
                {"name": "grokking",
                 "description": "Barak et al. finite-sample parity: m = 1000 fixed samples, multi-pass, weight decay; train accuracy (its own labels) vs test accuracy (8192 fresh samples) over all 2e4 steps",
                 "fixed": {"n": 40, "k": 3, "width": 1000, "batch": 32, "lr": 0.1, "loss": "hinge", "train_size": 1000,
                           "eval_every": 100, "eval_samples": 8192, "stop_on_solve": false},
                 "grid": {"wd": [0.01, 0]},
                 "seeds": 25,
                 "budget": 20000}
                """,
                """
                {"name": "grokking-quick",
                 "fixed": {"n": 20, "k": 3, "width": 100, "batch": 32, "lr": 0.1, "loss": "hinge", "train_size": 300,
                           "eval_every": 50, "eval_samples": 2048, "stop_on_solve": false},
                 "grid": {"wd": [0.01, 0]},
                 "seeds": 2,
                 "budget": 3000}
                """);
    }

    @Override
    protected String x() {
        return "wd";
    }

    @Override
    protected String panel() {
        return "wd";
    }

    @Override
    protected boolean scalingChart() {
        return false;
    }

    @Override
    protected List<String> curveMetrics() {
        return List.of("eval_accuracy", "train_accuracy", "loss");
    }

    @Override
    protected Map<String, List<String>> tableColumns() {
        return Map.of(CSV, List.of("config_index", "runs", "train_fit", "t_train_median", "test_solved", "t_test_median", "gap_median"));
    }

    @Override
    protected List<String> extraPngs(SweepSpec spec) {
        return spec.points().stream().map(Grokking::pngName).toList();
    }

    private static String pngName(SweepSpec.Point pt) {
        StringBuilder suffix = new StringBuilder();
        pt.values().forEach((k, v) -> suffix.append('-').append(k).append('=').append(SweepPlots.fileSafe(v)));
        return "grokking" + suffix + ".png";
    }

    @Override
    protected Tables tables(SweepSpec spec, Map<Records.Key, Map<String, Object>> records, List<Summary.Row> summary, Path dir)
            throws IOException {
        List<Path> pngs = new ArrayList<>();
        for (var pt : spec.points()) {
            Figure f = new Figure(chart(spec, records, pt)).subtitle(SharedSettings.of(spec));
            pngs.add(SweepPlots.save(f, dir.resolve("plots").resolve(pngName(pt))));
        }
        return new Tables(Map.of(CSV, csv(spec, rows(spec, records))), pngs);
    }

    /** Per grid point, the step each seed first fits its training set (100% train accuracy), at the curve's resolution. */
    @Override
    protected List<Measure> extraMeasures(SweepSpec spec, Map<Records.Key, Map<String, Object>> records) {
        List<Measure> out = new ArrayList<>();
        for (var pt : spec.points()) {
            List<Double> fit = new ArrayList<>();
            for (var r : runs(spec, records, pt)) fit.add(firstStepAtLeast(r, "train_accuracy", 1.0));
            double median = Summary.quantile(fit, 0.5);
            // the thinned curve keeps ≈ 10% resolution
            double resolution = Math.max(pt.config().evalEvery(), Double.isFinite(median) ? 0.1 * median : 0);
            out.add(new Measure("t_train " + pt.label(), Measure.Scale.LOG, fit, resolution));
        }
        return out;
    }

    /**
     * One grid point of a finite-sample sweep: the first curve step with 100% train accuracy (on the training set's
     * own labels) and with 100% test accuracy (t_c, on the fresh eval set), their gap, and the final accuracies.
     * The first is read from the thinned curve (≤ 24 log-spaced points per decade: ≈ 10% resolution).
     */
    record Row(SweepSpec.Point point, int runs, int trainFit, double tTrainMedian, int testSolved, double tTestMedian, double gapMedian,
               double finalTrainMedian, double finalTestMedian) {}

    static List<Row> rows(SweepSpec spec, Map<Records.Key, Map<String, Object>> records) {
        List<Row> out = new ArrayList<>();
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
            out.add(new Row(pt, rs.size(), fit, Summary.quantile(tTrain, 0.5), solved, Summary.quantile(tTest, 0.5),
                    Summary.quantile(gap, 0.5), Summary.quantile(fTrain, 0.5), Summary.quantile(fTest, 0.5)));
        }
        return out;
    }

    static String csv(SweepSpec spec, List<Row> rows) {
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
    static XYChart chart(SweepSpec spec, Map<Records.Key, Map<String, Object>> records, SweepSpec.Point pt) {
        XYChart train = SweepPlots.curves(spec, records, List.of(pt), "train_accuracy", null, null);
        XYChart test = SweepPlots.curves(spec, records, List.of(pt), "eval_accuracy", null, null);
        XYChart out = new XYChartBuilder().width(900).height(560)
                .title(spec.name() + " " + pt.label() + ": train vs test accuracy (median, IQR)")
                .xAxisTitle("step").yAxisTitle("accuracy").build();
        out.getStyler().setXAxisLogarithmic(true);
        copy(train, out, "train accuracy", SweepPlots.PALETTE[1]);
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

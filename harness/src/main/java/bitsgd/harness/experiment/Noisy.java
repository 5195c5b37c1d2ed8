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
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Barak et al. 2022 noisy sparse parity at (50, 3): t_c vs the label-flip rate p, and vs the noise factor 1/(1−2p)²
 * (log-log, fitted slope) in {@code noisy.csv} and {@code plots/noisy-t_c-vs-noise.png}.
 */
final class Noisy extends SweepExperiment {
    static final String CSV = "noisy.csv", PNG = "noisy-t_c-vs-noise.png";

    Noisy() {
        super("noisy",
                "Noisy parity (50,3): label-flip rate p in {0,0.1,0.2,0.3,0.4,0.45}, accuracy on clean labels; ReLU width 1000, B = 32, lr 0.1, hinge; 25 seeds, budget 3e5",
                """
                {"name": "noisy",
                 "description": "Barak et al. noisy sparse parity: each training label flipped with probability p; t_c = first check with 100% accuracy on 8192 clean eval samples",
                 "fixed": {"n": 50, "k": 3, "width": 1000, "batch": 32, "lr": 0.1, "loss": "hinge", "eval_every": 100, "eval_samples": 8192},
                 "grid": {"label_noise": [0, 0.1, 0.2, 0.3, 0.4, 0.45]},
                 "seeds": 25,
                 "budget": 300000}
                """,
                """
                {"name": "noisy-quick",
                 "fixed": {"n": 20, "k": 3, "width": 100, "batch": 32, "lr": 0.1, "loss": "hinge", "eval_every": 50, "eval_samples": 8192},
                 "grid": {"label_noise": [0, 0.2, 0.4]},
                 "seeds": 3,
                 "budget": 20000}
                """);
    }

    @Override
    protected String x() {
        return "label_noise";
    }

    @Override
    protected boolean scalingChart() {
        return false;
    }

    @Override
    protected Map<String, List<String>> tableColumns() {
        return Map.of(CSV, List.of("label_noise", "noise_factor", "runs", "solved", "t_c_median"));
    }

    @Override
    protected List<String> extraPngs(SweepSpec spec) {
        return List.of(PNG);
    }

    @Override
    protected Tables tables(SweepSpec spec, Map<Records.Key, Map<String, Object>> records, List<Summary.Row> summary, Path dir)
            throws IOException {
        List<Row> rows = rows(spec, records);
        Figure f = new Figure(chart(spec, rows)).subtitle(SharedSettings.of(spec));
        return new Tables(Map.of(CSV, csv(rows)), List.of(SweepPlots.save(f, dir.resolve("plots").resolve(PNG))));
    }

    /** One flip rate: t_c over seeds (∞ when unsolved) and the final accuracy on clean labels. */
    record Row(double p, double factor, int runs, int solved, double tcMedian, double tcQ1, double tcQ3, double tcScaledMedian,
               double finalAccuracyMedian) {}

    /** 1/(1−2p)²: how much a label-flip rate p shrinks the label's correlation with χ_S, squared. */
    static double noiseFactor(double p) {
        return 1 / ((1 - 2 * p) * (1 - 2 * p));
    }

    static List<Row> rows(SweepSpec spec, Map<Records.Key, Map<String, Object>> records) {
        List<Row> out = new ArrayList<>();
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
            out.add(new Row(p, noiseFactor(p), tc.size(), solved, Summary.quantile(tc, 0.5), Summary.quantile(tc, 0.25),
                    Summary.quantile(tc, 0.75), Summary.quantile(scaled, 0.5), Summary.quantile(acc, 0.5)));
        }
        return out;
    }

    static String csv(List<Row> rows) {
        List<List<String>> out = new ArrayList<>();
        for (var r : rows) {
            out.add(List.of(Summary.num(r.p()), Summary.num(r.factor()), String.valueOf(r.runs()), String.valueOf(r.solved()),
                    Summary.num(r.tcMedian()), Summary.num(r.tcQ1()), Summary.num(r.tcQ3()), Summary.num(r.tcScaledMedian()),
                    Summary.num(r.finalAccuracyMedian())));
        }
        return Csv.write(List.of("label_noise", "noise_factor", "runs", "solved", "t_c_median", "t_c_q1", "t_c_q3", "t_c_over_factor_median",
                "final_clean_accuracy_median"), out);
    }

    static XYChart chart(SweepSpec spec, List<Row> rows) {
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
        if (xs.isEmpty()) {
            c.addSeries("no flip rate solved in more than half its seeds", List.of(1.0), List.of(1.0)).setMarker(SeriesMarkers.NONE);
            return c;
        }
        String name = "median t_c" + (xs.size() >= 2 ? String.format(Locale.ROOT, ", slope %.2f", SweepPlots.slope(xs, ys)) : "");
        SweepPlots.medianWithBand(c, name, xs, ys, lo, hi, SweepPlots.PALETTE[0]);
        // references through the first point: t_c ∝ 1/(1−2p)² (the samples a noisy correlation needs) and ∝ 1/(1−2p) (the drift shrinks by 1−2p)
        for (double e : new double[] {1, 0.5}) {
            XYSeries ref = c.addSeries(e == 1 ? "slope 1: t_c ~ 1/(1-2p)^2" : "slope 1/2: t_c ~ 1/(1-2p)", List.of(xs.getFirst(), xs.getLast()),
                    List.of(ys.getFirst(), ys.getFirst() * Math.pow(xs.getLast() / xs.getFirst(), e)));
            ref.setMarker(SeriesMarkers.NONE);
            ref.setLineColor(e == 1 ? Color.GRAY : Color.LIGHT_GRAY);
            ref.setLineStyle(e == 1 ? SeriesLines.DASH_DASH : SeriesLines.DOT_DOT);
        }
        for (var r : rows) {
            if (Double.isFinite(r.tcMedian()) && r.tcMedian() > 0) {
                SweepPlots.annotate(c, String.format(Locale.ROOT, "p=%s", Summary.num(r.p())), r.factor(), r.tcMedian() * 1.25);
            }
        }
        return c;
    }
}

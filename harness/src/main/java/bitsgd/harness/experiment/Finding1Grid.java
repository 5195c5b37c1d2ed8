package bitsgd.harness.experiment;

import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.plot.Figure;
import bitsgd.harness.plot.SharedSettings;
import bitsgd.harness.plot.SweepPlots;
import bitsgd.harness.sweep.Records;
import bitsgd.harness.sweep.Summary;
import bitsgd.harness.sweep.SweepSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/**
 * Barak et al. 2022, Finding 1 beyond one setting: the ReLU MLP at (n, k) = (20, 3) over batch size, init, loss and
 * η — the paper's grid cut to what two cores run in minutes. docs/specs/finding1-paper-grid.json is the paper's
 * whole grid, for a cluster (docs/results.md gives the Slurm recipe).
 */
final class Finding1Grid extends SweepExperiment {
    Finding1Grid() {
        super("finding1-grid",
                "Finding 1 over B in {1,4,16,64,256,1024} x init {uniform,gaussian,bernoulli} x loss {hinge,square,logistic} x lr {0.01,0.1,1} at (20,3), ReLU width 1000, 5 seeds, budget 1e5",
                """
                {"name": "finding1-grid",
                 "description": "Barak et al. Finding 1 for the 2-layer ReLU MLP (width 1000) at (n,k) = (20,3) over batch size, init, loss and lr; success = >= 20% of seeds converge for at least one lr",
                 "fixed": {"n": 20, "k": 3, "width": 1000, "eval_every": 10, "eval_samples": 8192},
                 "grid": {"batch": [1, 4, 16, 64, 256, 1024], "init": ["uniform", "gaussian", "bernoulli"], "loss": ["hinge", "square", "logistic"],
                          "lr": [0.01, 0.1, 1]},
                 "seeds": 5,
                 "budget": 100000}
                """,
                """
                {"name": "finding1-grid-quick",
                 "fixed": {"n": 10, "k": 2, "width": 100, "eval_every": 10, "eval_samples": 2048},
                 "grid": {"batch": [4, 64], "init": ["uniform", "bernoulli"], "loss": ["hinge", "logistic"], "lr": [0.1, 1]},
                 "seeds": 1,
                 "budget": 5000}
                """);
    }

    static final String PNG = "finding1-grid-best-lr.png";

    @Override
    protected String x() {
        return "batch";
    }

    @Override
    protected boolean scalingChart() {
        return false;   // 27 lines (init x loss x lr) on one chart: the best-lr panels below say it better
    }

    @Override
    protected List<String> curveMetrics() {
        return List.of();   // 162 grid points: one curve chart per panel would be unreadable
    }

    @Override
    protected List<String> extraPngs(SweepSpec spec) {
        return List.of(PNG);
    }

    /** Per init, the best lr's median t_c vs batch size, one line per loss (success.csv has the numbers). */
    @Override
    protected Tables tables(SweepSpec spec, Map<Records.Key, Map<String, Object>> records, List<Summary.Row> summary, Path dir)
            throws IOException {
        Map<Object, List<Summary.Row>> byInit = new LinkedHashMap<>();
        for (var r : summary) byInit.computeIfAbsent(Summary.axisValue(r.point(), "init"), k -> new ArrayList<>()).add(r);
        List<Figure> panels = new ArrayList<>();
        for (var e : byInit.entrySet()) {
            XYChart c = new XYChartBuilder().width(700).height(520)
                    .title("init " + e.getKey() + ": best-lr median t_c vs batch (" + spec.seeds().size() + " seeds)")
                    .xAxisTitle("batch size B").yAxisTitle("median t_c (steps), best lr").build();
            c.getStyler().setXAxisLogarithmic(true);
            c.getStyler().setYAxisLogarithmic(true);
            Map<Object, Map<Double, Double>> lines = new LinkedHashMap<>();   // loss -> batch -> best median t_c over lr
            for (var r : e.getValue()) {
                double b = ((Number) Summary.axisValue(r.point(), "batch")).doubleValue();
                lines.computeIfAbsent(Summary.axisValue(r.point(), "loss"), k -> new TreeMap<>()).merge(b, r.tcMedian(), Math::min);
            }
            int color = 0;
            for (var l : lines.entrySet()) {
                List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
                l.getValue().forEach((b, t) -> {
                    if (Double.isFinite(t) && t > 0) {
                        xs.add(b);
                        ys.add(t);
                    }
                });
                if (xs.isEmpty()) continue;
                XYSeries s = c.addSeries("loss " + l.getKey(), xs, ys);
                s.setLineColor(SweepPlots.PALETTE[color % SweepPlots.PALETTE.length]);
                s.setMarkerColor(SweepPlots.PALETTE[color++ % SweepPlots.PALETTE.length]);
            }
            if (c.getSeriesMap().isEmpty()) c.addSeries("no batch size solved", List.of(1.0), List.of(1.0));
            List<Double> batches = e.getValue().stream().map(r -> ((Number) Summary.axisValue(r.point(), "batch")).doubleValue()).distinct().toList();
            panels.add(new Figure(c).subtitle(SharedSettings.of(spec)).labelXAt(batches));
        }
        Path png = AtomicFiles.createDirectories(dir.resolve("plots")).resolve(PNG);
        AtomicFiles.write(png, Figure.tiled(panels, 3));
        return new Tables(Map.of(), List.of(png));
    }
}

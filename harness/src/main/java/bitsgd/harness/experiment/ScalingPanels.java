package bitsgd.harness.experiment;

import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.Csv;
import bitsgd.harness.plot.Figure;
import bitsgd.harness.plot.SweepPlots;
import bitsgd.harness.sweep.Summary;
import bitsgd.harness.sweep.SweepSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Barak et al. 2022 Figure 1b: the scaling curves (median t_c vs n for k = 2..5) of four architectures, each its own
 * sweep in {@code <dir>/<panel>}, drawn side by side in {@code plots/scaling-panels.png}. The ReLU panel is
 * {@link ScalingRelu100}; the other three run at the settings that make their curves here (docs/results.md).
 */
final class ScalingPanels extends NamedExperiment {
    static final String PNG = "scaling-panels.png";

    /** One panel: its sub-directory and its sweep. */
    record Panel(String dir, SweepExperiment sweep) {}

    static final String GRID = """
            "grid": {"k": [2, 3, 4, 5], "n": [10, 15, 20, 25, 30, 35, 40]}, "seeds": 25, "budget": 100000}""";

    final List<Panel> panels = List.of(
            new Panel("relu", new ScalingRelu100()),
            new Panel("zk", new ScalingSweep("scaling-zk",
                    "z^k MLP width 100 (degree k), lr 0.03 (the paper's 1 diverges), B 64",
                    """
                    {"name": "scaling-zk", "fixed": {"arch": "mlp", "activation": "pow", "width": 100, "batch": 64, "lr": 0.03,
                     "loss": "hinge", "eval_every": 10, "eval_samples": 8192},
                    """ + GRID,
                    """
                    {"name": "scaling-zk-quick", "fixed": {"arch": "mlp", "activation": "pow", "width": 100, "batch": 64, "lr": 0.03,
                     "loss": "hinge", "eval_every": 10, "eval_samples": 8192},
                     "grid": [{"n": [10], "k": [2]}, {"n": [20], "k": [3]}, {"n": [20], "k": [4]}], "seeds": 3, "budget": 20000}""")),
            new Panel("sine", new ScalingSweep("scaling-sine",
                    "single sine neuron f = sin(w.x + b), lr 0.02 at B 64 (the paper's lr/B)",
                    """
                    {"name": "scaling-sine", "fixed": {"arch": "neuron", "activation": "sin", "second_layer": false, "batch": 64, "lr": 0.02,
                     "loss": "hinge", "eval_every": 10, "eval_samples": 8192},
                    """ + GRID,
                    """
                    {"name": "scaling-sine-quick", "fixed": {"arch": "neuron", "activation": "sin", "second_layer": false, "batch": 64, "lr": 0.02,
                     "loss": "hinge", "eval_every": 10, "eval_samples": 8192},
                     "grid": [{"n": [10, 20], "k": [2]}, {"n": [20, 30], "k": [3]}], "seeds": 3, "budget": 20000}""")),
            new Panel("polynet", new ScalingSweep("scaling-polynet",
                    "PolyNet f = prod_i (w_i.x + b_i) over k factors, lr 0.05, B 64",
                    """
                    {"name": "scaling-polynet", "fixed": {"arch": "polynet", "batch": 64, "lr": 0.05, "loss": "hinge", "eval_every": 10,
                     "eval_samples": 8192},
                    """ + GRID,
                    """
                    {"name": "scaling-polynet-quick", "fixed": {"arch": "polynet", "batch": 64, "lr": 0.05, "loss": "hinge", "eval_every": 10,
                     "eval_samples": 8192},
                     "grid": [{"n": [10], "k": [2]}, {"n": [20], "k": [3]}, {"n": [30], "k": [4]}, {"n": [40], "k": [5]}], "seeds": 3,
                     "budget": 20000}""")));

    ScalingPanels() {
        super("scaling-panels",
                "Figure 1b: t_c vs n for k = 2..5, n = 10..40 of the ReLU-100 MLP, z^k-100 MLP, sine neuron and PolyNet side by side; B = 64, 25 seeds, budget 1e5");
    }

    @Override
    public void prepare(Variant v) {
        for (Panel p : panels) p.sweep().prepare(v);
    }

    /** Each panel's sweep with its tables and charts, then summary.csv over all panels and the four scaling charts side by side. */
    @Override
    public int run(Variant v, Path dir, Env env) throws Exception {
        int code = 0;
        List<Figure> figures = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (Panel p : panels) {
            Path sub = dir.resolve(p.dir());
            int c = p.sweep().run(v, sub, env);
            if (c != 0) code = c;
            SweepSpec spec = p.sweep().spec(v);
            var summary = Summary.of(sub);
            figures.add(SweepPlots.scaling(spec, summary, "n", "k"));
            for (var r : summary) {
                rows.add(List.of(p.dir(), String.valueOf(Summary.axisValue(r.point(), "k")), String.valueOf(Summary.axisValue(r.point(), "n")),
                        String.valueOf(r.runs()), String.valueOf(r.solved()), Summary.num(r.tcMedian()), Summary.num(r.tcQ1()), Summary.num(r.tcQ3())));
            }
        }
        String csv = Csv.write(SUMMARY_COLUMNS, rows);
        AtomicFiles.write(dir.resolve("summary.csv"), csv);
        Path png = AtomicFiles.createDirectories(dir.resolve("plots")).resolve(PNG);
        AtomicFiles.write(png, Figure.tiled(figures, 2));
        env.out().println("plot " + png);
        env.out().flush();
        return code;
    }

    static final List<String> SUMMARY_COLUMNS = List.of("panel", "k", "n", "runs", "solved", "t_c_median", "t_c_q1", "t_c_q3");

    @Override
    public String shapeSummary(Variant v) {
        return panels.size() + " sweeps with their own checks, summary.csv, " + PNG;
    }

    @Override
    public List<String> problems(Variant v, Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        int points = 0;
        for (Panel p : panels) {
            for (String problem : p.sweep().problems(v, dir.resolve(p.dir()))) out.add(p.dir() + "/" + problem);
            points += p.sweep().spec(v).points().size();
        }
        Shapes.csv(dir.resolve("summary.csv"), SUMMARY_COLUMNS, points, out);
        Shapes.png(dir.resolve("plots").resolve(PNG), "plots/" + PNG, out);
        return out;
    }

    /** Every panel's measures, named after their panel. */
    @Override
    public List<Measure> measures(Variant v, Path dir) throws IOException {
        List<Measure> out = new ArrayList<>();
        for (Panel p : panels) {
            for (Measure m : p.sweep().measures(v, dir.resolve(p.dir()))) {
                out.add(new Measure(p.dir() + ": " + m.name(), m.scale(), m.values(), m.granularity()));
            }
        }
        return out;
    }
}

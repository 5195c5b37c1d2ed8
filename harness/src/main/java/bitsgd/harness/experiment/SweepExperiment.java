package bitsgd.harness.experiment;

import bitsgd.harness.cli.SweepCommand;
import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.Csv;
import bitsgd.harness.io.Json;
import bitsgd.harness.plot.SweepPlots;
import bitsgd.harness.sweep.Records;
import bitsgd.harness.sweep.Shards;
import bitsgd.harness.sweep.Summary;
import bitsgd.harness.sweep.SweepRunner;
import bitsgd.harness.sweep.SweepSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An experiment that is one sweep (grid × seeds): it writes summary.csv, success.csv when the grid has an lr axis
 * (the paper's success criterion), the training curves and the t_c scaling chart, then what its subclass adds
 * ({@link #tables}). It is checked on each grid point's median t_c and share of seeds solved.
 */
public abstract class SweepExperiment extends NamedExperiment {
    private final String full, quick;

    /**
     * @param full  the spec JSON of the full experiment
     * @param quick a small variant; all quick variants together finish in well under a minute on 2 cores
     */
    protected SweepExperiment(String name, String description, String full, String quick) {
        super(name, description);
        this.full = full;
        this.quick = quick;
    }

    /** Scaling chart x axis. */
    protected abstract String x();

    /** Scaling chart: one line per value of this axis (null: one line). */
    protected String line() {
        return null;
    }

    /** Training-curve charts: one per value of this axis (null: k when the grid has it beside another axis, else one chart). */
    protected String panel() {
        return null;
    }

    /** Whether the t_c scaling chart is drawn. */
    protected boolean scalingChart() {
        return true;
    }

    /** The curve metrics charted per panel (none: no curve charts). */
    protected List<String> curveMetrics() {
        return List.of("eval_accuracy", "loss");
    }

    /** The experiment's own tables (written by the caller, printed) and plots. */
    protected record Tables(Map<String, String> csvs, List<Path> pngs) {
        static final Tables NONE = new Tables(Map.of(), List.of());
    }

    /**
     * Writes nothing by default; a subclass returns its CSVs by file name and writes its charts under {@code dir/plots}.
     * {@code rows} is summary.csv's content, already computed from {@code records}.
     */
    protected Tables tables(SweepSpec spec, Map<Records.Key, Map<String, Object>> records, List<Summary.Row> rows, Path dir) throws IOException {
        return Tables.NONE;
    }

    /** The experiment's own CSVs, for the shape check: file name → columns it must have (one row per grid point). */
    protected Map<String, List<String>> tableColumns() {
        return Map.of();
    }

    /** The experiment's own PNGs under {@code plots/}, for the shape check. */
    protected List<String> extraPngs(SweepSpec spec) {
        return List.of();
    }

    /** Measures beside each point's t_c and solved share. */
    protected List<Measure> extraMeasures(SweepSpec spec, Map<Records.Key, Map<String, Object>> records) {
        return List.of();
    }

    @Override
    public SweepSpec spec(Variant v) {
        SweepSpec s = SweepSpec.parse(v.quick() ? quick : full, v.name(name()));
        if (v.seeds() == null) return s;
        Map<String, Object> m = new LinkedHashMap<>(s.toMap());
        m.put("seeds", v.seeds());
        m.put("name", v.name(name()));
        return SweepSpec.parse(Json.line(m), null);
    }

    @Override
    public void prepare(Variant v) {
        spec(v).checkRunnable();
    }

    @Override
    public int run(Variant v, Path dir, Env env) throws Exception {
        SweepSpec s = spec(v);
        PrintWriter o = env.out();
        var opt = new SweepRunner.Options(env.threads(), Shards.Shard.ALL, env.progress(), System.getenv());
        o.printf("reproduce %s: %d grid points x %d seeds = %d runs -> %s%n", s.name(), s.points().size(), s.seeds().size(), s.runCount(), dir);
        o.flush();
        long t0 = System.nanoTime();
        var outcome = SweepRunner.run(s, dir, opt, env.err());
        int code = SweepCommand.report(o, s, dir, Shards.Shard.ALL, outcome, false);
        var records = Records.readAll(dir);
        var rows = Summary.of(s, records);
        AtomicFiles.write(dir.resolve("summary.csv"), Summary.csv(s, rows));
        o.print(Summary.table(s, rows));
        if (s.gridAxes().contains("lr")) {
            String best = bestOverLr(s, rows);
            AtomicFiles.write(dir.resolve("success.csv"), best);
            o.print(best);
        }
        List<Path> pngs = new ArrayList<>(SweepPlots.plot(dir, dir.resolve("plots"), panel(), x(), line(), scalingChart(),
                !curveMetrics().isEmpty()));
        Tables t = tables(s, records, rows, dir);
        for (var csv : t.csvs().entrySet()) {
            AtomicFiles.write(dir.resolve(csv.getKey()), csv.getValue());
            o.print(Summary.tableOf(csv.getValue()));
        }
        pngs.addAll(t.pngs());
        for (Path png : pngs) o.println("plot " + png);
        o.printf(Locale.ROOT, "reproduce %s: %.1f s in total (sweep %.1f s), summary %s%n", s.name(), (System.nanoTime() - t0) * 1e-9,
                outcome.wallSeconds(), dir.resolve("summary.csv"));
        o.flush();
        return code;
    }

    /**
     * The paper's success criterion: a configuration succeeds when at least 20% of its seeds converge
     * for at least one lr; the best lr is the one with the smallest median t_c.
     */
    static String bestOverLr(SweepSpec s, List<Summary.Row> rows) {
        List<String> others = new ArrayList<>(s.gridAxes());
        others.remove("lr");
        Map<List<String>, List<Summary.Row>> groups = new LinkedHashMap<>();
        for (var r : rows) {
            List<String> key = new ArrayList<>();
            for (String a : others) key.add(String.valueOf(Summary.axisValue(r.point(), a)));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<String> header = new ArrayList<>(others);
        header.addAll(List.of("success", "best_lr", "success_fraction", "t_c_median"));
        List<List<String>> out = new ArrayList<>();
        for (var e : groups.entrySet()) {
            Summary.Row best = null;
            boolean success = false;
            for (var r : e.getValue()) {
                if (r.successFraction() >= 0.2) success = true;
                if (best == null || r.tcMedian() < best.tcMedian()
                        || (r.tcMedian() == best.tcMedian() && r.successFraction() > best.successFraction())) best = r;
            }
            List<String> row = new ArrayList<>(e.getKey());
            row.addAll(List.of(String.valueOf(success), String.valueOf(Summary.axisValue(best.point(), "lr")), Summary.num(best.successFraction()),
                    Summary.num(best.tcMedian())));
            out.add(row);
        }
        return Csv.write(header, out);
    }

    @Override
    public String shapeSummary(Variant v) {
        SweepSpec s = spec(v);
        return String.format("%d grid points x %d seeds, summary.csv, %d PNGs", s.points().size(), s.seeds().size(), expectedPngs(s).size());
    }

    /**
     * Every run has a record, summary.csv has one row per grid point with the expected columns, the experiment's own
     * CSVs have theirs, and every expected PNG exists, is non-empty and starts with the PNG signature.
     */
    @Override
    public List<String> problems(Variant v, Path dir) throws IOException {
        SweepSpec spec = spec(v);
        List<String> out = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("config_index"));
        header.addAll(spec.gridAxes());
        header.addAll(Summary.STATISTICS);
        header.add("sweep");
        spec.fixed().keySet().forEach(axis -> header.add(axis.key()));
        List<List<String>> summary = Shapes.csv(dir.resolve("summary.csv"), header, spec.points().size(), out);
        if (summary != null) {
            int runsCol = header.indexOf("runs");
            for (var row : summary) {
                if (!row.get(runsCol).equals(String.valueOf(spec.seeds().size()))) {
                    out.add("summary.csv: config " + row.getFirst() + " has " + row.get(runsCol) + " runs, expected " + spec.seeds().size());
                }
            }
        }
        for (var t : tableColumns().entrySet()) Shapes.csv(dir.resolve(t.getKey()), t.getValue(), spec.points().size(), out);
        if (spec.gridAxes().contains("lr")) {
            List<String> others = new ArrayList<>(spec.gridAxes());
            others.remove("lr");
            Set<List<Object>> groups = new LinkedHashSet<>();
            for (var pt : spec.points()) {
                List<Object> key = new ArrayList<>();
                for (String a : others) key.add(Summary.axisValue(pt, a));
                groups.add(key);
            }
            Shapes.csv(dir.resolve("success.csv"), List.of("success", "best_lr", "success_fraction", "t_c_median"), groups.size(), out);
        }
        for (String png : expectedPngs(spec)) Shapes.png(dir.resolve("plots").resolve(png), "plots/" + png, out);
        return out;
    }

    /** The PNG file names the output must hold under {@code plots/}. */
    public List<String> expectedPngs(SweepSpec spec) {
        List<String> axes = spec.gridAxes();
        String panel = panel() != null ? panel() : axes.contains("k") && axes.size() > 1 ? "k" : null;
        Set<Object> panelValues = new LinkedHashSet<>();
        for (var pt : spec.points()) panelValues.add(panel == null ? "" : Summary.axisValue(pt, panel));
        List<String> out = new ArrayList<>();
        for (Object val : panelValues) for (String m : curveMetrics()) out.add(SweepPlots.curveFileName(m, panel, val));
        if (scalingChart()) out.add("scaling-t_c-vs-" + x() + ".png");
        out.addAll(extraPngs(spec));
        return out;
    }

    /** Per grid point: t_c over seeds (∞ unsolved, at the resolution of its checks) and the share of seeds solved. */
    @Override
    public List<Measure> measures(Variant v, Path dir) throws IOException {
        SweepSpec spec = spec(v);
        var records = Records.readAll(dir);
        List<Measure> out = new ArrayList<>();
        for (var pt : spec.points()) {
            List<Double> tc = new ArrayList<>();
            for (var r : runs(spec, records, pt)) tc.add(tc(r));
            String at = pt.label().isEmpty() ? "" : " " + pt.label();
            out.add(new Measure("t_c" + at, Measure.Scale.LOG, tc, pt.config().evalEvery()));
            out.add(Measure.solvedShare("solved" + at, tc));
        }
        out.addAll(extraMeasures(spec, records));
        return out;
    }

    /** The records of one grid point, in seed order (missing ones left out). */
    protected static List<Map<String, Object>> runs(SweepSpec spec, Map<Records.Key, Map<String, Object>> records, SweepSpec.Point pt) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (long seed : spec.seeds()) {
            var r = records.get(new Records.Key(pt.index(), seed));
            if (r != null) out.add(r);
        }
        return out;
    }

    /** t_c of a record, +∞ when it did not solve. */
    protected static double tc(Map<String, Object> r) {
        return Boolean.TRUE.equals(r.get("solved")) && r.get("t_c") instanceof Number t ? t.doubleValue() : Double.POSITIVE_INFINITY;
    }
}

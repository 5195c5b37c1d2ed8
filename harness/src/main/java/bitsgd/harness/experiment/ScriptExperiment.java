package bitsgd.harness.experiment;

import bitsgd.harness.UsageException;
import bitsgd.harness.cli.Main;
import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.Csv;
import bitsgd.harness.io.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * An experiment that is a handful of single runs and their charts rather than a grid: a fixed list of {@code bitsgd}
 * command lines run in-process, in order, each {@code train} into its own sub-directory named {@code <run>-seed<s>},
 * then {@code summary.csv} with one row per run (from its result.json). It is checked on each run's t_c and share of
 * seeds solved over the seeds, plus what the subclass adds ({@link #extraMeasures}).
 */
public abstract class ScriptExperiment extends NamedExperiment {
    /** summary.csv's columns: the run's directory name, its task, then result.json's fields of these names. */
    static final List<String> SUMMARY_COLUMNS = List.of("run", "target", "solved", "t_c", "steps", "final_eval_accuracy", "final_eval_mse",
            "final_train_accuracy", "final_rho", "train_seconds");

    protected ScriptExperiment(String name, String description) {
        super(name, description);
    }

    /** The command lines for an output dir, a variant and the seeds; {@link #train} and {@link #plot} build them. */
    protected abstract List<List<String>> commands(Path dir, boolean quick, List<Integer> seeds);

    /** Seeds run when {@code --seeds} is not given. */
    protected abstract int defaultSeeds(boolean quick);

    /** Measures of one run group (a run over all its seeds) beside t_c and the solved share, from each seed's result.json. */
    protected List<Measure> extraMeasures(String run, List<Map<String, Object>> results) {
        return List.of();
    }

    /** The final eval MSE of a run over its seeds (a real-valued target's end point). */
    protected static Measure finalEvalMse(String run, List<Map<String, Object>> results) {
        List<Double> mse = results.stream().map(r -> r.get("final_eval_mse") instanceof Number x ? x.doubleValue() : Double.NaN).toList();
        return new Measure("final_eval_mse " + run, Measure.Scale.LOG, mse, 0);
    }

    final List<Integer> seeds(Variant v) {
        return IntStream.range(0, v.seeds() != null ? v.seeds() : defaultSeeds(v.quick())).boxed().toList();
    }

    final List<List<String>> commands(Variant v, Path dir) {
        return commands(dir, v.quick(), seeds(v));
    }

    @Override
    public void prepare(Variant v) {}

    /** A {@code train} command line writing into {@code <dir>/<run>-seed<seed>}. */
    protected static List<String> train(Path dir, String run, int seed, boolean control, String... args) {
        List<String> c = new ArrayList<>(List.of("train"));
        c.addAll(List.of(args));
        c.addAll(List.of("--seed", String.valueOf(seed)));
        if (control) c.add("--random-labels");
        c.addAll(List.of("--out", dir.resolve(runDir(run, seed)).toString()));
        return c;
    }

    static String runDir(String run, int seed) {
        return run + "-seed" + seed;
    }

    /** A {@code plot-run} command line: {@code plots/<run dir>-<kind>.png}, with another run's curve beside it when {@code control} is set. */
    protected static List<String> plot(Path dir, String kind, String runDir, String controlDir, String title) {
        List<String> c = new ArrayList<>(List.of("plot-run", "--kind", kind, "--run", dir.resolve(runDir).toString(), "--title", title));
        if (controlDir != null) c.addAll(List.of("--control", dir.resolve(controlDir).toString()));
        c.addAll(List.of("--out", dir.resolve("plots").toString()));   // plot-run names it <run>-<kind>.png
        return c;
    }

    /** The PNG a plot-run command line writes: {@code <out>/<run>-<kind>.png}. */
    static Path plotFile(List<String> plotRun) {
        String run = Path.of(plotRun.get(plotRun.indexOf("--run") + 1)).getFileName().toString();
        String kind = plotRun.get(plotRun.indexOf("--kind") + 1);
        return Path.of(plotRun.get(plotRun.indexOf("--out") + 1)).resolve(run + "-" + kind + ".png");
    }

    private static Path trainDir(List<String> cmd) {
        return cmd.get(0).equals("train") ? Path.of(cmd.get(cmd.size() - 1)) : null;
    }

    /**
     * Runs every command line in order (stdout of each into {@code <dir>/log.txt}), then writes {@code summary.csv};
     * a run whose result.json exists is skipped (resume).
     */
    @Override
    public int run(Variant v, Path dir, Env env) throws IOException {
        PrintWriter out = env.out();
        String label = v.name(name());
        out.printf("reproduce %s: %s -> %s%n", label, description(), dir);
        long s0 = System.nanoTime();
        AtomicFiles.writableDirectory(dir, "output dir");   // before the first run: unwritable is a usage error, nothing left behind
        AtomicFiles.createDirectories(dir.resolve("plots"));
        StringBuilder log = new StringBuilder();
        List<Path> runs = new ArrayList<>();
        for (List<String> cmd : commands(v, dir)) {
            Path runDir = trainDir(cmd);
            if (runDir != null) runs.add(runDir);
            if (runDir != null && Files.isRegularFile(runDir.resolve("result.json"))) {
                out.println("done    " + runDir.getFileName() + " (result.json exists)");
                continue;
            }
            long t0 = System.nanoTime();
            StringWriter o = new StringWriter(), e = new StringWriter();
            int code = Main.run(new PrintWriter(o), new PrintWriter(e), cmd.toArray(String[]::new));
            log.append("$ bitsgd ").append(String.join(" ", cmd)).append('\n').append(o).append(e);
            AtomicFiles.write(dir.resolve("log.txt"), log.toString());
            out.printf(Locale.ROOT, "%-7s %s (%.1f s)%n", code == 0 ? "ok" : "FAILED", runDir != null ? runDir.getFileName() : cmd.get(cmd.size() - 1),
                    (System.nanoTime() - t0) * 1e-9);
            out.flush();
            if (code != 0) {
                out.print(e);
                return code;
            }
        }
        AtomicFiles.write(dir.resolve("summary.csv"), summary(runs));
        out.printf(Locale.ROOT, "reproduce %s: %.1f s in total, summary %s%n", label, (System.nanoTime() - s0) * 1e-9, dir.resolve("summary.csv"));
        return Main.OK;
    }

    @Override
    public String shapeSummary(Variant v) {
        return "summary.csv, every run's curve.csv and result.json, every PNG";
    }

    /** summary.csv with one row per run and the run's columns, every run's curve.csv and result.json, every chart a real PNG. */
    @Override
    public List<String> problems(Variant v, Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        List<List<String>> commands = commands(v, dir);
        long runs = commands.stream().filter(c -> c.get(0).equals("train")).count();
        Path summary = dir.resolve("summary.csv");
        if (!Files.isRegularFile(summary)) {
            out.add("summary.csv missing");
        } else {
            Csv.Table t = Csv.read(summary);
            if (t.rows().size() != runs) out.add("summary.csv has " + t.rows().size() + " rows, expected " + runs);
            for (List<String> row : t.rows()) {
                if (row.size() != t.header().size()) out.add("summary.csv row with " + row.size() + " cells, header " + t.header().size() + ": " + row);
            }
            for (String column : SUMMARY_COLUMNS) if (t.column(column) < 0) out.add("summary.csv: column " + column + " missing");
        }
        for (List<String> c : commands) {
            Path target = Path.of(c.get(c.size() - 1));
            if (c.get(0).equals("train")) {
                for (String f : List.of("curve.csv", "result.json")) {
                    if (!Files.isRegularFile(target.resolve(f))) out.add(dir.relativize(target.resolve(f)) + " missing");
                }
            } else {
                Path png = plotFile(c);
                Shapes.png(png, dir.relativize(png).toString(), out);
            }
        }
        return out;
    }

    /** Per run over its seeds: t_c (∞ unsolved, at its check resolution) and the share solved, then {@link #extraMeasures}. */
    @Override
    public List<Measure> measures(Variant v, Path dir) throws IOException {
        Map<String, List<Map<String, Object>>> results = new LinkedHashMap<>();
        Map<String, Double> resolution = new LinkedHashMap<>();
        for (List<String> cmd : commands(v, dir)) {
            Path runDir = trainDir(cmd);
            if (runDir == null) continue;
            String run = runDir.getFileName().toString().replaceFirst("-seed\\d+$", "");
            Path json = runDir.resolve("result.json");
            if (!Files.isRegularFile(json)) continue;
            results.computeIfAbsent(run, k -> new ArrayList<>()).add(Json.parse(Files.readString(json)));
            int at = cmd.indexOf("--eval-every");
            resolution.put(run, at < 0 ? 100.0 : Double.parseDouble(cmd.get(at + 1)));
        }
        List<Measure> out = new ArrayList<>();
        for (var e : results.entrySet()) {
            List<Double> tc = e.getValue().stream().map(ScriptExperiment::tc).toList();
            out.add(new Measure("t_c " + e.getKey(), Measure.Scale.LOG, tc, resolution.get(e.getKey())));
            out.add(Measure.solvedShare("solved " + e.getKey(), tc));
            out.addAll(extraMeasures(e.getKey(), e.getValue()));
        }
        return out;
    }

    private static double tc(Map<String, Object> result) {
        return Boolean.TRUE.equals(result.get("solved")) && result.get("t_c") instanceof Number t ? t.doubleValue() : Double.POSITIVE_INFINITY;
    }

    /** One row per run from its result.json: the outcome and the probes' final ρ where present. */
    static String summary(List<Path> runs) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (Path r : runs) {
            Path json = r.resolve("result.json");
            if (!Files.isRegularFile(json)) throw new UsageException(json + " missing: the run did not finish");
            Map<String, Object> j = Json.parse(Files.readString(json));
            List<String> row = new ArrayList<>(List.of(r.getFileName().toString(), String.valueOf(j.get("target"))));
            for (String key : SUMMARY_COLUMNS.subList(2, SUMMARY_COLUMNS.size())) {
                Object val = j.get(key);
                row.add(val == null ? "" : String.valueOf(val));
            }
            rows.add(row);
        }
        return Csv.write(SUMMARY_COLUMNS, rows);
    }
}

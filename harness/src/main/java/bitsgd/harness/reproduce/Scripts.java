package bitsgd.harness.reproduce;

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
import java.util.function.BiFunction;

/**
 * Presets that are a handful of single runs and their charts rather than a grid (docs/protocols.md §A hidden
 * progress, §B staircase): a fixed list of {@code bitsgd} command lines run in-process, in order, each run
 * into its own sub-directory, then {@code summary.csv} with one row per run (from its result.json).
 */
public final class Scripts {
    private Scripts() {}

    /** A scripted preset: its command lines for an output dir and the quick/full variant. */
    public record Script(String name, String description, BiFunction<Path, Boolean, List<List<String>>> commands) {}

    public static final Map<String, Script> ALL = new LinkedHashMap<>();

    /** summary.csv's columns: the run's directory name, its task, then result.json's fields of these names. */
    static final List<String> SUMMARY_COLUMNS = List.of("run", "target", "solved", "t_c", "steps", "final_eval_accuracy", "final_eval_mse",
            "final_train_accuracy", "final_rho", "train_seconds");

    static {
        add(new Script("hidden-progress",
                "Barak et al. hidden progress at (30,3): sine neuron and ReLU-100 MLP with rho_t and weights on/off S vs the random-label control; exact Fourier gap at n=15",
                Scripts::hiddenProgress));
        add(new Script("staircase",
                "Abbe et al. 2021 main configuration: S_10 vs chi_1:10 at n=30, ResNet L=5 W=40, B=20, 60k samples, eta 0.01 halved every 15k, 100k steps, 3 seeds",
                Scripts::staircase));
    }

    private static void add(Script s) {
        ALL.put(s.name(), s);
    }

    /** Sine neuron (η = 0.01) and ReLU-100 MLP (η = 1, B = 64, the scaling-curve settings) with probes, each with its control. */
    static List<List<String>> hiddenProgress(Path dir, boolean quick) {
        int n = quick ? 12 : 30, nGap = quick ? 10 : 15;
        String steps = quick ? "3000" : "5000";   // the sine neuron solves (30,3) in ~1,500 steps; the control runs them all
        List<List<String>> c = new ArrayList<>();
        for (boolean control : List.of(false, true)) {
            String suffix = control ? "-control" : "";
            c.add(train(dir, "sine" + suffix, control, "--n", "" + n, "--k", "3", "--arch", "neuron", "--activation", "sin", "--no-second-layer",
                    "--lr", "0.01", "--batch", "32", "--max-steps", steps, "--eval-every", "20", "--probe-every", "20",
                    "--probe-neurons", "0"));
            c.add(train(dir, "mlp" + suffix, control, "--n", "" + n, "--k", "3", "--width", "100", "--lr", "1", "--batch", "64",
                    "--max-steps", quick ? "2000" : "5000", "--eval-every", "5", "--probe-every", "5", "--probe-popgrad-max-n", "0"));
            // η = 0.1, B = 32: a plateau of a few hundred steps, long enough to watch the gap open before t_c
            c.add(train(dir, "gap-n" + nGap + suffix, control, "--n", "" + nGap, "--k", "3", "--width", "100", "--lr", "0.1", "--batch", "32",
                    "--max-steps", quick ? "300" : "1000", "--eval-every", "5", "--probe-every", quick ? "10" : "5"));
        }
        c.add(plot(dir, "rho", "sine", "sine", "sine neuron f = sin(w.x + b), (n,k) = (" + n + ",3), eta 0.01"));
        c.add(plot(dir, "rho", "mlp", "mlp", "ReLU MLP width 100, (n,k) = (" + n + ",3), eta 1, B 64"));
        c.add(plot(dir, "gap", "gap-n" + nGap, "gap-n" + nGap, "exact Fourier gap, ReLU MLP width 100, (n,k) = (" + nGap + ",3), eta 0.1, B 32"));
        return c;
    }

    /** The staircase paper's main run for S_10 and χ_{1:10} (scored by MSE like the paper), seeds 0..2. */
    static List<List<String>> staircase(Path dir, boolean quick) {
        int n = quick ? 15 : 30, d = quick ? 4 : 10;
        List<String> common = List.of("--n", "" + n, "--arch", "resnet", "--depth", "5", "--width", "40", "--loss", "square",
                "--lr", "0.01", "--batch", "20", "--train-size", quick ? "6000" : "60000", "--schedule", quick ? "halve:1500" : "halve:15000",
                "--max-steps", quick ? "3000" : "100000", "--eval-every", quick ? "250" : "1000", "--eval-samples", quick ? "3000" : "30000",
                "--track-prefixes", "" + d, "--no-stop-on-solve");
        List<List<String>> c = new ArrayList<>();
        for (int seed : quick ? List.of(0) : List.of(0, 1, 2)) {
            List<String> s = new ArrayList<>(common);
            s.addAll(List.of("--seed", "" + seed));
            List<String> st = new ArrayList<>(s), chi = new ArrayList<>(s);
            st.addAll(List.of("--target", "staircase:" + d));
            chi.addAll(List.of("--target", "chi:" + d, "--score-mse"));
            c.add(train(dir, "staircase-seed" + seed, false, st.toArray(String[]::new)));
            c.add(train(dir, "chi-seed" + seed, false, chi.toArray(String[]::new)));
        }
        c.add(plot(dir, "curve", "staircase-seed0", "chi-seed0", "n=" + n + ": S_" + d + " vs chi_1:" + d + " eval MSE, ResNet L=5 W=40"));
        c.add(plot(dir, "coef", "staircase-seed0", null, "S_" + d + ": E[f(x) x1...xj], target 1/sqrt(" + d + ") for j >= 1"));
        c.add(plot(dir, "coef", "chi-seed0", null, "chi_1:" + d + ": E[f(x) x1...xj], target 1 at j = " + d + " only"));
        return c;
    }

    private static List<String> train(Path dir, String run, boolean control, String... args) {
        List<String> c = new ArrayList<>(List.of("train"));
        c.addAll(List.of(args));
        if (control) c.add("--random-labels");
        c.addAll(List.of("--out", dir.resolve(run).toString()));
        return c;
    }

    private static List<String> plot(Path dir, String kind, String run, String control, String title) {
        List<String> c = new ArrayList<>(List.of("plot-run", "--kind", kind, "--run", dir.resolve(run).toString(), "--title", title));
        if (control != null) {
            String other = control.equals(run) ? run + "-control" : control;
            c.addAll(List.of("--control", dir.resolve(other).toString()));
        }
        c.addAll(List.of("--out", dir.resolve("plots").toString()));   // plot-run names it <run>-<kind>.png
        return c;
    }

    /** The PNG a plot-run command line writes: {@code <out>/<run>-<kind>.png}. */
    static Path plotFile(List<String> plotRun) {
        String run = Path.of(plotRun.get(plotRun.indexOf("--run") + 1)).getFileName().toString();
        String kind = plotRun.get(plotRun.indexOf("--kind") + 1);
        return Path.of(plotRun.get(plotRun.indexOf("--out") + 1)).resolve(run + "-" + kind + ".png");
    }

    /**
     * Runs every command line of the script in order (stdout of each into {@code <dir>/log.txt}), then writes
     * {@code summary.csv}; a run whose result.json exists is skipped (resume). Returns the exit code.
     */
    public static int run(Script s, Path dir, boolean quick, PrintWriter out) throws IOException {
        AtomicFiles.writableDirectory(dir, "output dir");   // before the first run: unwritable is a usage error, nothing left behind
        AtomicFiles.createDirectories(dir.resolve("plots"));
        List<List<String>> commands = s.commands().apply(dir, quick);
        StringBuilder log = new StringBuilder();
        List<Path> runs = new ArrayList<>();
        for (List<String> cmd : commands) {
            Path runDir = cmd.get(0).equals("train") ? Path.of(cmd.get(cmd.size() - 1)) : null;
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
        return Main.OK;
    }

    /**
     * The shape check of a finished script: summary.csv with one row per run and the run's columns, every run's
     * curve.csv and result.json, every chart a real PNG. Empty when all is well.
     */
    public static List<String> problems(Script s, Path dir, boolean quick) throws IOException {
        List<String> out = new ArrayList<>();
        List<List<String>> commands = s.commands().apply(dir, quick);
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
                Check.png(png, dir.relativize(png).toString(), out);
            }
        }
        return out;
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
                Object v = j.get(key);
                row.add(v == null ? "" : String.valueOf(v));
            }
            rows.add(row);
        }
        return Csv.write(SUMMARY_COLUMNS, rows);
    }
}

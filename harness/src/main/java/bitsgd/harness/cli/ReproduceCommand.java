package bitsgd.harness.cli;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.Json;
import bitsgd.harness.plot.SweepPlots;
import bitsgd.harness.reproduce.Presets;
import bitsgd.harness.sweep.Shards;
import bitsgd.harness.sweep.Summary;
import bitsgd.harness.sweep.SweepRunner;
import bitsgd.harness.sweep.SweepSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bitsgd reproduce NAME}: a named sweep of the seed paper, then its summary table and plots. */
@Command(name = "reproduce", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a named experiment of the seed paper: sweep, summary table and plots.",
                "Resumable; writes summary.csv and plots/ under one output dir. --list shows the presets; --quick runs a small variant (< 1 min)."})
public final class ReproduceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Preset name (see --list).")
    String name;

    @Option(names = "--quick", description = "The small variant: few n, few seeds, short budget.")
    boolean quick;

    @Option(names = "--list", description = "List the presets and exit.")
    boolean list;

    @Option(names = "--print-spec", description = "Print the preset's sweep spec (JSON, for `bitsgd sweep`, e.g. with Slurm) and exit.")
    boolean printSpec;

    @Option(names = "--seeds", paramLabel = "S", description = "Override the seed count (the output dir gets a -sS suffix).")
    Integer seeds;

    @Option(names = "--out", paramLabel = "DIR", description = "Output dir (default: out/reproduce/<name>[-quick]).")
    Path out;

    @Option(names = "--threads", paramLabel = "T", description = "Runs at a time (default: available processors).")
    Integer threads;

    @Option(names = "--progress", defaultValue = "auto", description = "auto | bar | lines | none (default: ${DEFAULT-VALUE}).")
    SweepRunner.ProgressMode progress;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (list || name == null) {
            if (!list) throw new UsageException("missing preset name (one of: " + String.join(", ", Presets.ALL.keySet()) + ")");
            for (var p : Presets.ALL.values()) o.printf("%-16s %s%n", p.name(), p.description());
            o.flush();
            return Main.OK;
        }
        Presets.Preset p = Presets.get(name);
        SweepSpec s = p.spec(quick);
        if (seeds != null) {
            if (seeds < 1) throw new UsageException("--seeds must be >= 1, got " + seeds);
            Map<String, Object> m = new LinkedHashMap<>(s.toMap());
            m.put("seeds", seeds);
            m.put("name", s.name() + "-s" + seeds);
            s = SweepSpec.parse(Json.line(m), null);
        }
        if (printSpec) {
            o.println(s.toJson());
            o.flush();
            return Main.OK;
        }
        Path dir = out != null ? out : Path.of("out", "reproduce", s.name());
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        var opt = new SweepRunner.Options(t, Shards.Shard.ALL, progress, System.getenv());
        o.printf("reproduce %s: %d grid points x %d seeds = %d runs -> %s%n", s.name(), s.points().size(), s.seeds().size(), s.runCount(), dir);
        o.flush();
        long t0 = System.nanoTime();
        var outcome = SweepRunner.run(s, dir, opt, spec.commandLine().getErr());
        int code = SweepCommand.report(o, s, dir, Shards.Shard.ALL, outcome, false);
        var rows = Summary.of(s, bitsgd.harness.sweep.Records.readAll(dir));
        AtomicFiles.write(dir.resolve("summary.csv"), Summary.csv(s, rows));
        o.print(Summary.table(s, rows));
        if (s.gridAxes().contains("lr")) {
            String best = bestOverLr(s, rows);
            AtomicFiles.write(dir.resolve("success.csv"), best);
            o.print(best);
        }
        for (Path png : SweepPlots.plot(dir, p.panel(), p.x(), p.line())) o.println("plot " + png);
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
        Map<String, List<Summary.Row>> groups = new LinkedHashMap<>();
        for (var r : rows) {
            StringBuilder key = new StringBuilder();
            for (String a : others) key.append(key.isEmpty() ? "" : ",").append(Summary.axisValue(r.point(), a));
            groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(r);
        }
        StringBuilder sb = new StringBuilder(String.join(",", others)).append(",success,best_lr,success_fraction,t_c_median\n");
        for (var e : groups.entrySet()) {
            Summary.Row best = null;
            boolean success = false;
            for (var r : e.getValue()) {
                if (r.successFraction() >= 0.2) success = true;
                if (best == null || r.tcMedian() < best.tcMedian()
                        || (r.tcMedian() == best.tcMedian() && r.successFraction() > best.successFraction())) best = r;
            }
            sb.append(e.getKey()).append(',').append(success).append(',').append(Summary.axisValue(best.point(), "lr")).append(',')
                    .append(Summary.num(best.successFraction())).append(',').append(Summary.num(best.tcMedian())).append('\n');
        }
        return sb.toString();
    }
}

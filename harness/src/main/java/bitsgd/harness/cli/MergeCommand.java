package bitsgd.harness.cli;

import bitsgd.harness.sweep.Merge;
import bitsgd.harness.sweep.Records;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code bitsgd merge --out DIR SRC...}: join shard outputs, report missing and duplicate runs. */
public final class MergeCommand implements Callable<Integer> {
    static final Opt<Path> OUT = Output.out("the merged sweep (spec.json, runs/); records already there count").required();
    static final Opt<Boolean> JSON = Output.JSON;
    static final Opt<Boolean> ALLOW_MISSING = Opt.flag("--allow-missing", "Exit 0 even when runs are missing.");

    static final Options OPTIONS = new Options("merge")
            .details("Exit 0 when every run of the spec is present and no duplicates conflict, else 1.")
            .parameters("SRC", 1, Integer.MAX_VALUE, "Sweep output dirs, e.g. out/x/shards/*.")
            .add(OUT, ALLOW_MISSING, JSON);

    private final PrintWriter stdout;
    final Path into;
    final List<Path> sources = new ArrayList<>();
    final boolean allowMissing;
    final boolean json;

    MergeCommand(Parsed p, PrintWriter stdout) {
        this.stdout = stdout;
        into = p.get(OUT);
        for (String source : p.parameters()) sources.add(Path.of(source));
        allowMissing = p.get(ALLOW_MISSING);
        json = p.get(JSON);
    }

    @Override
    public Integer call() throws Exception {
        Merge.Report r = Merge.merge(into, sources);
        PrintWriter o = stdout;
        o.printf("merge %s: %d sources -> %s: %d of %d runs present (%d copied now), %d missing, %d duplicates (%d conflicting), %d not in the spec%n",
                r.spec().name(), sources.size(), into, r.present(), r.expected(), r.copied(), r.missing().size(),
                r.duplicates().size(), r.conflicts().size(), r.unexpected().size());
        list(o, "missing", r.missing());
        list(o, "duplicate", r.duplicates());
        list(o, "conflicting", r.conflicts());
        list(o, "not in the spec", r.unexpected());
        boolean ok = r.conflicts().isEmpty() && r.unexpected().isEmpty() && (allowMissing || r.missing().isEmpty());
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sweep", r.spec().name());
            m.put("out", into.toString());
            m.put("sources", sources.size());
            m.put("expected", r.expected());
            m.put("present", r.present());
            m.put("copied", r.copied());
            m.put("missing", keys(r.missing()));
            m.put("duplicates", keys(r.duplicates()));
            m.put("conflicting", keys(r.conflicts()));
            m.put("not_in_spec", keys(r.unexpected()));
            m.put("ok", ok);
            Output.json(o, m);
        }
        o.flush();
        return ok ? Main.OK : Main.FAILURE;
    }

    /** Runs as {@code "config-seed"}, as in the text report. */
    private static List<String> keys(List<Records.Key> keys) {
        List<String> out = new ArrayList<>(keys.size());
        for (Records.Key k : keys) out.add(k.configIndex() + "-" + k.seed());
        return out;
    }

    private static void list(PrintWriter o, String what, List<Records.Key> keys) {
        if (keys.isEmpty()) return;
        String s = keys.stream().limit(20).map(k -> k.configIndex() + "-" + k.seed()).collect(Collectors.joining(" "));
        o.printf("  %s (config-seed): %s%s%n", what, s, keys.size() > 20 ? " ... (" + keys.size() + ")" : "");
    }
}

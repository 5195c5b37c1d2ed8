package bitsgd.harness.cli;

import bitsgd.harness.sweep.Merge;
import bitsgd.harness.sweep.Records;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bitsgd merge --into DIR SRC...}: join shard outputs, report missing and duplicate runs. */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Join sweep shard outputs into one dir; report missing and duplicate runs.",
                "Exit 0 when every run of the spec is present and no duplicates conflict, else 1."})
public final class MergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--into", required = true, paramLabel = "DIR", description = "Merged output dir (created; its existing records count).")
    Path into;

    @Parameters(arity = "1..*", paramLabel = "SRC", description = "Sweep output dirs, e.g. out/x/shards/*.")
    List<Path> sources;

    @Option(names = "--allow-missing", description = "Exit 0 even when runs are missing.")
    boolean allowMissing;

    @Override
    public Integer call() throws Exception {
        Merge.Report r = Merge.merge(into, sources);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("merge %s: %d sources -> %s: %d of %d runs present (%d copied now), %d missing, %d duplicates (%d conflicting), %d not in the spec%n",
                r.spec().name(), sources.size(), into, r.present(), r.expected(), r.copied(), r.missing().size(),
                r.duplicates().size(), r.conflicts().size(), r.unexpected().size());
        list(o, "missing", r.missing());
        list(o, "duplicate", r.duplicates());
        list(o, "conflicting", r.conflicts());
        list(o, "not in the spec", r.unexpected());
        o.flush();
        boolean ok = r.conflicts().isEmpty() && r.unexpected().isEmpty() && (allowMissing || r.missing().isEmpty());
        return ok ? Main.OK : Main.FAILURE;
    }

    private static void list(PrintWriter o, String what, List<Records.Key> keys) {
        if (keys.isEmpty()) return;
        String s = keys.stream().limit(20).map(k -> k.configIndex() + "-" + k.seed()).collect(Collectors.joining(" "));
        o.printf("  %s (config-seed): %s%s%n", what, s, keys.size() > 20 ? " ... (" + keys.size() + ")" : "");
    }
}

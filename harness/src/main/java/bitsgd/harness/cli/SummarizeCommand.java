package bitsgd.harness.cli;

import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.sweep.Summary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bitsgd summarize DIR}: per grid point success fraction, median and IQR of t_c; CSV out. */
@Command(name = "summarize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Per grid point: success fraction, median and IQR of t_c over seeds; CSV out.",
                "Unsolved runs count as t_c = inf; also the median t_c of the solved runs. Prints a table and writes DIR/summary.csv."})
public final class SummarizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Sweep output dir (holds spec.json and runs/).")
    Path dir;

    @Option(names = "--csv", paramLabel = "FILE", description = "CSV file to write (default: DIR/summary.csv).")
    Path csv;

    @Override
    public Integer call() throws Exception {
        var s = Summary.spec(dir);
        var rows = Summary.of(dir);
        String text = Summary.csv(s, rows);
        Path f = csv != null ? csv : dir.resolve("summary.csv");
        AtomicFiles.write(f, text);
        PrintWriter o = spec.commandLine().getOut();
        o.print(Summary.table(s, rows));
        o.println("csv " + f);
        o.flush();
        return Main.OK;
    }
}

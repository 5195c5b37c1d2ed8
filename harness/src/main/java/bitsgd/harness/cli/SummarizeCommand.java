package bitsgd.harness.cli;

import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.sweep.Summary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code bitsgd summarize DIR}: per grid point success fraction, median and IQR of t_c; CSV out. */
public final class SummarizeCommand implements Callable<Integer> {
    static final Opt<Path> CSV = Opt.path("--csv", "CSV file to write (default: DIR/summary.csv).").label("FILE");

    static final Options OPTIONS = new Options("summarize")
            .details("Unsolved runs count as t_c = inf; also the median t_c of the solved runs. Prints a table and writes DIR/summary.csv.")
            .parameters("DIR", 1, 1, "Sweep output dir (holds spec.json and runs/).")
            .add(CSV);

    private final PrintWriter stdout;
    final Path dir;
    final Path csv;

    SummarizeCommand(Parsed p, PrintWriter stdout) {
        this.stdout = stdout;
        dir = Path.of(p.parameters().getFirst());
        csv = p.get(CSV);
    }

    @Override
    public Integer call() throws Exception {
        var s = Summary.spec(dir);
        var rows = Summary.of(dir);
        String text = Summary.csv(s, rows);
        Path f = csv != null ? csv : dir.resolve("summary.csv");
        AtomicFiles.write(f, text);
        PrintWriter o = stdout;
        o.print(Summary.table(s, rows));
        o.println("csv " + f);
        o.flush();
        return Main.OK;
    }
}

package bitsgd.harness.cli;

import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.plot.SweepPlots;
import bitsgd.harness.sweep.Summary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bitsgd plot DIR}: PNG training curves and scaling curves of a sweep (headless). */
public final class PlotCommand implements Callable<Integer> {
    static final Opt<String> PANEL = Opt.string("--panel", "One training-curve chart per value of this grid axis (default: k when it varies).")
            .label("AXIS");
    static final Opt<String> X = Opt.string("--x", "Scaling chart x axis (default: n; skipped when n is not a grid axis).").label("AXIS");
    static final Opt<String> LINE = Opt.string("--line", "Scaling chart: one line per value of this axis (default: k).").label("AXIS");
    static final Opt<Path> OUT = Output.out("the PNGs", "DIR/plots");
    static final Opt<Boolean> JSON = Output.JSON;

    static final Options OPTIONS = new Options("plot")
            .details("Curves (median and IQR band over seeds) and median t_c vs --x on log-log axes, one line per --line value,"
                    + " fitted slope in the legend.")
            .parameters("DIR", 1, 1, "Sweep output dir.")
            .add(PANEL, X, LINE, OUT, JSON);

    private final PrintWriter stdout;
    final Path dir;
    final String panel;
    final String x;
    final String line;
    final Path out;
    final boolean json;

    PlotCommand(Parsed p, PrintWriter stdout) {
        this.stdout = stdout;
        dir = Path.of(p.parameters().getFirst());
        panel = p.get(PANEL);
        x = p.get(X);
        line = p.get(LINE);
        out = p.get(OUT);
        json = p.get(JSON);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter o = stdout;
        Summary.spec(dir);   // first: a dir that is no sweep is refused before DIR/plots is created
        Path into = out != null ? Output.directory(out) : AtomicFiles.writableDirectory(dir.resolve("plots"), "plot dir");
        List<Path> files = SweepPlots.plot(dir, into, panel, x, line);
        for (Path p : files) o.println("plot " + p);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("files", files.stream().map(Path::toString).toList());
            Output.json(o, m);
        }
        o.flush();
        return Main.OK;
    }
}

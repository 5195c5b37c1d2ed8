package bitsgd.harness.cli;

import bitsgd.harness.plot.SweepPlots;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bitsgd plot DIR}: PNG training curves and scaling curves of a sweep (headless). */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"PNG training curves and scaling curves of a sweep (headless).",
                "Into DIR/plots: curves (median and IQR band over seeds) and median t_c vs --x on log-log axes,",
                "one line per --line value, fitted slope in the legend."})
public final class PlotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Sweep output dir.")
    Path dir;

    @Option(names = "--panel", paramLabel = "AXIS", description = "One training-curve chart per value of this grid axis (default: k when it varies).")
    String panel;

    @Option(names = "--x", paramLabel = "AXIS", description = "Scaling chart x axis (default: n; skipped when n is not a grid axis).")
    String x;

    @Option(names = "--line", paramLabel = "AXIS", description = "Scaling chart: one line per value of this axis (default: k).")
    String line;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        for (Path p : SweepPlots.plot(dir, panel, x, line)) o.println("plot " + p);
        o.flush();
        return Main.OK;
    }
}

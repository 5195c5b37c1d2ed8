package bitsgd.harness.cli;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.Json;
import bitsgd.harness.validate.Validation;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.MlpKernels;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bitsgd validate}: every fast kernel against the scalar reference (and double precision), and the vector kernels'
 * twin against the vector kernels bit for bit.
 */
public final class ValidateCommand implements Callable<Integer> {

    static final Opt<Integer> CASES = Opt.integer("--cases", "Random cases per check.").defaultValue("300");
    static final Opt<Long> SEED = Opt.longInteger("--seed", "Seed of the random cases.").defaultValue("0");
    static final Opt<Boolean> JSON = Output.JSON;
    static final Opt<Path> OUT = Output.out("validate.json");

    static final Options OPTIONS = new Options("validate").details("Exit 1 on any failure.").add(CASES, SEED, JSON, OUT);

    private final PrintWriter stdout;
    final int cases;
    final long seed;
    final boolean json;
    final Path out;

    ValidateCommand(Parsed p, PrintWriter stdout) {
        this.stdout = stdout;
        cases = p.get(CASES);
        seed = p.get(SEED);
        json = p.get(JSON);
        out = p.get(OUT);
    }

    @Override
    public Integer call() throws IOException {
        if (cases < 1) throw new UsageException("--cases must be >= 1, got " + cases);
        if (out != null) Output.directory(out);
        PrintWriter o = stdout;
        MlpKernels fast = Kernels.vectorAvailable() ? Kernels.vectorMlp() : Kernels.scalarMlp();
        List<Validation.Row> rows = new java.util.ArrayList<>(Validation.mlp(Kernels.scalarMlp(), fast, cases, seed));
        // the twin that starts every run must give the vector kernels' bits: an exact check, no tolerance
        if (Kernels.vectorAvailable()) rows.add(Validation.mlpExact(Kernels.twinMlp(), Kernels.vectorMlp(), cases, seed));
        return report(o, rows, json, out);
    }

    /** Prints the environment and the table (and writes validate.json into {@code out} unless null); 0 when every row passes, else 1. */
    static int report(PrintWriter o, List<Validation.Row> rows, boolean json, Path out) throws IOException {
        o.printf(Locale.ROOT, "jvm      %s %s (%s)%n", System.getProperty("java.vm.name"), Runtime.version(),
                System.getProperty("java.vm.vendor"));
        o.printf(Locale.ROOT, "provider %s%n", Kernels.selection());
        if (!Kernels.vectorAvailable()) {
            o.printf(Locale.ROOT, "WARNING  vector kernels not checked: %s%n", Kernels.vectorUnavailableReason());
        }
        o.printf(Locale.ROOT, "%-44s %6s %12s %12s %10s  %s%n", "check", "cases", "max abs err", "max rel err", "err/tol", "result");
        o.println("(rel err over reference values >= 1e-3; err/tol = worst |error| / tolerance, must be <= 1)");
        boolean ok = true;
        for (Validation.Row r : rows) {
            ok &= r.pass();
            o.printf(Locale.ROOT, "%-44s %6d %12.3e %12.3e %10.3f  %s%n", r.check(), r.cases(), r.maxAbsError(),
                    r.maxRelError(), r.worstRatioToTolerance(), r.pass() ? "pass" : "FAIL");
        }
        o.println(ok ? "all checks passed" : "FAILED: a kernel disagrees with its reference beyond tolerance");
        var m = new LinkedHashMap<String, Object>();
        m.put("jdk", Runtime.version().toString());
        m.put("kernel_selection", Kernels.selection());
        m.put("vector_available", Kernels.vectorAvailable());
        m.put("rows", rows.stream().map(Validation.Row::toMap).toList());
        m.put("pass", ok);
        if (out != null) AtomicFiles.write(out.resolve("validate.json"), Json.line(m) + "\n");
        if (json) Output.json(o, m);
        o.flush();
        return ok ? Main.OK : Main.FAILURE;
    }
}

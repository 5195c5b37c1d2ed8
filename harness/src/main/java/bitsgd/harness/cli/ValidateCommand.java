package bitsgd.harness.cli;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.Json;
import bitsgd.harness.validate.Validation;
import bitsgd.kernel.Kernels;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bitsgd validate}: every kernel family's vector implementation against its scalar reference (mlp, dense, popgrad),
 * every scalar reference against double precision, and the vector MLP kernels' twin against them bit for bit. Without the
 * vector kernels only the references are checked, and the verdict says so (exit 1).
 */
public final class ValidateCommand implements Callable<Integer> {

    static final Opt<Integer> CASES = Opt.integer("--cases", "Random cases per check.").defaultValue("300");
    static final Opt<Long> SEED = Opt.longInteger("--seed", "Seed of the random cases.").defaultValue("0");
    static final Opt<Boolean> JSON = Output.JSON;
    static final Opt<Path> OUT = Output.out("validate.json");

    static final Options OPTIONS = new Options("validate").details("Exit 1 on any failure, and when the vector kernels cannot run here (nothing to compare them with).").add(CASES, SEED, JSON, OUT);

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
        Validation.Implementations k = Validation.Implementations.shipped();
        // nothing to warm without vector kernels: the references are checked as they run
        Validation.WarmUpReport warm = Kernels.vectorAvailable() ? Validation.warmUp(k) : null;
        List<Validation.Row> rows = Validation.all(k, cases, seed);
        return report(stdout, rows, Kernels.vectorAvailable() ? null : Kernels.vectorUnavailableReason(), warm, json, out);
    }

    /**
     * Prints the environment and the table (and writes validate.json into {@code out} unless null); 0 when the vector
     * kernels were compared and every row passes, else 1. {@code notCompared} is why the vector kernels could not be
     * compared here (the rows then only check the scalar references), or null when they were; {@code warm} what the
     * warm-up achieved (null: none ran).
     */
    static int report(PrintWriter o, List<Validation.Row> rows, String notCompared, Validation.WarmUpReport warm, boolean json,
                      Path out) throws IOException {
        o.printf(Locale.ROOT, "jvm      %s %s (%s)%n", System.getProperty("java.vm.name"), Runtime.version(),
                System.getProperty("java.vm.vendor"));
        o.printf(Locale.ROOT, "provider %s%n", Kernels.selection());
        if (notCompared != null) o.printf(Locale.ROOT, "WARNING  vector kernels not checked: %s%n", notCompared);
        if (warm != null) o.printf(Locale.ROOT, "warm-up  %s%n", warm.line());
        // 44 wide as always; a longer check name widens the column rather than shifting its row
        int width = Math.max(44, rows.stream().mapToInt(r -> r.check().length()).max().orElse(0));
        o.printf(Locale.ROOT, "%-" + width + "s %6s %12s %12s %10s  %s%n", "check", "cases", "max abs err", "max rel err", "err/tol", "result");
        o.println("(rel err over reference values >= 1e-3; err/tol = worst |error| / tolerance, must be <= 1)");
        boolean ok = true;
        for (Validation.Row r : rows) {
            ok &= r.pass();
            o.printf(Locale.ROOT, "%-" + width + "s %6d %12.3e %12.3e %10.3f  %s%n", r.check(), r.cases(), r.maxAbsError(),
                    r.maxRelError(), r.worstRatioToTolerance(), r.pass() ? "pass" : "FAIL");
        }
        boolean pass = ok && notCompared == null;
        if (!ok) o.println("FAILED: a kernel disagrees with its reference beyond tolerance");
        else if (notCompared != null) {
            // the references passed, but the vector kernels (what runs use wherever they can run) were never looked at
            o.println("NOT VALIDATED: the vector kernels were not compared, only the scalar references against double"
                    + " precision. Why: " + notCompared);
        } else o.println("all checks passed");
        var m = new LinkedHashMap<String, Object>();
        m.put("jdk", Runtime.version().toString());
        m.put("kernel_selection", Kernels.selection());
        m.put("vector_available", Kernels.vectorAvailable());
        m.put("vector_compared", notCompared == null);
        if (notCompared != null) m.put("vector_not_compared_reason", notCompared);
        if (warm != null) m.put("warm_up", warm.json());
        m.put("rows", rows.stream().map(Validation.Row::toMap).toList());
        m.put("pass", pass);
        if (out != null) AtomicFiles.write(out.resolve("validate.json"), Json.line(m) + "\n");
        if (json) Output.json(o, m);
        o.flush();
        return pass ? Main.OK : Main.FAILURE;
    }
}

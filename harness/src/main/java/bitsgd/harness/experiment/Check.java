package bitsgd.harness.experiment;

import bitsgd.harness.experiment.Experiment.Variant;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** {@code reproduce --check}: an experiment's output against its expected shape and its stored reference numbers. */
public final class Check {
    private Check() {}

    /**
     * Prints the shape check (one OK line, or one FAIL line per problem), then the numbers: one line per measure against
     * the stored reference and the shift line. True when all pass.
     */
    public static boolean report(PrintWriter o, String name, Experiment e, Variant v, Path dir) throws IOException {
        List<String> problems = e.problems(v, dir);
        if (problems.isEmpty()) o.printf("check %s: OK (%s)%n", name, e.shapeSummary(v));
        for (String pr : problems) o.printf("check %s: FAIL %s%n", name, pr);
        Reference ref = Reference.load(v.referenceName(e.name()));
        if (ref == null) {
            o.printf("check %s numbers: FAIL no stored reference %s.json%n", name, v.referenceName(e.name()));
            return false;
        }
        Reference.Outcome r = ref.compare(e.measures(v, dir));
        o.printf("check %s numbers against the reference made %s at %s by: %s%n", name, ref.made(), ref.revision(), ref.command());
        for (var c : r.comparisons()) o.printf("check %s: %s%n", name, c.line());
        o.printf("check %s: %s%n", name, r.shiftLine());
        long failed = r.comparisons().stream().filter(c -> !c.ok()).count();
        o.printf("check %s numbers: %s (%d of %d inside their band)%n", name, r.ok() ? "OK" : "FAIL", r.comparisons().size() - failed,
                r.comparisons().size());
        return problems.isEmpty() && r.ok();
    }
}

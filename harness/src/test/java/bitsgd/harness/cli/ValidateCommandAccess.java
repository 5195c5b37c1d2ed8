package bitsgd.harness.cli;

import bitsgd.harness.validate.Validation;
import java.io.PrintWriter;
import java.util.List;

/** Test access to the package-private report of {@link ValidateCommand}. */
public final class ValidateCommandAccess {
    private ValidateCommandAccess() {}

    public static int report(PrintWriter o, List<Validation.Row> rows) {
        return report(o, rows, null);
    }

    /** The report with {@code notCompared} as the reason the vector kernels were not compared (null: they were). */
    public static int report(PrintWriter o, List<Validation.Row> rows, String notCompared) {
        try {
            return ValidateCommand.report(o, rows, notCompared, null, false, null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

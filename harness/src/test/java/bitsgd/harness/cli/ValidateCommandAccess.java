package bitsgd.harness.cli;

import bitsgd.harness.validate.Validation;
import java.io.PrintWriter;
import java.util.List;

/** Test access to the package-private report of {@link ValidateCommand}. */
public final class ValidateCommandAccess {
    private ValidateCommandAccess() {}

    public static int report(PrintWriter o, List<Validation.Row> rows) {
        try {
            return ValidateCommand.report(o, rows, false, null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

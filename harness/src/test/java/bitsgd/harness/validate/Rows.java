package bitsgd.harness.validate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/** Finds the rows of a check by name and asserts their verdicts, with the whole table in every message. */
final class Rows {
    private Rows() {}

    /** The one row whose check starts with {@code prefix}. */
    static Validation.Row row(List<Validation.Row> rows, String prefix) {
        List<Validation.Row> hits = rows.stream().filter(r -> r.check().startsWith(prefix)).toList();
        assertTrue(hits.size() == 1, "one row starting with '" + prefix + "' in " + rows);
        return hits.getFirst();
    }

    static void fails(List<Validation.Row> rows, String prefix) {
        Validation.Row r = row(rows, prefix);
        assertFalse(r.pass(), "should FAIL: " + r + "\n" + table(rows));
    }

    /** Passes, and ran cases (a row of no cases would pass for nothing). */
    static void passes(List<Validation.Row> rows, String prefix) {
        Validation.Row r = row(rows, prefix);
        assertTrue(r.pass() && r.cases() > 0, "should pass with cases > 0: " + r + "\n" + table(rows));
    }

    static String table(List<Validation.Row> rows) {
        StringBuilder sb = new StringBuilder();
        for (Validation.Row r : rows) sb.append(r).append('\n');
        return sb.toString();
    }
}

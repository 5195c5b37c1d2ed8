package bitsgd.harness.plot;

import java.util.Map;

/** Test access to {@link SweepPlots}' package-private helpers. */
public final class SweepPlotsAccess {
    private SweepPlotsAccess() {}

    public static Double valueAt(Map<String, Object> record, String metric, long step) {
        return SweepPlots.valueAt(record, metric, step);
    }
}

package bitsgd.harness.experiment;

import bitsgd.harness.sweep.Summary;
import java.util.List;

/**
 * One number an experiment is checked on, as measured over its seeds: e.g. the steps to solve one grid point
 * (one value per seed, +∞ for a seed that did not solve) or the share of seeds that solved it.
 *
 * @param name        what it is, unique within the experiment, e.g. {@code t_c k=3 n=20}
 * @param scale       how values are compared with a reference
 * @param values      one value per seed
 * @param granularity the resolution the values were measured at (a check every 100 steps: 100); 0 when exact
 */
public record Measure(String name, Scale scale, List<Double> values, double granularity) {

    /** How a measure's values are summarised and compared. */
    public enum Scale {
        /** positive quantities that scale (steps, samples, MSE): medians compared as ratios; +∞ allowed (never solved) */
        LOG,
        /** a share of seeds in [0, 1]: compared as a difference of proportions */
        FRACTION
    }

    public Measure {
        values = List.copyOf(values);
    }

    /** The share of seeds that solved, one 0/1 value per seed. */
    public static Measure solvedShare(String name, List<Double> stepsPerSeed) {
        return new Measure(name, Scale.FRACTION, stepsPerSeed.stream().map(t -> Double.isFinite(t) ? 1.0 : 0.0).toList(), 0);
    }

    /** The value the check compares: the median (LOG) or the mean (FRACTION) over seeds. */
    public double centre() {
        if (scale == Scale.FRACTION) return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return Summary.quantile(values, 0.5);
    }

    public double q1() {
        return Summary.quantile(values, 0.25);
    }

    public double q3() {
        return Summary.quantile(values, 0.75);
    }
}

package bitsgd.harness.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scalar vs vector training-step rates on one config (fresh batch + labels + fused step): medians over alternating rounds.
 *
 * @param vectorKernels name of the vector implementation measured
 */
public record SpeedupResult(double scalarStepsPerSecond, double vectorStepsPerSecond, double vectorOverScalar,
                            String vectorKernels, int rounds, double roundSeconds) {

    public Map<String, Object> toMap() {
        var m = new LinkedHashMap<String, Object>();
        m.put("scalar_steps_per_second", scalarStepsPerSecond);
        m.put("vector_steps_per_second", vectorStepsPerSecond);
        m.put("speedup_vector_over_scalar", vectorOverScalar);
        m.put("vector_kernels", vectorKernels);
        m.put("rounds", rounds);
        m.put("round_seconds", roundSeconds);
        return m;
    }
}

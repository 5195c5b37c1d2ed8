package bitsgd.harness.train;

import bitsgd.harness.BuildInfo;
import bitsgd.harness.Machine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run did.
 *
 * @param tC                first checked step with 100% accuracy on the full eval set, or null
 * @param solveSeconds      wall seconds from the first step to that check, or null
 * @param steps             steps actually run
 * @param finalLoss         mean batch loss over the last eval interval (NaN/Inf when diverged)
 * @param finalEvalAccuracy accuracy on the full eval set after the last step (outside the timing)
 * @param trainSeconds      wall seconds from the first step to the last, including the periodic checks
 * @param evalSeconds       the part of trainSeconds spent in the periodic checks
 * @param stepsPerSecond    steps / trainSeconds: the whole run's rate, JIT warm-up and checks included
 * @param lastStepsPerSecond steps per second of training alone (no checks) over the last check interval: the rate
 *                          the run had reached at its end (steady state unless the run was shorter than the JIT's warm-up)
 * @param twinSteps         steps computed by the vector kernels' plain-Java twin before the Vector API code took over
 *                          (same bits), or -1 when the kernels have no hand-over
 * @param kernels           {@code MlpKernels.name()} of the kernels that ran
 * @param kernelSelection   the provider's one-line start-up choice ({@code Kernels.selection()})
 * @param speedup           set by the CLI's {@code --speedup}, else null
 * @param finalEvalMse      real-valued targets: mean (y − f)² on the eval set after the last step; NaN for ±1 targets
 * @param finalTrainAccuracy finite-sample ±1 runs: accuracy on the training set (its labels) after the last step; else NaN
 * @param task              the target's one-line description
 * @param leap              Leap of the target as a sum of monomials (docs/protocols.md §C), or null (majority)
 * @param threads           threads each step ran on ({@code train --threads}; the same bits for any number)
 */
public record RunResult(TrainConfig config, boolean solved, boolean diverged, Long tC, Double solveSeconds,
                        long steps, double finalLoss, double finalEvalAccuracy, double trainSeconds, double evalSeconds,
                        double stepsPerSecond, double lastStepsPerSecond, long twinSteps, String kernels, String kernelSelection, String jdk,
                        List<Integer> secret, SpeedupResult speedup, double finalEvalMse, double finalTrainAccuracy, String task, Integer leap,
                        int threads) {

    public RunResult withSpeedup(SpeedupResult s) {
        return new RunResult(config, solved, diverged, tC, solveSeconds, steps, finalLoss, finalEvalAccuracy,
                trainSeconds, evalSeconds, stepsPerSecond, lastStepsPerSecond, twinSteps, kernels, kernelSelection, jdk, secret, s, finalEvalMse, finalTrainAccuracy, task, leap, threads);
    }

    /**
     * The run as one flat JSON-ready map: every setting (by its {@link Setting} key), then the outcome, the timings and
     * where it ran (kernels, JDK, CPU, bitsgd version and commit). Every run has every key (null where one does not apply);
     * non-finite numbers become null.
     */
    public Map<String, Object> toMap() {
        var m = new LinkedHashMap<String, Object>(config.toMap());
        m.put("secret", secret);   // the support S: the given --secret, or the one drawn from the seed
        m.put("leap", leap);
        m.put("solved", solved);
        m.put("diverged", diverged);
        m.put("t_c", tC);
        m.put("steps", steps);
        m.put("final_loss", finite(finalLoss));
        m.put("final_eval_accuracy", finite(finalEvalAccuracy));
        m.put("final_eval_mse", finite(finalEvalMse));
        m.put("final_train_accuracy", finite(finalTrainAccuracy));
        m.put("solve_seconds", solveSeconds);
        m.put("train_seconds", trainSeconds);
        m.put("eval_seconds", evalSeconds);
        m.put("steps_per_second", finite(stepsPerSecond));
        m.put("steps_per_second_last", finite(lastStepsPerSecond));
        m.put("twin_steps", twinSteps >= 0 ? twinSteps : null);
        m.put("kernel_name", kernels);   // what ran (vector-512); the setting "kernels" is what was asked (auto)
        m.put("kernel_selection", kernelSelection);
        m.put("threads", threads);
        m.put("jdk", jdk);
        m.put("cpu", Machine.cpu());
        m.put("bitsgd_version", BuildInfo.VERSION);
        m.put("git_commit", BuildInfo.COMMIT);
        if (speedup != null) m.putAll(speedup.toMap());
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}

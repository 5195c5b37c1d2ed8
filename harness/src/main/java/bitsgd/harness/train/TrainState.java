package bitsgd.harness.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a run needs to continue exactly where it was after {@code step} steps: the parameters, the states of the
 * streams that are still drawn from (data and noise; init, task and eval are used up before the first step and come
 * back from the seed), the curve so far and the solve bookkeeping. Taken right after a check, so no loss is pending.
 *
 * @param step            steps taken
 * @param randomLabels    the run was the random-label control
 * @param parameters      every parameter, in {@code Model.parameters()} order
 * @param dataStream      the DATA stream's {@link MixRandom#state()}
 * @param noiseStream     the NOISE stream's state
 * @param curve           every check so far
 * @param tC              the solving step, or null
 * @param solveSeconds    training seconds up to t_c, or null
 * @param trainSeconds    training seconds so far (checks included, probes not)
 * @param evalSeconds     of which checks
 * @param fullScore       the last check that scored the whole eval set, or null
 * @param fullScoreStep   its step (−1: none)
 * @param optimizerState  the optimizer's buffers by name ({@link Optimizer#state()}; empty for plain SGD)
 * @param optimizerSteps  the optimizer's step count (Adam's bias correction)
 */
public record TrainState(long step, boolean randomLabels, float[] parameters, long[] dataStream, long[] noiseStream,
                         List<CurvePoint> curve, Long tC, Double solveSeconds, double trainSeconds, double evalSeconds,
                         EvalSet.Score fullScore, long fullScoreStep, Map<String, float[]> optimizerState, long optimizerSteps) {

    public TrainState {
        curve = List.copyOf(curve);
        optimizerState = Collections.unmodifiableMap(new LinkedHashMap<>(optimizerState));
    }
}

package bitsgd.harness.train;

/**
 * One evaluation point of a run.
 *
 * @param step          steps taken so far
 * @param loss          mean batch loss over the steps since the previous point (at pre-update parameters)
 * @param evalAccuracy  accuracy of sign(f) on the samples scored
 * @param evalScored    how many eval samples were scored: {@link EvalSet#QUICK} for a quick check that
 *                      found an error, the full set otherwise
 * @param full          true when the full eval set was scored
 */
public record CurvePoint(long step, double loss, double evalAccuracy, int evalScored, boolean full) {}

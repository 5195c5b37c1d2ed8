package bitsgd.harness.train;

/**
 * One evaluation point of a run.
 *
 * @param step          steps taken so far
 * @param loss          mean batch loss over the steps since the previous point (at pre-update parameters)
 * @param evalAccuracy  accuracy of sign(f) on the samples scored
 * @param evalScored    how many eval samples were scored: scoring stops at the first chunk that takes the
 *                      errors over the allowance ({@link EvalSet#QUICK} samples when the first one does)
 * @param full          true when the full eval set was scored
 */
public record CurvePoint(long step, double loss, double evalAccuracy, int evalScored, boolean full) {}

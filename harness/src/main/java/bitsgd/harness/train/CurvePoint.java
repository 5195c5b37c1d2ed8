package bitsgd.harness.train;

/**
 * One evaluation point of a run.
 *
 * @param step          steps taken so far
 * @param loss          mean batch loss over the steps since the previous point (at pre-update parameters)
 * @param evalAccuracy  accuracy of sign(f) on the samples scored (NaN for real-valued targets)
 * @param evalScored    how many eval samples were scored: scoring stops at the first chunk that takes the
 *                      errors over the allowance ({@link EvalSet#QUICK} samples when the first one does)
 * @param full          true when the full eval set was scored
 * @param trainAccuracy accuracy on the whole fixed training set with its (possibly noisy) labels; NaN for online runs
 * @param evalMse       mean (y − f)² on the eval set for real-valued targets; NaN for ±1 targets
 * @param coefficients  f̂_T = E[f(x) χ_T(x)] on the eval set for the tracked monomials, or null
 */
public record CurvePoint(long step, double loss, double evalAccuracy, int evalScored, boolean full, double trainAccuracy,
                         double evalMse, double[] coefficients) {

    /** A ±1-target point of an online run. */
    public CurvePoint(long step, double loss, double evalAccuracy, int evalScored, boolean full) {
        this(step, loss, evalAccuracy, evalScored, full, Double.NaN, Double.NaN, null);
    }
}

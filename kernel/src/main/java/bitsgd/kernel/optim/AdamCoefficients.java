package bitsgd.kernel.optim;

/**
 * The float scalars of one Adam or AdamW step of one parameter group, computed as torch 1.13's Python code does: the
 * bias corrections, step size and decay factor in double, each cast to float where torch passes it to a float tensor op.
 *
 * @param weightDecay    L2 decay λ added to the gradient (Adam); 0 for AdamW
 * @param decay          AdamW's factor 1 − η·λ on the parameters before the update; 1 for Adam
 * @param beta1          β₁
 * @param oneMinusBeta1  1 − β₁
 * @param beta2          β₂
 * @param oneMinusBeta2  1 − β₂
 * @param negStepSize    −η / (1 − β₁ᵗ)
 * @param bc2Sqrt        √(1 − β₂ᵗ)
 * @param eps            ε
 */
public record AdamCoefficients(float weightDecay, float decay, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                               float negStepSize, float bc2Sqrt, float eps) {

    /**
     * The scalars of step {@code step} (1 for the first step, as torch counts) with rate η = {@code lr}.
     *
     * @param decoupled true: AdamW (θ ← θ·(1 − ηλ) before the update); false: Adam (λθ added to the gradient)
     */
    public static AdamCoefficients of(float lr, double weightDecay, double beta1, double beta2, double eps, long step, boolean decoupled) {
        if (step < 1) throw new IllegalArgumentException("Adam counts steps from 1, got " + step);
        double t = (float) step;   // torch keeps the step in a float32 tensor and reads it with .item()
        double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
        return new AdamCoefficients(decoupled ? 0f : (float) weightDecay, decoupled ? (float) (1 - (double) lr * weightDecay) : 1f,
                (float) beta1, (float) (1 - beta1), (float) beta2, (float) (1 - beta2), (float) -(lr / bc1), (float) Math.sqrt(bc2),
                (float) eps);
    }
}

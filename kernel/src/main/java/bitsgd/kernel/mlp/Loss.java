package bitsgd.kernel.mlp;

/** Per-sample losses ℓ(y, f) and their derivatives ∂ℓ/∂f, shared by every kernel so all agree. */
public enum Loss {
    /** max(0, 1 − y·f); the subgradient is taken as −y where y·f ≤ 1 (PyTorch's clamp backward). */
    HINGE {
        @Override public float value(float y, float f) { return Math.max(0f, 1f - y * f); }
        @Override public float derivative(float y, float f) { return y * f <= 1f ? -y : 0f; }
    },
    /** (y − f)². */
    SQUARE {
        @Override public float value(float y, float f) { float r = y - f; return r * r; }
        @Override public float derivative(float y, float f) { return 2f * (f - y); }
    },
    /** log(1 + e^{−y·f}), computed without overflow. */
    LOGISTIC {
        @Override public float value(float y, float f) {
            float m = -y * f;
            return (float) (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m)));
        }
        @Override public float derivative(float y, float f) {
            return (float) (-y / (1.0 + Math.exp(y * f)));
        }
    },
    /** −y·f, the correlation loss of the theory check (docs/protocols.md §A): ∂ℓ/∂f = −y everywhere, unbounded below. */
    CORRELATION {
        @Override public float value(float y, float f) { return -y * f; }
        @Override public float derivative(float y, float f) { return -y; }
    };

    public abstract float value(float y, float f);

    public abstract float derivative(float y, float f);
}

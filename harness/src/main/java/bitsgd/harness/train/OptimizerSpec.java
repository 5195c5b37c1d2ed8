package bitsgd.harness.train;

import bitsgd.harness.UsageException;
import java.util.List;

/**
 * The optimizer of a run and its hyper-parameters, torch.optim's: {@code sgd} (SGD, the fused step), {@code momentum}
 * and {@code nesterov} (SGD with momentum μ, dampening 0), {@code adam} (L2 weight decay added to the gradient) and
 * {@code adamw} (decoupled decay). A hyper-parameter the optimizer does not use is null, so a record shows only the
 * ones that acted.
 *
 * @param name      sgd | momentum | nesterov | adam | adamw
 * @param momentum  μ (momentum, nesterov), else null
 * @param beta1     β₁ (adam, adamw), else null
 * @param beta2     β₂ (adam, adamw), else null
 * @param eps       ε (adam, adamw), else null
 */
public record OptimizerSpec(String name, Double momentum, Double beta1, Double beta2, Double eps) {

    public static final List<String> NAMES = List.of("sgd", "momentum", "nesterov", "adam", "adamw");
    public static final double DEFAULT_MOMENTUM = 0.9, DEFAULT_BETA1 = 0.9, DEFAULT_BETA2 = 0.999, DEFAULT_EPS = 1e-8;

    /** Plain SGD: the models' fused step. */
    public static final OptimizerSpec SGD = new OptimizerSpec("sgd", null, null, null, null);

    public OptimizerSpec {
        if (!NAMES.contains(name)) throw new UsageException("--optimizer must be sgd, momentum, nesterov, adam or adamw, got '" + name + "'");
        // the fields are assigned after this body: ask the parameters, not usesMomentum() or isAdam()
        boolean withMomentum = name.equals("momentum") || name.equals("nesterov"), adam = name.equals("adam") || name.equals("adamw");
        if (withMomentum) {
            if (momentum == null || !Double.isFinite(momentum) || momentum < 0) {
                throw new UsageException("--momentum must be finite and >= 0, got " + momentum);
            }
            if (name.equals("nesterov") && momentum == 0) throw new UsageException("--optimizer nesterov needs --momentum > 0");
        } else if (momentum != null) {
            throw new UsageException("--momentum applies to --optimizer momentum or nesterov, not " + name);
        }
        if (adam) {
            checkBeta("--beta1", beta1);
            checkBeta("--beta2", beta2);
            if (eps == null || !(eps > 0) || !Double.isFinite(eps) || (float) (double) eps == 0f) {
                throw new UsageException("--eps must be finite and > 0 (and not 0 as a float), got " + eps);
            }
        } else {
            for (String option : new String[] {"--beta1", "--beta2", "--eps"}) {
                Double v = option.equals("--beta1") ? beta1 : option.equals("--beta2") ? beta2 : eps;
                if (v != null) throw new UsageException(option + " applies to --optimizer adam or adamw, not " + name);
            }
        }
    }

    /** The optimizer {@code name} with the hyper-parameters given (null: not given, so its default if the optimizer uses it). */
    public static OptimizerSpec of(String name, Double momentum, Double beta1, Double beta2, Double eps) {
        if (name.equals("momentum") || name.equals("nesterov")) {
            return new OptimizerSpec(name, momentum == null ? DEFAULT_MOMENTUM : momentum, beta1, beta2, eps);
        }
        if (name.equals("adam") || name.equals("adamw")) {
            return new OptimizerSpec(name, momentum, beta1 == null ? DEFAULT_BETA1 : beta1, beta2 == null ? DEFAULT_BETA2 : beta2,
                    eps == null ? DEFAULT_EPS : eps);
        }
        return new OptimizerSpec(name, momentum, beta1, beta2, eps);
    }

    private static void checkBeta(String option, Double v) {
        if (v == null || !(v >= 0 && v < 1)) throw new UsageException(option + " must be in [0, 1), got " + v);
    }

    /** True for plain SGD, the models' fused step. */
    public boolean isSgd() {
        return name.equals("sgd");
    }

    /** True for momentum and nesterov. */
    public boolean usesMomentum() {
        return name.equals("momentum") || name.equals("nesterov");
    }

    /** True for adam and adamw. */
    public boolean isAdam() {
        return name.equals("adam") || name.equals("adamw");
    }

    /** One phrase for headers, e.g. {@code adam(beta1 0.9, beta2 0.999, eps 1e-8)} or {@code sgd}. */
    public String describe() {
        if (usesMomentum()) return name + "(momentum " + momentum + ")";
        if (isAdam()) return name + "(beta1 " + beta1 + ", beta2 " + beta2 + ", eps " + eps + ")";
        return name;
    }
}

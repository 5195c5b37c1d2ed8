package bitsgd.harness.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which network to train (docs/protocols.md §A architectures, §B ResNet), as the CLI and sweep specs name it.
 *
 * @param arch        mlp | neuron | polynet | resnet | transformer
 * @param width       hidden units (mlp, resnet), embedding dimension (transformer); ignored by neuron and polynet
 * @param depth       number of fully connected layers L (resnet; L ≥ 2), number of blocks (transformer; ≥ 1)
 * @param activation  mlp: relu | pow;  neuron: sin | zigzag | zigzag-inf | poly;  resnet: relu
 * @param degree      k of σ(z) = z^k, of the k-zigzag, of the degree-k polynomial and of PolyNet's ∏_{i≤k};
 *                    0 = the task's k
 * @param secondLayer neuron only: f = a·σ(w·x + b) + c (true) or f = σ(w·x + b) (false)
 * @param init        uniform | gaussian | bernoulli | sign (sign: mlp only, the theory check's all-ones init);
 *                    the transformer takes uniform only, which it draws as Xavier-uniform
 * @param heads       attention heads (transformer only; width / heads is the attention dimension, must divide)
 */
public record ModelSpec(String arch, int width, int depth, String activation, int degree, boolean secondLayer, String init,
        int heads) {

    /** Attention heads when none are given (the --heads default). */
    public static final int DEFAULT_HEADS = 4;

    public static final ModelSpec DEFAULT = new ModelSpec("mlp", 100, 2, "relu", 0, true, "uniform");

    /** A spec with the default number of heads (every architecture but the transformer ignores it). */
    public ModelSpec(String arch, int width, int depth, String activation, int degree, boolean secondLayer, String init) {
        this(arch, width, depth, activation, degree, secondLayer, init, DEFAULT_HEADS);
    }

    public ModelSpec {
        arch = lower(arch);
        activation = lower(activation);
        init = lower(init);
    }

    private static String lower(String s) {
        return s == null ? null : s.trim().toLowerCase(Locale.ROOT);
    }

    /** The activation an architecture uses when none is given: relu, and sin for the single neuron. */
    public static String defaultActivation(String arch) {
        return arch != null && arch.trim().equalsIgnoreCase("neuron") ? "sin" : "relu";
    }

    public ModelSpec withWidth(int w) {
        return new ModelSpec(arch, w, depth, activation, degree, secondLayer, init, heads);
    }

    /** The degree with 0 resolved to the task's k. */
    public int degreeOr(int taskK) {
        return degree > 0 ? degree : taskK;
    }

    public Map<String, Object> toMap() {
        var m = new LinkedHashMap<String, Object>();
        m.put("arch", arch);
        m.put("width", width);
        m.put("depth", depth);
        m.put("activation", activation);
        m.put("degree", degree);
        m.put("second_layer", secondLayer);
        m.put("init", init);
        m.put("heads", heads);
        return m;
    }
}

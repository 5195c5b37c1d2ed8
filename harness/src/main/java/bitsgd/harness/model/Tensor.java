package bitsgd.harness.model;

import java.util.Arrays;
import java.util.List;

/**
 * One named block of a model's {@link Model#parameters()}: its name (as saved files call it), its parameter group
 * (the index of its per-layer learning rate) and its shape, row-major. A model's tensors cover its parameters in
 * order, without gaps.
 */
public record Tensor(String name, int group, int... shape) {

    public Tensor {
        if (shape.length == 0) throw new IllegalArgumentException("tensor " + name + " needs a shape");
        for (int d : shape) if (d < 1) throw new IllegalArgumentException("tensor " + name + " has shape " + Arrays.toString(shape));
    }

    /** Number of parameters in it. */
    public int size() {
        int s = 1;
        for (int d : shape) s = Math.multiplyExact(s, d);
        return s;
    }

    /** Where each of {@code tensors} starts in the parameter vector, plus the total at the end. */
    public static int[] offsets(List<Tensor> tensors) {
        int[] at = new int[tensors.size() + 1];
        for (int t = 0; t < tensors.size(); t++) at[t + 1] = Math.addExact(at[t], tensors.get(t).size());
        return at;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && t.name.equals(name) && t.group == group && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}

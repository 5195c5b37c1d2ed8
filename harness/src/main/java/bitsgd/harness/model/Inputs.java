package bitsgd.harness.model;

import bitsgd.kernel.bits.BitBatch;

/**
 * A batch of input vectors in one of two storages: bit-packed ±1 ({@link BitBatch}, the fast path) or dense
 * floats (row-major {@code size × n}, for the biased-hypercube and Gaussian inputs of the staircase paper).
 *
 * <p>Models that read floats accept bit batches too: {@link #dense()} expands the bits into ±1 floats once
 * per fill (bit i = 1 ⇔ x_i = −1). Writers of the bits call {@link #changed()}; writers of the floats write
 * {@link #dense()} directly.
 */
public final class Inputs {
    private final int n;
    private final int capacity;
    private final BitBatch bits;
    private float[] dense;
    private boolean denseValid;
    private int size;

    private Inputs(int n, int capacity, boolean packed) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        this.n = n;
        this.capacity = capacity;
        this.bits = packed ? new BitBatch(n, capacity) : null;
        this.dense = packed ? null : new float[Math.multiplyExact(n, capacity)];
        this.denseValid = !packed;
        this.size = capacity;
    }

    /** Bit-packed ±1 inputs. */
    public static Inputs bits(int n, int capacity) {
        return new Inputs(n, capacity, true);
    }

    /** Dense float inputs. */
    public static Inputs dense(int n, int capacity) {
        return new Inputs(n, capacity, false);
    }

    public int n() { return n; }

    public int size() { return size; }

    public int capacity() { return capacity; }

    /** True when the samples live in a {@link BitBatch}. */
    public boolean packed() { return bits != null; }

    /** The bit-packed samples; only for {@link #packed()} inputs. */
    public BitBatch bits() {
        if (bits == null) throw new IllegalStateException("dense inputs have no bit-packed view");
        return bits;
    }

    /** Row-major {@code size × n} floats; for packed inputs the ±1 expansion of the bits (computed once per fill). */
    public float[] dense() {
        if (!denseValid) {
            if (dense == null) dense = new float[Math.multiplyExact(n, capacity)];
            for (int b = 0; b < size; b++) {
                int row = b * n;
                for (int i = 0; i < n; i++) dense[row + i] = bits.bit(b, i) ? -1f : 1f;
            }
            denseValid = true;
        }
        return dense;
    }

    /** Uses only the first {@code size} samples from now on. */
    public void setSize(int size) {
        if (size < 1 || size > capacity) throw new IllegalArgumentException("size " + size + " outside [1," + capacity + "]");
        this.size = size;
        if (bits != null) {
            bits.setSize(size);
            denseValid = false;
        }
    }

    /** Call after writing the bits: drops the bit batch's column view and the dense expansion. */
    public void changed() {
        if (bits != null) {
            bits.changed();
            denseValid = false;
        }
    }

    /** x_{b,i} as a float, whatever the storage. */
    public float get(int b, int i) {
        return bits != null ? (bits.bit(b, i) ? -1f : 1f) : dense[b * n + i];
    }
}

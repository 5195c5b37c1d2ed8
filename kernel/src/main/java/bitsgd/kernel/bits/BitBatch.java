package bitsgd.kernel.bits;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A batch of B samples x ∈ {±1}^n, bit-packed. Bit i of a sample is 1 ⇔ x_i = −1.
 *
 * <pre>
 * Row-major view (one row of {@code words = ⌈n/64⌉} longs per sample, LSB-first):
 *
 *   x     = (+1, −1, −1, +1, +1, −1, …)
 *   bit   =   0   1   1   0   0   1  …    → rows[b·words + 0] = 0b…100110
 *   word w holds x_{64w} … x_{64w+63} at bit (i mod 64); unused high bits stay 0.
 *
 * Column view ({@link #columns()}, for the backward pass): for each input i, the signs of x_i
 * over the batch, {@code colWords = ⌈B/64⌉} longs, bit b = sample b:
 *
 *   cols[i·colWords + b/64] bit (b mod 64) = bit i of sample b
 * </pre>
 */
public final class BitBatch {
    private final int n;
    private final int words;
    private final int capacity;
    private final long[] rows;
    private final long lastMask;
    private int size;

    private long[] cols;
    private boolean colsValid;
    private final long[] block = new long[64];

    public BitBatch(int n, int capacity) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        if (capacity < 1) throw new IllegalArgumentException("batch capacity must be >= 1, got " + capacity);
        this.n = n;
        this.words = Bits.words(n);
        this.capacity = capacity;
        this.rows = new long[Math.multiplyExact(capacity, words)];
        this.lastMask = Bits.lastWordMask(n);
        this.size = capacity;
    }

    public int n() { return n; }

    /** Longs per sample row. */
    public int words() { return words; }

    public int size() { return size; }

    public int capacity() { return capacity; }

    /** The packed rows: sample b occupies {@code [b·words, (b+1)·words)}. Writers must call {@link #changed()}. */
    public long[] rows() { return rows; }

    /** Uses only the first {@code size} samples from now on. */
    public void setSize(int size) {
        if (size < 1 || size > capacity) throw new IllegalArgumentException("size " + size + " outside [1," + capacity + "]");
        this.size = size;
        colsValid = false;
    }

    /** Marks the rows as rewritten, so the column view is rebuilt on next use. */
    public void changed() { colsValid = false; }

    /** Fills the first {@code size} samples with independent uniform ±1 inputs, 64 bits per draw. */
    public void fillUniform(RandomGenerator rng) {
        int len = size * words;
        for (int k = 0; k < len; k++) rows[k] = rng.nextLong();
        if (lastMask != -1L) {
            for (int b = 0; b < size; b++) rows[b * words + words - 1] &= lastMask;
        }
        colsValid = false;
    }

    /** True ⇔ x_i = −1 in sample b. */
    public boolean bit(int b, int i) {
        return (rows[b * words + (i >>> 6)] >>> (i & 63) & 1L) != 0;
    }

    /** x_i of sample b as ±1. */
    public float sign(int b, int i) {
        return bit(b, i) ? -1f : 1f;
    }

    /** Sets sample b from a ±1 vector (any value < 0 counts as −1). */
    public void set(int b, float[] x) {
        if (x.length != n) throw new IllegalArgumentException("sample has " + x.length + " inputs, expected " + n);
        int base = b * words;
        Arrays.fill(rows, base, base + words, 0L);
        for (int i = 0; i < n; i++) {
            if (x[i] < 0) rows[base + (i >>> 6)] |= 1L << (i & 63);
        }
        colsValid = false;
    }

    /** Sample b as a ±1 vector. */
    public float[] get(int b) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = sign(b, i);
        return x;
    }

    /** Longs per column in {@link #columns()}: ⌈size/64⌉. */
    public int colWords() { return Bits.words(size); }

    /**
     * The transposed view, built once per batch with 64×64 block transposes.
     * Bits of samples ≥ size are 0.
     */
    public long[] columns() {
        if (colsValid) return cols;
        int colWords = colWords();
        int need = Math.multiplyExact(words * 64, colWords);
        if (cols == null || cols.length < need) cols = new long[need];
        for (int cw = 0; cw < colWords; cw++) {
            int b0 = cw * 64;
            int bn = Math.min(64, size - b0);
            for (int w = 0; w < words; w++) {
                for (int r = 0; r < bn; r++) block[r] = rows[(b0 + r) * words + w];
                Arrays.fill(block, bn, 64, 0L);
                Bits.transpose64(block, 0);
                // block[c] now holds bit c of word w for samples b0..b0+63, i.e. column i = 64w + c
                int iEnd = Math.min(64, n - w * 64);
                for (int c = 0; c < iEnd; c++) cols[(w * 64 + c) * colWords + cw] = block[c];
            }
        }
        colsValid = true;
        return cols;
    }
}

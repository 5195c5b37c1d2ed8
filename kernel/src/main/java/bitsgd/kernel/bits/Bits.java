package bitsgd.kernel.bits;

/** Word-level helpers for bit-packed ±1 data. */
public final class Bits {
    private Bits() {}

    /** Number of 64-bit words that hold {@code bits} bits. */
    public static int words(int bits) {
        return (bits + 63) >>> 6;
    }

    /** Mask of the valid bits in the last word of a {@code bits}-bit row (all ones when bits % 64 == 0). */
    public static long lastWordMask(int bits) {
        int r = bits & 63;
        return r == 0 ? -1L : (1L << r) - 1;
    }

    /** A bit mask over n inputs with the bits of {@code indices} set (a monomial's support). */
    public static long[] mask(int n, int... indices) {
        long[] m = new long[words(n)];
        for (int i : indices) {
            if (i < 0 || i >= n) throw new IllegalArgumentException("index " + i + " outside [0," + n + ")");
            m[i >>> 6] |= 1L << (i & 63);
        }
        return m;
    }

    /**
     * χ_S(x) as a sign: +1 if an even number of the masked inputs are −1, else −1.
     * Row {@code row} of {@code rows} (stride {@code words}) against {@code mask}.
     */
    public static int parity(long[] rows, int row, int words, long[] mask) {
        long acc = 0;
        int base = row * words;
        for (int w = 0; w < words; w++) acc ^= rows[base + w] & mask[w];
        return (Long.bitCount(acc) & 1) == 0 ? 1 : -1;
    }

    /**
     * In-place transpose of a 64×64 bit matrix held as 64 longs, LSB-first:
     * afterwards bit c of a[r] is what bit r of a[c] was. Classic recursive block swap
     * (Hacker's Delight §7-3): 6 rounds of 32 masked swaps instead of 4096 bit moves.
     *
     * <pre>
     *   round j=32: swap the top-right 32×32 block with the bottom-left one
     *   ┌────┬────┐      ┌────┬────┐
     *   │ A  │ B  │  →   │ A  │ C  │      then j = 16, 8, 4, 2, 1 inside each block
     *   ├────┼────┤      ├────┼────┤
     *   │ C  │ D  │      │ B  │ D  │      (row r = a[r], column c = bit c)
     *   └────┴────┘      └────┴────┘
     * </pre>
     */
    public static void transpose64(long[] a, int off) {
        long m = 0x00000000FFFFFFFFL;
        for (int j = 32; j != 0; j >>>= 1, m ^= (m << j)) {
            for (int k = 0; k < 64; k = ((k | j) + 1) & ~j) {
                long t = ((a[off + k] >>> j) ^ a[off + (k | j)]) & m;
                a[off + k] ^= t << j;
                a[off + (k | j)] ^= t;
            }
        }
    }
}

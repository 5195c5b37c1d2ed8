package bitsgd.harness.task;

import java.util.List;

/**
 * The supports of several monomials as sparse word masks over a bit-packed row, so that χ_S costs one AND
 * per word S touches (one or two for a low-degree monomial) instead of one per row word.
 *
 * <pre>
 *   row b of a BitBatch:  rows[b·words + w], bit (i mod 64) of word w = 1 ⇔ x_i = −1
 *
 *   monomial m owns entries j ∈ [start[m], start[m+1]):
 *     word[j] = w      a row word that holds some i ∈ S_m
 *     mask[j] = bits   the bits of S_m inside that word
 *
 *   χ_m(x_b) = (−1)^popcount( XOR_j  rows[b·words + word[j]] &amp; mask[j] )      (S_m = {} ⇒ +1)
 * </pre>
 */
final class SupportMasks {
    private final int[] start;
    private final int[] word;
    private final long[] mask;

    /** Supports are 0-based indices in [0, n); duplicates inside a support are the caller's to reject. */
    SupportMasks(List<int[]> supports) {
        int count = supports.size();
        start = new int[count + 1];
        int entries = 0;
        for (int m = 0; m < count; m++) {
            start[m] = entries;
            entries += distinctWords(supports.get(m));
        }
        start[count] = entries;
        word = new int[entries];
        mask = new long[entries];
        for (int m = 0; m < count; m++) fill(m, supports.get(m));
    }

    /** Number of monomials. */
    int size() {
        return start.length - 1;
    }

    /** χ_m of the packed row starting at {@code rows[base]}, as +1 or −1. */
    int sign(long[] rows, int base, int m) {
        long acc = 0;
        for (int j = start[m], end = start[m + 1]; j < end; j++) acc ^= rows[base + word[j]] & mask[j];
        return (Long.bitCount(acc) & 1) == 0 ? 1 : -1;
    }

    private static int distinctWords(int[] support) {
        int count = 0; // quadratic, but supports are short
        for (int k = 0; k < support.length; k++) if (firstWithWord(support, support[k] >>> 6) == k) count++;
        return count;
    }

    private static int firstWithWord(int[] support, int w) {
        for (int k = 0; ; k++) if (support[k] >>> 6 == w) return k;
    }

    private void fill(int m, int[] support) {
        int used = start[m];
        for (int i : support) {
            int w = i >>> 6;
            int j = start[m];
            while (j < used && word[j] != w) j++;
            if (j == used) {
                word[j] = w;
                used++;
            }
            mask[j] |= 1L << (i & 63);
        }
    }
}

package bitsgd.harness.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {
    /** Written by numpy 2.4: np.savez(W=arange(6, float32).reshape(2,3)/4, curve=[[1.5,nan],[inf,-2.]], rng=int64 [-1,2**62,3], c=float32(0.25)). */
    private static final Path NUMPY_MADE = resource("npz/numpy-made.npz");

    private static Path resource(String name) {
        try {
            return Path.of(NpzTest.class.getClassLoader().getResource(name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsWhatNumpyWrote() throws IOException {
        Npz z = Npz.read(NUMPY_MADE);
        assertArrayEquals(new int[] {2, 3}, z.array("W").shape());
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f}, z.array("W").floats());
        double[] curve = z.array("curve").doubles();
        assertEquals(1.5, curve[0]);
        assertTrue(Double.isNaN(curve[1]));
        assertEquals(Double.POSITIVE_INFINITY, curve[2]);
        assertArrayEquals(new long[] {-1, 1L << 62, 3}, z.array("rng").longs());
        assertArrayEquals(new float[] {0.25f}, z.array("c").floats());   // a NumPy scalar reads as one value
    }

    @Test
    void writesTheArraysNumpyWrites() throws IOException {
        // the same array gives the same .npy bytes as numpy's own writer: numpy.load reads ours as it reads its own
        byte[] ours = Npz.npy(Npz.Array.of(new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f}, 2, 3));
        byte[] theirs;
        try (ZipFile zip = new ZipFile(NUMPY_MADE.toFile())) {
            theirs = zip.getInputStream(zip.getEntry("W.npy")).readAllBytes();
        }
        assertArrayEquals(theirs, ours);
        byte[] ours1d = Npz.npy(Npz.Array.of(new long[] {-1, 1L << 62, 3}, 3));
        try (ZipFile zip = new ZipFile(NUMPY_MADE.toFile())) {
            assertArrayEquals(zip.getInputStream(zip.getEntry("rng.npy")).readAllBytes(), ours1d);
        }
    }

    @Test
    void roundTripsArraysAndTexts(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.npz");
        new Npz().text("state.json", "{\"step\": 3}\n")
                .put("W", Npz.Array.of(new float[] {1, -2, Float.NaN, 4}, 2, 2))
                .put("curve", Npz.Array.of(new double[] {1, 2, 3}, 1, 3))
                .put("rng", Npz.Array.of(new long[] {Long.MIN_VALUE, 5}, 1, 2))
                .write(f);
        Npz z = Npz.read(f);
        assertEquals("{\"step\": 3}\n", z.text("state.json"));
        assertArrayEquals(new float[] {1, -2, Float.NaN, 4}, z.array("W").floats());
        assertArrayEquals(new double[] {1, 2, 3}, z.array("curve").doubles());
        assertArrayEquals(new long[] {Long.MIN_VALUE, 5}, z.array("rng").longs());
        assertThrows(IllegalArgumentException.class, () -> z.array("nope"));
        assertThrows(IllegalStateException.class, () -> z.array("W").doubles());
        assertThrows(IllegalArgumentException.class, () -> Npz.Array.of(new float[3], 2, 2));
        byte[] again = Files.readAllBytes(f);
        new Npz().text("state.json", "{\"step\": 3}\n")
                .put("W", Npz.Array.of(new float[] {1, -2, Float.NaN, 4}, 2, 2))
                .put("curve", Npz.Array.of(new double[] {1, 2, 3}, 1, 3))
                .put("rng", Npz.Array.of(new long[] {Long.MIN_VALUE, 5}, 1, 2))
                .write(f);
        assertArrayEquals(again, Files.readAllBytes(f), "the same content gives the same bytes");
    }

    @Test
    void refusesWhatItCannotRead(@TempDir Path dir) throws IOException {
        Path junk = dir.resolve("junk.npz");
        Files.writeString(junk, "not a zip");
        assertThrows(IOException.class, () -> Npz.read(junk));
        assertThrows(IOException.class, () -> Npz.parseNpy("\u0093NUMPY".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "x"));
    }
}

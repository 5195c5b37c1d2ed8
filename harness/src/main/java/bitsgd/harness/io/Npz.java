package bitsgd.harness.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npz}: a zip of {@code NAME.npy} arrays, what {@code numpy.load(file)} reads as a dict of arrays
 * without bitsgd, plus plain text entries (a JSON header) that Python's {@code zipfile} reads. Arrays are C-ordered
 * little-endian float32 ({@code <f4}), float64 ({@code <f8}) or int64 ({@code <i8}); entries are stored
 * uncompressed (weights barely compress). The whole file is written through {@link AtomicFiles}: a reader sees the
 * previous file or the complete new one.
 *
 * <pre>
 * .npy (format 1.0):  \x93NUMPY 01 00 | header length (uint16 LE) | {'descr': '&lt;f4', 'fortran_order': False,
 *                     'shape': (50, 100), } padded with spaces and '\n' to a multiple of 64 bytes | data
 * </pre>
 */
public final class Npz {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** One array: its NumPy type ({@code <f4}, {@code <f8} or {@code <i8}), shape and little-endian data. */
    public record Array(String descr, int[] shape, byte[] data) {
        public static Array of(float[] v, int... shape) {
            ByteBuffer b = buffer(4, v.length, shape);
            b.asFloatBuffer().put(v);
            return new Array("<f4", shape, b.array());
        }

        public static Array of(double[] v, int... shape) {
            ByteBuffer b = buffer(8, v.length, shape);
            b.asDoubleBuffer().put(v);
            return new Array("<f8", shape, b.array());
        }

        public static Array of(long[] v, int... shape) {
            ByteBuffer b = buffer(8, v.length, shape);
            b.asLongBuffer().put(v);
            return new Array("<i8", shape, b.array());
        }

        private static ByteBuffer buffer(int bytes, int length, int[] shape) {
            if (count(shape) != length) throw new IllegalArgumentException(length + " values for shape " + Arrays.toString(shape));
            return ByteBuffer.allocate(Math.multiplyExact(bytes, length)).order(ByteOrder.LITTLE_ENDIAN);
        }

        public int length() {
            return count(shape);
        }

        public float[] floats() {
            need("<f4");
            float[] v = new float[length()];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            return v;
        }

        public double[] doubles() {
            need("<f8");
            double[] v = new double[length()];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(v);
            return v;
        }

        public long[] longs() {
            need("<i8");
            long[] v = new long[length()];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(v);
            return v;
        }

        private void need(String type) {
            if (!descr.equals(type)) throw new IllegalStateException("array of " + descr + ", read as " + type);
        }

        private static int count(int[] shape) {
            int c = 1;
            for (int d : shape) c = Math.multiplyExact(c, d);
            return c;
        }
    }

    private final Map<String, Array> arrays = new LinkedHashMap<>();
    private final Map<String, String> texts = new LinkedHashMap<>();

    public Npz put(String name, Array a) {
        arrays.put(name, a);
        return this;
    }

    /** A text entry stored under exactly {@code name} (e.g. {@code state.json}). */
    public Npz text(String name, String content) {
        texts.put(name, content);
        return this;
    }

    public Map<String, Array> arrays() {
        return arrays;
    }

    /** The array {@code name}; an {@link IllegalArgumentException} naming the file's arrays when it has none such. */
    public Array array(String name) {
        Array a = arrays.get(name);
        if (a == null) throw new IllegalArgumentException("no array '" + name + "' (has " + arrays.keySet() + ")");
        return a;
    }

    public String text(String name) {
        String t = texts.get(name);
        if (t == null) throw new IllegalArgumentException("no entry '" + name + "'");
        return t;
    }

    public boolean hasText(String name) {
        return texts.containsKey(name);
    }

    /** Writes the file atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, bytes());
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> t : texts.entrySet()) stored(zip, t.getKey(), t.getValue().getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, Array> a : arrays.entrySet()) stored(zip, a.getKey() + ".npy", npy(a.getValue()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // in memory: cannot happen
        }
        return out.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        e.setCrc(crc.getValue());
        e.setTime(0);   // the same arrays give the same bytes
        zip.putNextEntry(e);
        zip.write(content);
        zip.closeEntry();
    }

    static byte[] npy(Array a) {
        StringBuilder shape = new StringBuilder();
        for (int d : a.shape()) shape.append(d).append(", ");
        if (a.shape().length > 1) shape.setLength(shape.length() - 2);
        else shape.setLength(shape.length() - 1);   // (5,) is a 1-tuple in Python
        StringBuilder header = new StringBuilder("{'descr': '" + a.descr() + "', 'fortran_order': False, 'shape': (" + shape + "), }");
        int total = MAGIC.length + 4 + header.length() + 1;
        header.append(" ".repeat((64 - total % 64) % 64)).append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + h.length + a.data().length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h).put(a.data());
        return b.array();
    }

    /** Reads a file this class wrote, or one {@code numpy.savez} wrote with arrays of the three types. */
    public static Npz read(Path file) throws IOException {
        Npz z = new Npz();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                byte[] content = zip.readAllBytes();
                if (e.getName().endsWith(".npy")) {
                    String name = e.getName().substring(0, e.getName().length() - 4);
                    z.arrays.put(name, parseNpy(content, file + " " + e.getName()));
                } else {
                    z.texts.put(e.getName(), new String(content, StandardCharsets.UTF_8));
                }
            }
        }
        if (z.arrays.isEmpty() && z.texts.isEmpty()) throw new IOException(file + " is not a .npz file (no entries)");
        return z;
    }

    static Array parseNpy(byte[] content, String what) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
        if (content.length < 10 || !Arrays.equals(Arrays.copyOf(content, 6), MAGIC)) throw new IOException(what + " is not a .npy array");
        b.position(6);
        int major = b.get();
        b.get();
        int headerLength = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
        String header = new String(content, b.position(), headerLength, StandardCharsets.ISO_8859_1);
        b.position(b.position() + headerLength);
        Matcher d = DESCR.matcher(header), f = FORTRAN.matcher(header), s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) throw new IOException(what + ": unreadable .npy header " + header.trim());
        String descr = d.group(1);
        if (!descr.equals("<f4") && !descr.equals("<f8") && !descr.equals("<i8")) {
            throw new IOException(what + ": type " + descr + " (only <f4, <f8 and <i8 are read)");
        }
        if (f.group(1).equals("True")) throw new IOException(what + ": Fortran order (only C order is read)");
        int[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(t -> !t.isEmpty()).mapToInt(Integer::parseInt).toArray();
        if (shape.length == 0) shape = new int[] {1};   // a NumPy scalar: one value
        int bytes = descr.equals("<f4") ? 4 : 8;
        long need = (long) Array.count(shape) * bytes;
        if (b.remaining() != need) throw new IOException(what + ": " + b.remaining() + " data bytes for shape " + Arrays.toString(shape));
        return new Array(descr, shape, Arrays.copyOfRange(content, b.position(), content.length));
    }
}

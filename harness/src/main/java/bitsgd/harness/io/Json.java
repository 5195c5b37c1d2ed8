package bitsgd.harness.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** One-line JSON for records (jackson-jr). */
public final class Json {
    private static final JSON JSON_STD = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

    private Json() {}

    public static String line(Map<String, ?> value) {
        return value(value);
    }

    /** Any value jackson-jr writes (a map, a list, a quoted and escaped string, a number) as one line. */
    public static String value(Object value) {
        try {
            return JSON_STD.asString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One JSON object (or {@code null}); anything but white space after it is an {@link IllegalArgumentException}
     * naming where it starts, so a spec with a second object or stray text is refused, not half read.
     */
    public static Map<String, Object> parse(String json) {
        try (JsonParser p = JSON_STD.getStreamingFactory().createParser(json)) {
            Map<String, Object> m = JSON_STD.mapFrom(p);
            JsonLocation extra;
            try {
                extra = p.nextToken() == null ? null : p.currentTokenLocation();
            } catch (JsonParseException e) {
                extra = e.getLocation();   // not even a token: still text after the object
            }
            if (extra != null) {
                throw new IllegalArgumentException("text after the JSON object at line " + extra.getLineNr() + ", column " + extra.getColumnNr());
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.statefort.core.spi;

import java.util.regex.Pattern;

/** The one rule for {@link BlobStore} keys, for every implementation to check with. */
public final class BlobKeys {
    /** Longest key accepted (keeps file names and object names well inside every backend's limit). */
    public static final int MAX_LENGTH = 1024;

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

    private BlobKeys() {}

    public static boolean isValid(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
            return false;
        }
        for (String segment : key.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** Returns the key, or throws {@link IllegalArgumentException} when it is not a valid blob key. */
    public static String require(String key) {
        if (!isValid(key)) {
            throw new IllegalArgumentException("invalid blob key: segments must match [A-Za-z0-9._-]+, "
                    + "joined by '/', no '.' or '..' segment, at most " + MAX_LENGTH + " characters");
        }
        return key;
    }
}

package dev.statefort.core.state;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints byte sizes such as {@code 100MiB}, {@code 512KiB}, {@code 10MB} or {@code 1048576}. */
public final class ByteSizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]i?B|B)?", Pattern.CASE_INSENSITIVE);

    private ByteSizes() {}

    /** Returns the byte count, or throws IllegalArgumentException describing the accepted forms. */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a size; use a byte count or a number with B, KiB, MiB, GiB, KB, MB or GB");
        }
        long number = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        long factor =
                switch (unit) {
                    case "B" -> 1L;
                    case "KIB" -> 1L << 10;
                    case "MIB" -> 1L << 20;
                    case "GIB" -> 1L << 30;
                    case "TIB" -> 1L << 40;
                    case "KB" -> 1_000L;
                    case "MB" -> 1_000_000L;
                    case "GB" -> 1_000_000_000L;
                    case "TB" -> 1_000_000_000_000L;
                    default -> throw new IllegalArgumentException("unknown size unit " + unit);
                };
        return Math.multiplyExact(number, factor);
    }

    /** The largest binary unit that divides the size exactly: 104857600 -> "100 MiB". */
    public static String format(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes >= unit && bytes % unit == 0) {
                return (bytes / unit) + " " + units[i];
            }
        }
        return bytes + " bytes";
    }
}

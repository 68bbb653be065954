package dev.statefort.core.spi;

import dev.statefort.core.model.IndexedInstance;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a search matches, for every {@link FleetStore} alike: an instance is found by a text that one
 * of its terms starts with (ignoring case). Its terms are its address, the address without its module
 * path, its name (with the instance key), and each identifying value, with, for a value with {@code /}
 * or {@code :} in it (an ARN, a self link), also what follows the last of them. Terms are compared as
 * UTF-8 bytes, so every database orders them the same way.
 */
public final class SearchTerms {
    private SearchTerms() {}

    /** The field an address term is found under. */
    public static final String ADDRESS = "address";

    /** The terms of an instance, each with the field it comes from (the first field wins). */
    public static Map<String, String> of(IndexedInstance instance) {
        Map<String, String> terms = new LinkedHashMap<>();
        String address = instance.address();
        add(terms, address, ADDRESS);
        String local = instance.module().isEmpty() || !address.startsWith(instance.module() + ".")
                ? address
                : address.substring(instance.module().length() + 1);
        add(terms, local, ADDRESS);
        int type = local.indexOf(instance.type() + ".");
        if (type >= 0) {
            add(terms, local.substring(type + instance.type().length() + 1), ADDRESS);
        }
        instance.fields().forEach((field, value) -> {
            add(terms, value, field);
            int cut = Math.max(value.lastIndexOf('/'), value.lastIndexOf(':'));
            if (cut >= 0 && cut < value.length() - 1) {
                add(terms, value.substring(cut + 1), field);
            }
        });
        return terms;
    }

    private static void add(Map<String, String> terms, String value, String field) {
        String term = normalize(value);
        if (!term.isEmpty()) {
            terms.putIfAbsent(term, field);
        }
    }

    /** A text as terms are kept: trimmed, lower case, at most {@link FleetStore#MAX_TERM_CHARS} characters. */
    public static String normalize(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.length() > FleetStore.MAX_TERM_CHARS) {
            int end = FleetStore.MAX_TERM_CHARS;
            if (Character.isHighSurrogate(t.charAt(end - 1))) {
                end--; // never half a character
            }
            t = t.substring(0, end);
        }
        return t;
    }

    /** A term as stored and compared. */
    public static byte[] bytes(String term) {
        return term.getBytes(StandardCharsets.UTF_8);
    }

    /** The smallest byte string above every term that starts with {@code prefix} (UTF-8 never holds 0xFF). */
    public static byte[] upperBound(byte[] prefix) {
        byte[] bound = Arrays.copyOf(prefix, prefix.length + 1);
        bound[prefix.length] = (byte) 0xFF;
        return bound;
    }

    /** Whether a stored term starts with {@code prefix} (both normalized). */
    public static boolean matches(String term, String prefix) {
        return term.startsWith(prefix);
    }
}

package dev.statefort.core.storagetype;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * One key of a storage profile, {@code storage.<profile>.<name>} (or {@code
 * STATEFORT_STORAGE_<PROFILE>_<NAME>}), and how its value is read: a {@link StorageType} lists its
 * keys and reads each through {@link ProfileReader#get}, so the keys a type accepts and the keys it
 * reads are the same objects. A reader adds a problem naming the key and never repeats a secret or a
 * URL's value.
 *
 * @param <T> what the value is read as
 */
public final class StorageKey<T> {
    /** {@code type}: which {@link StorageType} the profile is (read by the server's configuration reader). */
    public static final StorageKey<String> TYPE = text("type");

    /** {@code prefix}: {@code statefort} and {@code statefort/} are both {@code statefort/}; empty is none. */
    public static final StorageKey<String> PREFIX = new StorageKey<>("prefix", StorageKey::prefix);

    /** {@code create}: create the bucket or container at start when it is missing. */
    public static final StorageKey<Boolean> CREATE = onOff("create", false);

    private final String name;
    private final BiFunction<SettingValues, String, T> reader;

    private StorageKey(String name, BiFunction<SettingValues, String, T> reader) {
        this.name = name;
        this.reader = reader;
    }

    /** The key below {@code storage.<profile>.}, e.g. {@code access-key-id}. */
    public String name() {
        return name;
    }

    /** Reads the value of {@code fileKey} (this key of one profile) from {@code s}. */
    T read(SettingValues s, String fileKey) {
        return reader.apply(s, fileKey);
    }

    @Override
    public String toString() {
        return name;
    }

    /** Text; null when unset or empty. */
    public static StorageKey<String> text(String name) {
        return new StorageKey<>(name, (s, key) -> s.text(key, null));
    }

    /** An absolute path; null when unset. */
    public static StorageKey<Path> path(String name) {
        return new StorageKey<>(name, (s, key) -> s.path(key, null));
    }

    /** A path to a file this process can read; null when unset. */
    public static StorageKey<Path> readableFile(String name) {
        return new StorageKey<>(name, (s, key) -> {
            Path file = s.path(key, null);
            s.requireReadable(key, file);
            return file;
        });
    }

    /** A size such as {@code 8MiB}, {@code fallback} when unset. */
    public static StorageKey<Long> size(String name, String fallback) {
        return new StorageKey<>(name, (s, key) -> s.size(key, fallback));
    }

    /** {@code on}/{@code off} (or true/false, yes/no), {@code fallback} when unset. */
    public static StorageKey<Boolean> onOff(String name, boolean fallback) {
        return new StorageKey<>(name, (s, key) -> s.onOff(key, fallback));
    }

    /** {@code on}/{@code off}, null when unset (the store then chooses). */
    public static StorageKey<Boolean> onOffOrUnset(String name) {
        return new StorageKey<>(name, (s, key) -> s.isSet(key) ? s.onOff(key, false) : null);
    }

    /** An http(s) URL of scheme, host, port and path only; null when unset. */
    public static StorageKey<URI> url(String name) {
        return new StorageKey<>(name, StorageKey::url);
    }

    /** One of {@code type}'s constants written in lower case with {@code -}; {@code fallback} when unset. */
    public static <E extends Enum<E>> StorageKey<E> choice(String name, Class<E> type, E fallback) {
        return new StorageKey<>(name, (s, key) -> choice(s, key, type, fallback));
    }

    private static String prefix(SettingValues s, String key) {
        String v = s.text(key, "");
        if (v.startsWith("/") || v.contains("//") || v.contains("..")) {
            s.problem(s.where(key) + " must be a relative key prefix such as statefort/, not '" + v + "'");
            return "";
        }
        return v.isEmpty() || v.endsWith("/") ? v : v + "/";
    }

    private static URI url(SettingValues s, String key) {
        String v = s.text(key, null);
        if (v == null) {
            return null;
        }
        try {
            URI uri = new URI(v);
            if (uri.getScheme() != null
                    && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    && uri.getHost() != null
                    && uri.getRawUserInfo() == null
                    && uri.getRawQuery() == null
                    && uri.getRawFragment() == null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        // the value is not repeated: a pasted SAS URL or connection string would end up in the log
        s.problem(s.where(key) + " must be an http:// or https:// URL of scheme, host, port and path only"
                + " (credentials go in their own settings)");
        return null;
    }

    /** {@code when-required} is {@code WHEN_REQUIRED}; {@code always} is {@code ALWAYS}. */
    private static <E extends Enum<E>> E choice(SettingValues s, String key, Class<E> type, E fallback) {
        String v = s.text(key, null);
        if (v == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().replace('_', '-').equalsIgnoreCase(v)) {
                return e;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        s.problem(s.where(key) + " must be one of " + String.join(", ", allowed) + ", not '" + v + "'");
        return fallback;
    }
}

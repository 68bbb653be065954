package dev.statefort.server.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;

/**
 * The environment's spelling of a named group's settings: {@code STATEFORT_<GROUP>_<NAME>_<KEY>} sets
 * the file key {@code <group>.<name>.<key>} ({@code STATEFORT_STORAGE_S3MAIN_ACCESS_KEY_ID} is
 * {@code storage.s3main.access-key-id}, {@code STATEFORT_OIDC_GITHUB_JWKS_URL} is {@code oidc.github.jwks-url}).
 */
final class GroupVariables {
    private GroupVariables() {}

    /** The variable prefix of {@code group}: {@code STATEFORT_STORAGE_} for {@code storage}. */
    static String prefix(String group) {
        return "STATEFORT_" + group.toUpperCase(Locale.ROOT) + "_";
    }

    /**
     * The file key {@code variable} sets, or null when it ends in none of {@code keys} after a name (the
     * longest key that fits wins: {@code ACCESS_KEY_ID} before {@code KEY_ID}). The caller has checked
     * that it starts with {@link #prefix}.
     */
    static String fileKey(String variable, String group, Collection<String> keys) {
        String rest = variable.substring(prefix(group).length());
        return keys.stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .filter(key -> {
                    String suffix = suffix(key);
                    return rest.endsWith(suffix) && rest.length() > suffix.length();
                })
                .findFirst()
                .map(key -> group + "."
                        + rest.substring(0, rest.length() - suffix(key).length())
                                .toLowerCase(Locale.ROOT) + "."
                        + key)
                .orElse(null);
    }

    private static String suffix(String key) {
        return "_" + key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }
}

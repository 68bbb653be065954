package dev.statefort.store.azure;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Replaces every configured secret with {@code ***}: the account key, the SAS token, the connection
 * string, and the secret parts of the last two ({@code sig}, {@code AccountKey}, {@code
 * SharedAccessSignature}), which a message could echo alone.
 */
final class Redactor {
    private static final Set<String> SECRET_PARTS = Set.of("sig", "accountkey", "sharedaccesssignature");

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    static Redactor of(AzureSettings settings) {
        List<String> secrets = new ArrayList<>();
        add(secrets, settings.accountKey());
        add(secrets, settings.sasToken());
        add(secrets, settings.connectionString());
        for (String whole : new String[] {settings.sasToken(), settings.connectionString()}) {
            if (whole == null) {
                continue;
            }
            for (String part : whole.split("[;&?]")) {
                int eq = part.indexOf('=');
                if (eq > 0
                        && SECRET_PARTS.contains(part.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT))) {
                    String value = part.substring(eq + 1);
                    add(secrets, value);
                    try {
                        add(secrets, URLDecoder.decode(value, StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException notUrlEncoded) {
                        // the raw value is redacted already
                    }
                }
            }
        }
        // Longest first, so that a secret containing another is replaced whole.
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(List.copyOf(secrets));
    }

    private static void add(List<String> secrets, String secret) {
        if (secret != null && !secret.isBlank() && !secrets.contains(secret)) {
            secrets.add(secret);
        }
    }

    String redact(String text) {
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, "***");
        }
        return result;
    }
}

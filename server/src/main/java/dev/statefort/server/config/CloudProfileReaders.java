package dev.statefort.server.config;

import dev.statefort.store.azure.AzureSettings;
import dev.statefort.store.gcs.GcsSettings;
import dev.statefort.store.s3.S3Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link StorageConfigReader}'s readers of the cloud profiles' keys ({@code storage.<name>.*} of an
 * {@code s3}, {@code azure} or {@code gcs} profile): each adds a problem naming the key and returns
 * null when a setting is missing or wrong, and never repeats a secret or a URL's value.
 */
final class CloudProfileReaders {
    private CloudProfileReaders() {}

    static StorageConfig.Profile s3(Settings s, String name) {
        String p = "storage." + name + ".";
        String bucket = s.text(p + "bucket", null);
        if (bucket == null) {
            s.problems().add("storage profile '" + name + "' (s3) needs " + p + "bucket");
            return null;
        }
        URI endpoint = url(s, p + "endpoint");
        String keyId = s.text(p + "access-key-id", null);
        String secret = s.text(p + "secret-access-key", null);
        if ((keyId == null) != (secret == null)) {
            s.problems()
                    .add("storage profile '" + name + "': " + p + "access-key-id and " + p
                            + "secret-access-key go together (or set neither to use the SDK's default credentials:"
                            + " environment, web identity / IRSA, instance profile)");
            return null;
        }
        String token = s.text(p + "session-token", null);
        if (token != null && keyId == null) {
            s.problems()
                    .add(s.where(p + "session-token") + " needs " + p + "access-key-id and " + p + "secret-access-key");
        }
        S3Settings.Sse sse = choice(s, p + "sse", S3Settings.Sse.class, S3Settings.Sse.NONE);
        String kmsKeyId = s.text(p + "kms-key-id", null);
        if (kmsKeyId != null && sse != S3Settings.Sse.KMS) {
            s.problems().add(s.where(p + "kms-key-id") + " needs " + p + "sse = kms");
        }
        S3Settings.Checksums checksums = choice(s, p + "checksums", S3Settings.Checksums.class, null);
        Boolean pathStyle = s.values().containsKey(p + "path-style") ? s.onOff(p + "path-style", false) : null;
        long partSize = s.size(p + "part-size", "8MiB");
        if (partSize < S3Settings.MIN_PART_SIZE || partSize > S3Settings.MAX_PART_SIZE) {
            s.problems().add(s.where(p + "part-size") + " must be from 5MiB (S3's smallest part) to 512MiB");
            return null;
        }
        try {
            return new StorageConfig.S3(
                    name,
                    new S3Settings(
                            bucket,
                            prefix(s, p + "prefix"),
                            s.text(p + "region", null),
                            endpoint,
                            pathStyle,
                            keyId,
                            secret,
                            token,
                            sse,
                            kmsKeyId,
                            checksums,
                            s.onOff(p + "create", false),
                            partSize));
        } catch (IllegalArgumentException e) {
            s.problems().add("storage profile '" + name + "': " + e.getMessage());
            return null;
        }
    }

    static StorageConfig.Profile azure(Settings s, String name) {
        String p = "storage." + name + ".";
        List<String> secrets = new ArrayList<>();
        for (String key : List.of("account-key", "sas-token", "connection-string")) {
            if (s.text(p + key, null) != null) {
                secrets.add(p + key);
            }
        }
        if (secrets.size() > 1) {
            s.problems()
                    .add("storage profile '" + name + "': set at most one of " + String.join(", ", secrets)
                            + " (none: DefaultAzureCredential, i.e. managed or workload identity)");
            return null;
        }
        String account = s.text(p + "account", null);
        if (account == null && s.text(p + "connection-string", null) == null) {
            s.problems()
                    .add("storage profile '" + name + "' (azure) needs " + p + "account (or " + p
                            + "connection-string)");
            return null;
        }
        long blockSize = s.size(p + "block-size", "8MiB");
        try {
            return new StorageConfig.Azure(
                    name,
                    new AzureSettings(
                            account,
                            s.text(p + "container", null),
                            prefix(s, p + "prefix"),
                            url(s, p + "endpoint"),
                            s.text(p + "account-key", null),
                            s.text(p + "sas-token", null),
                            s.text(p + "connection-string", null),
                            s.onOff(p + "create", false),
                            blockSize));
        } catch (IllegalArgumentException e) {
            s.problems().add("storage profile '" + name + "': " + e.getMessage());
            return null;
        }
    }

    static StorageConfig.Profile gcs(Settings s, String name) {
        String p = "storage." + name + ".";
        String bucket = s.text(p + "bucket", null);
        if (bucket == null) {
            s.problems().add("storage profile '" + name + "' (gcs) needs " + p + "bucket");
            return null;
        }
        Path credentials = s.path(p + "credentials-file", null);
        s.requireReadable(p + "credentials-file", credentials);
        long chunkSize = s.size(p + "chunk-size", "8MiB");
        if (chunkSize > Integer.MAX_VALUE) {
            s.problems().add(s.where(p + "chunk-size") + " must be below 2GiB");
            return null;
        }
        try {
            return new StorageConfig.Gcs(
                    name,
                    new GcsSettings(
                            bucket,
                            prefix(s, p + "prefix"),
                            s.text(p + "project", null),
                            url(s, p + "endpoint"),
                            credentials,
                            false,
                            s.onOff(p + "create", false),
                            (int) chunkSize));
        } catch (IllegalArgumentException e) {
            s.problems().add("storage profile '" + name + "': " + e.getMessage());
            return null;
        }
    }

    /** {@code statefort} and {@code statefort/} are both the prefix {@code statefort/}; empty is none. */
    private static String prefix(Settings s, String key) {
        String v = s.text(key, "");
        if (v.startsWith("/") || v.contains("//") || v.contains("..")) {
            s.problems().add(s.where(key) + " must be a relative key prefix such as statefort/, not '" + v + "'");
            return "";
        }
        return v.isEmpty() || v.endsWith("/") ? v : v + "/";
    }

    private static URI url(Settings s, String key) {
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
        s.problems()
                .add(s.where(key) + " must be an http:// or https:// URL of scheme, host, port and path only"
                        + " (credentials go in their own settings)");
        return null;
    }

    /** {@code when-required} is {@code WHEN_REQUIRED}; {@code always} is {@code ALWAYS}. */
    private static <E extends Enum<E>> E choice(Settings s, String key, Class<E> type, E fallback) {
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
        s.problems().add(s.where(key) + " must be one of " + String.join(", ", allowed) + ", not '" + v + "'");
        return fallback;
    }
}

package dev.statefort.server.cli;

import dev.statefort.core.transfer.DirectorySource;
import dev.statefort.core.transfer.ExportArchiveSource;
import dev.statefort.core.transfer.HttpBackendSource;
import dev.statefort.core.transfer.StateSource;
import dev.statefort.core.transfer.TfeStateSource;
import dev.statefort.server.config.ConfigException;
import dev.statefort.server.config.StorageConfig;
import dev.statefort.store.azure.AzureSettings;
import dev.statefort.store.azure.AzureStateSource;
import dev.statefort.store.gcs.GcsSettings;
import dev.statefort.store.gcs.GcsStateSource;
import dev.statefort.store.s3.S3Settings;
import dev.statefort.store.s3.S3StateSource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The sources {@code statefort import} reads from (exactly one) and the options each takes. */
final class ImportSourceOptions {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--dir", paramLabel = "DIR", description = "Every *.tfstate below DIR.")
        Path dir;

        @Option(names = "--from-s3", paramLabel = "s3://BUCKET/PREFIX", description = "The S3 backend's layout.")
        URI s3;

        @Option(
                names = "--from-azure",
                paramLabel = "CONTAINER[/PREFIX]",
                description = "The azurerm backend's layout.")
        String azure;

        @Option(names = "--from-gcs", paramLabel = "gs://BUCKET/PREFIX", description = "The gcs backend's layout.")
        URI gcs;

        @Option(names = "--from-http", paramLabel = "URL", description = "Any http backend's current state.")
        URI http;

        @Option(names = "--from-http-list", paramLabel = "FILE", description = "Lines of 'NAME URL'.")
        Path httpList;

        @Option(
                names = "--from-tfe",
                paramLabel = "URL",
                description = "HCP Terraform or Terraform Enterprise (token from TFE_TOKEN).")
        URI tfe;

        @Option(names = "--from-export", paramLabel = "FILE", description = "A file written by statefort export.")
        Path export;
    }

    @Option(names = "--state", paramLabel = "NAME", description = "The state --from-http goes into.")
    String state;

    @Option(names = "--user", paramLabel = "USER", description = "Basic-auth user of --from-http(-list).")
    String user;

    @Option(
            names = "--password",
            paramLabel = "PASSWORD",
            description = "Basic-auth password of --from-http(-list); better STATEFORT_IMPORT_PASSWORD.")
    String password;

    @Option(names = "--organization", paramLabel = "O", description = "The organization of --from-tfe.")
    String organization;

    @Option(names = "--workspace", paramLabel = "W", description = "Only this workspace of --from-tfe.")
    String workspace;

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            description = "Take endpoint, region and credentials from this storage profile of the configuration.")
    String profile;

    @Option(names = "--endpoint", paramLabel = "URL", description = "An S3-compatible, Azurite or GCS endpoint.")
    URI endpoint;

    @Option(names = "--region", paramLabel = "R", description = "The S3 signing region.")
    String region;

    @Option(names = "--path-style", description = "S3 path-style addressing (default with --endpoint).")
    Boolean pathStyle;

    @Option(
            names = "--access-key-id",
            paramLabel = "ID",
            description = "S3 static key (default: AWS_ACCESS_KEY_ID or the SDK's chain).")
    String accessKeyId;

    @Option(
            names = "--secret-access-key",
            paramLabel = "SECRET",
            description = "S3 static secret (better: AWS_SECRET_ACCESS_KEY).")
    String secretAccessKey;

    @Option(names = "--versions", description = "Import a versioned bucket's object versions as history (S3).")
    boolean versions;

    @Option(names = "--account", paramLabel = "NAME", description = "The Azure storage account.")
    String account;

    @Option(
            names = "--connection-string",
            paramLabel = "TEXT",
            description = "Azure connection string (better: AZURE_STORAGE_CONNECTION_STRING).")
    String connectionString;

    @Option(
            names = "--sas-token",
            paramLabel = "TOKEN",
            description = "Azure SAS token (better: AZURE_STORAGE_SAS_TOKEN).")
    String sasToken;

    @Option(names = "--credentials-file", paramLabel = "FILE", description = "GCS service-account JSON.")
    Path credentialsFile;

    @Option(names = "--anonymous", description = "GCS without credentials (emulators).")
    boolean anonymous;

    /**
     * Opens the chosen source; {@code profiles} gives the configuration's storage profiles for {@code
     * --profile}, {@code maxBytes} the state size limit (a larger body is never read whole).
     */
    StateSource open(Supplier<StorageConfig> profiles, long maxBytes) throws IOException {
        try {
            return openSource(profiles, maxBytes);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private StateSource openSource(Supplier<StorageConfig> profiles, long maxBytes) throws IOException {
        Source s = source;
        if (s.dir != null) {
            return new DirectorySource(s.dir);
        }
        if (s.export != null) {
            return new ExportArchiveSource(s.export);
        }
        if (s.http != null) {
            if (state == null) {
                throw new ConfigException("--from-http needs --state NAME: the state it goes into");
            }
            return new HttpBackendSource(List.of(new HttpBackendSource.Entry(state, s.http)), user, password())
                    .limitedTo(maxBytes);
        }
        if (s.httpList != null) {
            return HttpBackendSource.fromList(s.httpList, user, password()).limitedTo(maxBytes);
        }
        if (s.tfe != null) {
            if (organization == null) {
                throw new ConfigException("--from-tfe needs --organization O");
            }
            String token = System.getenv("TFE_TOKEN");
            if (token == null || token.isBlank()) {
                throw new ConfigException("--from-tfe reads its API token from TFE_TOKEN, which is not set");
            }
            return new TfeStateSource(s.tfe, organization, workspace, token.strip());
        }
        if (s.s3 != null) {
            return S3StateSource.open(s3Settings(s.s3, profiles), versions);
        }
        if (s.azure != null) {
            return AzureStateSource.open(azureSettings(s.azure, profiles));
        }
        return GcsStateSource.open(gcsSettings(s.gcs, profiles));
    }

    private String password() {
        return password != null ? password : System.getenv("STATEFORT_IMPORT_PASSWORD");
    }

    private S3Settings s3Settings(URI url, Supplier<StorageConfig> profiles) {
        if (!"s3".equals(url.getScheme()) || url.getHost() == null) {
            throw new ConfigException("--from-s3 takes s3://BUCKET/PREFIX, not " + url);
        }
        String prefix = folder(url.getPath());
        if (profile != null) {
            S3Settings base = profile(profiles, StorageConfig.S3.class).settings();
            return new S3Settings(
                    url.getHost(),
                    prefix,
                    base.region(),
                    base.endpoint(),
                    base.pathStyle(),
                    base.accessKeyId(),
                    base.secretAccessKey(),
                    base.sessionToken(),
                    base.sse(),
                    base.kmsKeyId(),
                    base.checksums(),
                    false,
                    base.partSize());
        }
        String keyId = accessKeyId != null ? accessKeyId : System.getenv("AWS_ACCESS_KEY_ID");
        String secret = secretAccessKey != null ? secretAccessKey : System.getenv("AWS_SECRET_ACCESS_KEY");
        if (keyId == null || secret == null) {
            keyId = null; // the SDK's default chain (profiles, web identity, instance roles)
            secret = null;
        }
        try {
            return new S3Settings(
                    url.getHost(),
                    prefix,
                    region,
                    endpoint,
                    pathStyle,
                    keyId,
                    secret,
                    null,
                    S3Settings.Sse.NONE,
                    null,
                    null,
                    false,
                    S3Settings.DEFAULT_PART_SIZE);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--from-s3: " + e.getMessage());
        }
    }

    private AzureSettings azureSettings(String where, Supplier<StorageConfig> profiles) {
        int slash = where.indexOf('/');
        String container = slash < 0 ? where : where.substring(0, slash);
        String prefix = slash < 0 ? "" : folder(where.substring(slash));
        try {
            if (profile != null) {
                AzureSettings base =
                        profile(profiles, StorageConfig.Azure.class).settings();
                return new AzureSettings(
                        base.account(),
                        container,
                        prefix,
                        base.endpoint(),
                        base.accountKey(),
                        base.sasToken(),
                        base.connectionString(),
                        false,
                        base.blockSize());
            }
            String connection =
                    connectionString != null ? connectionString : System.getenv("AZURE_STORAGE_CONNECTION_STRING");
            String sas = sasToken != null ? sasToken : System.getenv("AZURE_STORAGE_SAS_TOKEN");
            String usedSas = connection == null ? sas : null;
            return new AzureSettings(
                    account,
                    container,
                    prefix,
                    endpoint,
                    connection == null && usedSas == null ? System.getenv("AZURE_STORAGE_KEY") : null,
                    usedSas,
                    connection,
                    false,
                    AzureSettings.DEFAULT_BLOCK_SIZE);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--from-azure: " + e.getMessage());
        }
    }

    private GcsSettings gcsSettings(URI url, Supplier<StorageConfig> profiles) {
        if (!"gs".equals(url.getScheme()) || url.getHost() == null) {
            throw new ConfigException("--from-gcs takes gs://BUCKET/PREFIX, not " + url);
        }
        String prefix = folder(url.getPath());
        try {
            if (profile != null) {
                GcsSettings base = profile(profiles, StorageConfig.Gcs.class).settings();
                return new GcsSettings(
                        url.getHost(),
                        prefix,
                        base.project(),
                        base.endpoint(),
                        base.credentialsFile(),
                        base.anonymous(),
                        false,
                        base.chunkSize());
            }
            return new GcsSettings(
                    url.getHost(),
                    prefix,
                    null,
                    endpoint,
                    credentialsFile,
                    anonymous,
                    false,
                    GcsSettings.DEFAULT_CHUNK_SIZE);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--from-gcs: " + e.getMessage());
        }
    }

    private <P extends StorageConfig.Profile> P profile(Supplier<StorageConfig> profiles, Class<P> type) {
        StorageConfig.Profile found = profiles.get()
                .find(profile)
                .orElseThrow(() -> new ConfigException("no storage profile '" + profile + "' in the configuration"));
        if (!type.isInstance(found)) {
            throw new ConfigException(
                    "storage profile '" + profile + "' is " + found.type() + ", not what this source" + " reads");
        }
        return type.cast(found);
    }

    /** A URL path as a prefix: {@code ""} or {@code a/b/}. */
    private static String folder(String path) {
        String p = path == null ? "" : path.replaceAll("^/+", "");
        return p.isEmpty() || p.endsWith("/") ? p : p + "/";
    }
}

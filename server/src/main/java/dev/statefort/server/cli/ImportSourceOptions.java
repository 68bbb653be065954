package dev.statefort.server.cli;

import dev.statefort.core.storagetype.ImportOptions;
import dev.statefort.core.storagetype.StorageOptionException;
import dev.statefort.core.storagetype.StorageType;
import dev.statefort.core.transfer.DirectorySource;
import dev.statefort.core.transfer.ExportArchiveSource;
import dev.statefort.core.transfer.HttpBackendSource;
import dev.statefort.core.transfer.StateSource;
import dev.statefort.core.transfer.TfeStateSource;
import dev.statefort.server.config.ConfigException;
import dev.statefort.server.config.StorageConfig;
import dev.statefort.store.azure.AzureStorageType;
import dev.statefort.store.gcs.GcsStorageType;
import dev.statefort.store.s3.S3StorageType;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The sources {@code statefort import} reads from (exactly one) and the options each takes. A storage
 * type's layout ({@code --from-s3}, {@code --from-azure}, {@code --from-gcs}) is read by that type's
 * {@link StorageType.Import}, which takes the options below as {@link ImportOptions}.
 */
final class ImportSourceOptions implements ImportOptions {
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
            return openStorage(S3StorageType.TYPE, s.s3.toString(), profiles);
        }
        if (s.azure != null) {
            return openStorage(AzureStorageType.TYPE, s.azure, profiles);
        }
        return openStorage(GcsStorageType.TYPE, s.gcs.toString(), profiles);
    }

    /** The layout at {@code where} on storage of {@code type}, read by the type's {@link StorageType.Import}. */
    private <S> StateSource openStorage(StorageType<S> type, String where, Supplier<StorageConfig> profiles)
            throws IOException {
        StorageType.Import<S> layout = type.importer().orElseThrow();
        S settings;
        try {
            settings = layout.sourceSettings(where, this, () -> profile == null ? null : profile(profiles, type));
        } catch (StorageOptionException e) {
            throw new ConfigException(e.getMessage()); // a usage error: exit 2 with the message alone
        }
        return layout.openSource(settings, this);
    }

    private String password() {
        return password != null ? password : System.getenv("STATEFORT_IMPORT_PASSWORD");
    }

    /** The settings of the storage profile {@code --profile} names, which must be of {@code type}. */
    private <S> S profile(Supplier<StorageConfig> profiles, StorageType<S> type) {
        StorageConfig.Profile<?> found = profiles.get()
                .find(profile)
                .orElseThrow(() -> new ConfigException("no storage profile '" + profile + "' in the configuration"));
        return found.settingsOf(type)
                .orElseThrow(() -> new ConfigException("storage profile '" + profile + "' is "
                        + found.type().name() + ", not what this source" + " reads"));
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public String region() {
        return region;
    }

    @Override
    public Boolean pathStyle() {
        return pathStyle;
    }

    @Override
    public String accessKeyId() {
        return accessKeyId;
    }

    @Override
    public String secretAccessKey() {
        return secretAccessKey;
    }

    @Override
    public boolean versions() {
        return versions;
    }

    @Override
    public String account() {
        return account;
    }

    @Override
    public String connectionString() {
        return connectionString;
    }

    @Override
    public String sasToken() {
        return sasToken;
    }

    @Override
    public Path credentialsFile() {
        return credentialsFile;
    }

    @Override
    public boolean anonymous() {
        return anonymous;
    }

    @Override
    public String env(String variable) {
        return System.getenv(variable);
    }
}

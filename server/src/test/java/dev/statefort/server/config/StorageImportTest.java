package dev.statefort.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.storagetype.ImportOptions;
import dev.statefort.core.storagetype.StorageOptionException;
import dev.statefort.store.azure.AzureSettings;
import dev.statefort.store.azure.AzureStorageType;
import dev.statefort.store.gcs.GcsSettings;
import dev.statefort.store.gcs.GcsStorageType;
import dev.statefort.store.s3.S3Settings;
import dev.statefort.store.s3.S3StorageType;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code statefort import --from-s3/--from-azure/--from-gcs}: each storage type builds the layout's
 * settings from the options, the environment, or the storage profile {@code --profile} names.
 */
class StorageImportTest {
    private static final URI ENDPOINT = URI.create("http://127.0.0.1:9000");

    /** The options as given, and the environment they fall back to. */
    record Options(
            URI endpoint,
            String region,
            Boolean pathStyle,
            String accessKeyId,
            String secretAccessKey,
            String account,
            String connectionString,
            String sasToken,
            Path credentialsFile,
            boolean anonymous,
            Map<String, String> environment)
            implements ImportOptions {
        static Options none() {
            return new Options(null, null, null, null, null, null, null, null, null, false, Map.of());
        }

        Options withEndpoint(URI url, String signingRegion) {
            return new Options(
                    url,
                    signingRegion,
                    pathStyle,
                    accessKeyId,
                    secretAccessKey,
                    account,
                    connectionString,
                    sasToken,
                    credentialsFile,
                    anonymous,
                    environment);
        }

        Options withEnvironment(Map<String, String> env) {
            return new Options(
                    endpoint,
                    region,
                    pathStyle,
                    accessKeyId,
                    secretAccessKey,
                    account,
                    connectionString,
                    sasToken,
                    credentialsFile,
                    anonymous,
                    env);
        }

        @Override
        public boolean versions() {
            return false;
        }

        @Override
        public String env(String variable) {
            return environment.get(variable);
        }
    }

    @Test
    void anS3LayoutFromTheOptionsWithKeysFromTheEnvironment() {
        Options options = Options.none()
                .withEndpoint(ENDPOINT, "us-east-1")
                .withEnvironment(Map.of("AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "secret"));
        S3Settings s3 = S3StorageType.TYPE.sourceSettings("s3://tfstates/team", options, () -> null);
        assertThat(s3)
                .isEqualTo(S3Settings.builder("tfstates")
                        .prefix("team/")
                        .region("us-east-1")
                        .endpoint(ENDPOINT)
                        .credentials("AKID", "secret")
                        .build());
        S3Settings onlyAnId = S3StorageType.TYPE.sourceSettings(
                "s3://tfstates/", Options.none().withEnvironment(Map.of("AWS_ACCESS_KEY_ID", "AKID")), () -> null);
        assertThat(onlyAnId.accessKeyId()).as("the SDK's chain").isNull();
        assertThat(onlyAnId.prefix()).isEmpty();
    }

    @Test
    void anS3LayoutOnAProfilesStoreTakesEverythingButBucketPrefixAndCreate() {
        S3Settings profile = S3Settings.builder("profile-blobs")
                .prefix("blobs/")
                .endpoint(ENDPOINT)
                .credentials("AKID", "secret")
                .sse(S3Settings.Sse.KMS)
                .kmsKeyId("alias/k")
                .create(true)
                .partSize(16L * 1024 * 1024)
                .build();
        S3Settings s3 = S3StorageType.TYPE.sourceSettings("s3://tfstates/team", Options.none(), () -> profile);
        assertThat(s3)
                .isEqualTo(profile.toBuilder()
                        .bucket("tfstates")
                        .prefix("team/")
                        .create(false)
                        .build());
    }

    @Test
    void anS3LayoutIsAnS3UrlWithAValidBucket() {
        assertThatThrownBy(() -> S3StorageType.TYPE.sourceSettings("gs://tfstates/team", Options.none(), () -> null))
                .isInstanceOf(StorageOptionException.class)
                .hasMessageContaining("--from-s3 takes s3://BUCKET/PREFIX, not gs://tfstates/team");
        assertThatThrownBy(() -> S3StorageType.TYPE.sourceSettings("s3://a/", Options.none(), () -> null))
                .isInstanceOf(StorageOptionException.class)
                .hasMessageContaining("--from-s3: bucket must be an S3 bucket name");
    }

    @Test
    void anAzureLayoutFromTheOptionsOrTheEnvironmentOrAProfile() {
        Options options = Options.none()
                .withEndpoint(URI.create("http://127.0.0.1:10000/devstoreaccount1"), null)
                .withEnvironment(Map.of("AZURE_STORAGE_KEY", "a2V5", "AZURE_STORAGE_SAS_TOKEN", "sv=1"));
        AzureSettings fromEnv = AzureStorageType.TYPE.sourceSettings("tfstate/team", options, () -> null);
        assertThat(fromEnv)
                .isEqualTo(new AzureSettings(
                        null,
                        "tfstate",
                        "team/",
                        URI.create("http://127.0.0.1:10000/devstoreaccount1"),
                        null,
                        "sv=1",
                        null,
                        false,
                        AzureSettings.DEFAULT_BLOCK_SIZE));
        AzureSettings profile =
                AzureSettings.of("acct", "blobs").withAccountKey("a2V5").withCreate(true);
        assertThat(AzureStorageType.TYPE.sourceSettings("tfstate", Options.none(), () -> profile))
                .isEqualTo(profile.withContainer("tfstate").withCreate(false));
        assertThatThrownBy(() -> AzureStorageType.TYPE.sourceSettings("Bad_Container", Options.none(), () -> null))
                .isInstanceOf(StorageOptionException.class)
                .hasMessageContaining("--from-azure: azure setting 'container' is not a valid container name");
    }

    @Test
    void aGcsLayoutFromTheOptionsOrAProfile() {
        GcsSettings fromOptions = GcsStorageType.TYPE.sourceSettings(
                "gs://tfstates/team", Options.none().withEndpoint(ENDPOINT, null), () -> null);
        assertThat(fromOptions)
                .isEqualTo(new GcsSettings(
                        "tfstates", "team/", null, ENDPOINT, null, false, false, GcsSettings.DEFAULT_CHUNK_SIZE));
        GcsSettings profile =
                GcsSettings.of("blobs").withProject("p").withAnonymous(true).withCreate(true);
        assertThat(GcsStorageType.TYPE.sourceSettings("gs://tfstates", Options.none(), () -> profile))
                .isEqualTo(profile.withBucket("tfstates").withCreate(false));
        assertThatThrownBy(() -> GcsStorageType.TYPE.sourceSettings("s3://tfstates", Options.none(), () -> null))
                .isInstanceOf(StorageOptionException.class)
                .hasMessageContaining("--from-gcs takes gs://BUCKET/PREFIX, not s3://tfstates");
    }
}

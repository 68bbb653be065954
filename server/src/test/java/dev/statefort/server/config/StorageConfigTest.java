package dev.statefort.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.storagetype.StorageType;
import dev.statefort.store.azure.AzureStorageType;
import dev.statefort.store.fs.FileSystemStorageType;
import dev.statefort.store.gcs.GcsStorageType;
import dev.statefort.store.s3.S3Settings;
import dev.statefort.store.s3.S3StorageType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13 point 2: named storage profiles from the file and the environment, validated at start. */
class StorageConfigTest {
    private static final String SECRET = "wJalrXUtnFEMI-K7MDENG-secret";

    @TempDir
    Path tmp;

    private ServerConfig load(String properties, Map<String, String> env) throws Exception {
        Path file = tmp.resolve("statefort.properties");
        Files.writeString(file, "data-dir=" + tmp.resolve("data") + "\n" + properties);
        return ConfigLoader.load(Map.of(), env, file);
    }

    private static <S> S settings(ServerConfig c, String profile, StorageType<S> type) {
        return c.storage().find(profile).orElseThrow().settingsOf(type).orElseThrow();
    }

    @Test
    void withoutProfilesEverythingIsOnTheLocalProfileInTheDataDirectory() throws Exception {
        ServerConfig c = load("", Map.of());
        assertThat(c.storage().defaultProfile()).isEqualTo("local");
        assertThat(c.storage().profiles())
                .containsExactly(
                        new StorageConfig.Profile<>("local", FileSystemStorageType.TYPE, tmp.resolve("data/blobs")));
        assertThat(c.blobDir()).isEqualTo(tmp.resolve("data/blobs"));
    }

    @Test
    void theOlderBlobStoreDirStillNamesTheLocalDirectory() throws Exception {
        ServerConfig c =
                load("blob-store.type=filesystem\nblob-store.dir=" + tmp.resolve("elsewhere") + "\n", Map.of());
        assertThat(c.blobDir()).isEqualTo(tmp.resolve("elsewhere"));
    }

    @Test
    void anS3ProfileFromTheFileWithSecretsFromTheEnvironment() throws Exception {
        ServerConfig c = load(
                """
                storage.default=s3main
                storage.s3main.type=s3
                storage.s3main.bucket=team-states
                storage.s3main.prefix=statefort
                storage.s3main.region=eu-central-1
                storage.s3main.endpoint=https://minio.internal:9000
                storage.s3main.path-style=false
                storage.s3main.sse=kms
                storage.s3main.kms-key-id=alias/statefort
                storage.s3main.checksums=always
                storage.s3main.create=true
                storage.s3main.part-size=16MiB
                """,
                Map.of(
                        "STATEFORT_STORAGE_S3MAIN_ACCESS_KEY_ID",
                        "AKIDEXAMPLE",
                        "STATEFORT_STORAGE_S3MAIN_SECRET_ACCESS_KEY",
                        SECRET));
        assertThat(c.storage().defaultProfile()).isEqualTo("s3main");
        S3Settings s3 = settings(c, "s3main", S3StorageType.TYPE);
        assertThat(s3.bucket()).isEqualTo("team-states");
        assertThat(s3.prefix()).isEqualTo("statefort/");
        assertThat(s3.region()).isEqualTo("eu-central-1");
        assertThat(s3.endpoint()).isEqualTo(URI.create("https://minio.internal:9000"));
        assertThat(s3.effectivePathStyle()).isFalse();
        assertThat(s3.sse()).isEqualTo(S3Settings.Sse.KMS);
        assertThat(s3.kmsKeyId()).isEqualTo("alias/statefort");
        assertThat(s3.effectiveChecksums()).isEqualTo(S3Settings.Checksums.ALWAYS);
        assertThat(s3.create()).isTrue();
        assertThat(s3.partSize()).isEqualTo(16L * 1024 * 1024);
        assertThat(s3.accessKeyId()).isEqualTo("AKIDEXAMPLE");
        assertThat(s3.secretAccessKey()).isEqualTo(SECRET);
        assertThat(c.toString()).doesNotContain(SECRET).contains("s3://team-states/statefort/");
        assertThat(c.storage().find("local")).isPresent();
    }

    @Test
    void withoutKeysAnS3ProfileUsesTheSdksDefaultChain() throws Exception {
        ServerConfig c = load("storage.aws.type=s3\nstorage.aws.bucket=bkt\n", Map.of());
        S3Settings s3 = settings(c, "aws", S3StorageType.TYPE);
        assertThat(s3.accessKeyId()).isNull();
        assertThat(s3.region()).as("never forced").isNull();
        assertThat(s3.effectivePathStyle()).isFalse();
        assertThat(s3.effectiveChecksums()).isEqualTo(S3Settings.Checksums.ALWAYS);
    }

    @Test
    void azureAndGcsProfiles() throws Exception {
        ServerConfig c = load("""
                storage.az.type=azure
                storage.az.account=teamstates
                storage.az.container=statefort
                storage.gcp.type=gcs
                storage.gcp.bucket=team-states
                storage.gcp.project=infra-123
                """, Map.of("STATEFORT_STORAGE_AZ_ACCOUNT_KEY", SECRET));
        assertThat(settings(c, "az", AzureStorageType.TYPE).accountKey()).isEqualTo(SECRET);
        assertThat(c.storage().find("az").orElseThrow().location()).isEqualTo("azure://teamstates/statefort/");
        assertThat(settings(c, "gcp", GcsStorageType.TYPE).project()).isEqualTo("infra-123");
        assertThat(c.storage().find("gcp").orElseThrow().location()).isEqualTo("gs://team-states/");
        assertThat(c.toString()).doesNotContain(SECRET);
    }

    @Test
    void anotherTypesSettingIsRefusedNeverIgnored() {
        assertThatThrownBy(() -> load("storage.x.type=s3\nstorage.x.bucket=bkt\nstorage.x.container=c\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("storage.x.container")
                .hasMessageContaining("is not a setting of a s3 profile");
        assertThatThrownBy(() -> load("storage.y.type=gcs\nstorage.y.bucket=bkt\nstorage.y.region=eu\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("storage.y.region");
    }

    @Test
    void everyProblemNamesItsKeyAndNoSecretIsRepeated() {
        Map<String, String> env =
                Map.of("STATEFORT_STORAGE_BAD_SECRET_ACCESS_KEY", SECRET, "STATEFORT_STORAGE_ODD_COLOUR", "blue");
        assertThatThrownBy(() -> load("""
                        storage.default=nowhere
                        storage.bad.type=s3
                        storage.none.bucket=b
                        storage.weird.type=ftp
                        storage.fs.type=filesystem
                        storage.Upper.type=s3
                        """, env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("storage profile 'bad' (s3) needs storage.bad.bucket")
                .hasMessageContaining("'none' has settings but no storage.none.type")
                .hasMessageContaining("storage.weird.type")
                .hasMessageContaining("must be one of azure, filesystem, gcs, s3")
                .hasMessageContaining("storage profile 'fs' (filesystem) needs storage.fs.dir")
                .hasMessageContaining("storage.default")
                .hasMessageContaining("'nowhere', which is not defined")
                .hasMessageContaining("STATEFORT_STORAGE_ODD_COLOUR names no storage setting")
                .hasMessageContaining("storage.Upper.type")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void anEndpointWithCredentialsInItIsRefusedWithoutRepeatingIt() {
        String pasted = "https://acct.blob.core.windows.net/?sv=2024&sig=" + SECRET;
        assertThatThrownBy(() ->
                        load("storage.s.type=s3\nstorage.s.bucket=bkt\nstorage.s.endpoint=" + pasted + "\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("storage.s.endpoint")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> load(
                        "storage.s.type=s3\nstorage.s.bucket=bkt\nstorage.s.endpoint=https://user:" + SECRET
                                + "@minio:9000\n",
                        Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void defaultIsNotAProfileNameAndABucketNameIsChecked() {
        assertThatThrownBy(() -> load("storage.default.type=s3\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'default' is not a profile name");
        assertThatThrownBy(() -> load("storage.s.type=s3\nstorage.s.bucket=Bad_Bucket\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("storage profile 's'")
                .hasMessageContaining("bucket");
        assertThatThrownBy(() -> load("storage.s.type=s3\nstorage.s.bucket=bkt\nstorage.s.part-size=1GiB\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("storage.s.part-size");
    }

    @Test
    void aKeyIdWithoutItsSecretIsAnError() {
        assertThatThrownBy(
                        () -> load("storage.s.type=s3\nstorage.s.bucket=bkt\nstorage.s.access-key-id=AKID\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("access-key-id and storage.s.secret-access-key go together");
    }

    @Test
    void theLocalProfileStaysTheDataDirectorysFileStore() {
        assertThatThrownBy(() -> load("storage.local.type=s3\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("storage.local.type");
        assertThatThrownBy(() -> load(
                        "storage.local.dir=" + tmp.resolve("a") + "\nblob-store.dir=" + tmp.resolve("b") + "\n",
                        Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("set only storage.local.dir");
    }

    @Test
    void twoAzureCredentialsAreOneTooMany() {
        assertThatThrownBy(() -> load("""
                        storage.az.type=azure
                        storage.az.account=a
                        storage.az.container=statefort
                        storage.az.account-key=k
                        storage.az.sas-token=t
                        """, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("set at most one of storage.az.account-key, storage.az.sas-token");
    }
}

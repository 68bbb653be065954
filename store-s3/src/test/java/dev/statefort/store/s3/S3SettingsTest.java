package dev.statefort.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The builder names what the thirteen-component record takes by position. */
class S3SettingsTest {
    @Test
    void aBuilderWithOnlyABucketIsTheDefaults() {
        assertThat(S3Settings.builder("bkt").build())
                .isEqualTo(new S3Settings(
                        "bkt",
                        "",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        S3Settings.Sse.NONE,
                        null,
                        null,
                        false,
                        S3Settings.DEFAULT_PART_SIZE))
                .isEqualTo(S3Settings.of("bkt"));
    }

    @Test
    void toBuilderKeepsEverySettingItDoesNotChange() {
        S3Settings full = S3Settings.builder("bkt")
                .prefix("team/")
                .region("eu-central-1")
                .endpoint(URI.create("https://minio.internal:9000"))
                .pathStyle(false)
                .credentials("AKID", "secret")
                .sessionToken("token")
                .sse(S3Settings.Sse.KMS)
                .kmsKeyId("alias/statefort")
                .checksums(S3Settings.Checksums.ALWAYS)
                .create(true)
                .partSize(16L * 1024 * 1024)
                .build();
        assertThat(full.toBuilder().build()).isEqualTo(full);
        S3Settings other = full.toBuilder().bucket("other").create(false).build();
        assertThat(other.bucket()).isEqualTo("other");
        assertThat(other.create()).isFalse();
        assertThat(other.withCreate(true).withPrefix("team/").toBuilder()
                        .bucket("bkt")
                        .build())
                .isEqualTo(full);
    }

    @Test
    void buildChecksLikeTheConstructor() {
        assertThatThrownBy(() -> S3Settings.builder("Bad_Bucket").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bucket must be an S3 bucket name");
        assertThatThrownBy(() ->
                        S3Settings.builder("bkt").credentials("AKID", null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("access-key-id and secret-access-key go together");
    }
}

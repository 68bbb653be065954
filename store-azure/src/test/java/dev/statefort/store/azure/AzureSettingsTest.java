package dev.statefort.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.spi.BlobStore;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Settings and their checks; no request is made. */
class AzureSettingsTest {
    private static final String KEY = AzuriteExtension.KEY;
    private static final String SAS =
            "sv=2023-11-03&ss=b&srt=co&sp=rwdlac&se=2099-01-01T00:00:00Z&sig=c2VjcmV0LXNpZw%3D%3D";
    private static final String CONNECTION =
            "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + KEY + ";EndpointSuffix=core.windows.net";

    @Test
    void ofHasTheDefaults() {
        AzureSettings settings = AzureSettings.of("acct", "statefort");
        assertThat(settings.account()).isEqualTo("acct");
        assertThat(settings.container()).isEqualTo("statefort");
        assertThat(settings.prefix()).isEmpty();
        assertThat(settings.endpoint()).isNull();
        assertThat(settings.accountKey()).isNull();
        assertThat(settings.sasToken()).isNull();
        assertThat(settings.connectionString()).isNull();
        assertThat(settings.create()).isFalse();
        assertThat(settings.blockSize()).isEqualTo(8L * 1024 * 1024).isEqualTo(AzureSettings.DEFAULT_BLOCK_SIZE);
    }

    @Test
    void withCopiesChangeOneSetting() {
        AzureSettings settings = AzureSettings.of("acct", "statefort")
                .withPrefix("statefort/")
                .withEndpoint(URI.create("http://127.0.0.1:10000/acct"))
                .withCreate(true)
                .withBlockSize(1024 * 1024)
                .withAccount("other")
                .withContainer("c22")
                .withAccountKey(KEY);
        assertThat(settings)
                .isEqualTo(new AzureSettings(
                        "other",
                        "c22",
                        "statefort/",
                        URI.create("http://127.0.0.1:10000/acct"),
                        KEY,
                        null,
                        null,
                        true,
                        1024 * 1024));
        assertThat(settings.withAccountKey(null).withSasToken(SAS).sasToken()).isEqualTo(SAS);
        assertThat(settings.withAccountKey(null)
                        .withConnectionString(CONNECTION)
                        .connectionString())
                .isEqualTo(CONNECTION);
        assertThat(settings.withPrefix(null).prefix()).isEmpty();
    }

    @Test
    void toStringNeverPrintsASecret() {
        AzureSettings base = AzureSettings.of("acct", "statefort");
        for (AzureSettings settings : new AzureSettings[] {
            base.withAccountKey(KEY), base.withSasToken(SAS), base.withConnectionString(CONNECTION)
        }) {
            assertThat(settings.toString())
                    .contains("acct", "statefort", "***")
                    .doesNotContain(KEY)
                    .doesNotContain(SAS)
                    .doesNotContain("sig=")
                    .doesNotContain("c2VjcmV0LXNpZw")
                    .doesNotContain(CONNECTION)
                    .doesNotContain("AccountKey");
        }
        assertThat(base.toString()).doesNotContain("***").contains("accountKey=null");
    }

    @Test
    void invalidSettingsAreRejectedNamingTheSetting() {
        AzureSettings ok = AzureSettings.of("acct", "statefort");
        assertThatThrownBy(() -> AzureSettings.of("acct", null)).hasMessageContaining("'container'");
        for (String bad : new String[] {"ab", "Statefort", "a--b", "-ab", "ab-", "a_b", "x".repeat(64)}) {
            assertThatThrownBy(() -> ok.withContainer(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'container'");
        }
        assertThat(ok.withContainer("a-b-1").container()).isEqualTo("a-b-1");
        assertThat(ok.withContainer("x".repeat(63)).container()).hasSize(63);
        for (String bad : new String[] {"statefort", "/statefort/", "a//", "../", "a/./", "a b/", "ä/"}) {
            assertThatThrownBy(() -> ok.withPrefix(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'prefix'");
        }
        assertThat(ok.withPrefix("a.b/c_d-1/").prefix()).isEqualTo("a.b/c_d-1/");
        assertThatThrownBy(() -> ok.withBlockSize(1000)).hasMessageContaining("'blockSize'");
        assertThatThrownBy(() -> ok.withBlockSize(1L << 40)).hasMessageContaining("'blockSize'");
        for (String bad : new String[] {"ftp://h/acct", "/relative", "http://h/acct?sig=secret", "http://u:p@h/acct"}) {
            assertThatThrownBy(() -> ok.withEndpoint(URI.create(bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'endpoint'")
                    .hasMessageNotContaining("secret");
        }
    }

    @Test
    void openRejectsContradictoryOrIncompleteSettingsWithoutEchoingSecrets() {
        AzureSettings base = AzureSettings.of("acct", "statefort");
        assertThatThrownBy(() -> AzureBlobStores.open(base.withAccountKey(KEY).withSasToken(SAS)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most one")
                .hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> AzureBlobStores.open(base.withSasToken(SAS).withConnectionString(CONNECTION)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AzureBlobStores.open(base.withAccount(null).withAccountKey(KEY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'account'");
        assertThatThrownBy(() -> AzureBlobStores.open(base.withAccount("Not_An_Account")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'account'");
        assertThatThrownBy(() -> AzureBlobStores.open(base.withAccountKey("not base64 !! secret")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'accountKey'")
                .hasMessageNotContaining("secret")
                .hasNoCause();
        assertThatThrownBy(() -> AzureBlobStores.open(base.withConnectionString("garbage=secret;nonsense")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'connectionString'")
                .hasMessageNotContaining("secret")
                .hasNoCause();
        assertThatThrownBy(() -> AzureBlobStores.open(base.withEndpoint(URI.create("http://127.0.0.1:9/acct"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DefaultAzureCredential")
                .hasMessageContaining("https");
    }

    @Test
    void withoutASecretTheStoreUsesDefaultAzureCredentialAndOpensWithoutARequest() {
        // No request is made (create is false), so no credential is looked for.
        BlobStore store = AzureBlobStores.open(AzureSettings.of("acct", "statefort"));
        assertThat(store.toString()).contains("acct/statefort/");
        store.close();
    }
}

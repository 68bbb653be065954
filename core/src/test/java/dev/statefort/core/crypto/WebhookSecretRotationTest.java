package dev.statefort.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.model.Webhook;
import dev.statefort.core.testing.InMemoryMetadataStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A webhook's signing secret is kept wrapped with the master key, bound to its webhook, and survives a master key rotation. */
class WebhookSecretRotationTest {
    @TempDir
    Path dir;

    @Test
    void aSealedSecretOpensOnlyForItsWebhookAndAMasterRotationRewrapsIt() {
        KeyFileMasterKeySource source = new KeyFileMasterKeySource(dir.resolve("master.key"));
        source.createIfMissing();
        WebhookSecrets secrets = new WebhookSecrets(new MasterKeyHolder(source));
        String secret = WebhookSecrets.generate();
        String sealed = secrets.seal("wh_1", secret);
        assertThat(sealed).doesNotContain(secret.substring("whsec_".length()));
        assertThat(secrets.open("wh_1", sealed)).isEqualTo(secret);
        assertThatThrownBy(() -> secrets.open("wh_2", sealed))
                .as("bound to its webhook")
                .isInstanceOf(CryptoException.class);

        InMemoryMetadataStore metadata = new InMemoryMetadataStore();
        metadata.createProject("p", Clock.systemUTC().instant());
        metadata.createWebhook(new Webhook(
                "wh_1",
                "p",
                "https://hooks.example.com/x",
                List.of("*"),
                Webhook.Format.JSON,
                sealed,
                Clock.systemUTC().instant(),
                "u",
                null,
                null,
                null));
        KeyRotation.MasterRotation rotation = new KeyRotation(metadata, Clock.systemUTC()).rotateMaster(source, source);
        assertThat(rotation.rewrapped()).isGreaterThanOrEqualTo(1);
        assertThat(source.load().keyCount()).as("the old master key is gone").isEqualTo(1);

        String rewrapped = metadata.findWebhook("wh_1").orElseThrow().sealedSecret();
        assertThat(rewrapped).isNotEqualTo(sealed);
        assertThat(new WebhookSecrets(new MasterKeyHolder(source)).open("wh_1", rewrapped))
                .isEqualTo(secret);

        WebhookSecrets plain = new WebhookSecrets(null);
        assertThat(plain.open("wh_3", plain.seal("wh_3", secret)))
                .as("encryption off")
                .isEqualTo(secret);
    }
}

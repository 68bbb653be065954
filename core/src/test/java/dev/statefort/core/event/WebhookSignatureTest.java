package dev.statefort.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.crypto.WebhookSecrets;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    @Test
    void signsAsTheStandardWebhooksLibrariesVerify() {
        // the test vector the Standard Webhooks libraries are tested with
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
        var headers = WebhookSignature.headers(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
        assertThat(headers)
                .containsEntry("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
                .containsEntry("webhook-timestamp", "1614265330")
                .containsEntry("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void aGeneratedSecretHasTheConventionsShapeAndThirtyTwoRandomBytes() {
        String a = WebhookSecrets.generate();
        assertThat(a).startsWith("whsec_");
        assertThat(WebhookSecrets.keyOf(a)).hasSize(32);
        assertThat(WebhookSecrets.generate()).isNotEqualTo(a);
    }
}

package dev.statefort.server.http;

import static dev.statefort.server.http.UiForms.form;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.server.http.UiClient.Session;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 31 in the UI: an admin adds a webhook on the project's Webhooks page and sees its secret once,
 * pings it and reads its delivery log (a host that resolves to a loopback address is refused, and the
 * log says why); a viewer gets none of it. The same rules and audit events as the REST API.
 */
class UiWebhooksTest extends UiServerTest {
    private static final String PASSWORD = "ui webhooks password 1";

    UiWebhooksTest() {
        super(PASSWORD);
    }

    @Test
    void anAdminAddsAWebhookSeesItsSecretOncePingsItAndReadsItsDeliveryLog() throws Exception {
        Session alice = ui.login("alice");
        HttpResponse<String> created = ui.post(
                "/ui/projects/default/webhooks",
                form(
                        "_csrf", alice.csrf(),
                        "url", "https://localhost:1/hook",
                        "event.lock.stale", "on",
                        "event.guard.refused", "on",
                        "format", "slack"),
                alice);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        Matcher secret = Pattern.compile("whsec_[A-Za-z0-9+/=]+").matcher(created.body());
        assertThat(secret.find()).as("the secret is shown").isTrue();
        Matcher id =
                Pattern.compile("/ui/projects/default/webhooks/(wh_[0-9a-f]+)").matcher(created.body());
        assertThat(id.find()).isTrue();
        String webhook = id.group(1);

        HttpResponse<String> listed = ui.get("/ui/projects/default/webhooks", alice.cookie());
        assertThat(listed.body())
                .contains(webhook, "lock.stale, guard.refused", "slack", "enabled")
                .doesNotContain("whsec_");
        assertThat(ui.get("/ui/projects/default", alice.cookie()).body()).contains("/ui/projects/default/webhooks");

        HttpResponse<String> pinged =
                ui.post("/ui/projects/default/webhooks/" + webhook + "/ping", form("_csrf", alice.csrf()), alice);
        assertThat(pinged.statusCode()).isEqualTo(303);
        String log = "";
        for (int i = 0; i < 100 && !log.contains("failed"); i++) {
            Thread.sleep(100);
            log = ui.get("/ui/projects/default/webhooks/" + webhook, alice.cookie())
                    .body();
        }
        assertThat(log).contains("webhook.ping", "failed", "refused", "loopback");

        HttpResponse<String> rotated = ui.post(
                "/ui/projects/default/webhooks/" + webhook + "/rotate-secret", form("_csrf", alice.csrf()), alice);
        assertThat(rotated.body()).contains("whsec_").doesNotContain(secret.group());

        Session victor = ui.login("victor");
        assertThat(ui.get("/ui/projects/default/webhooks", victor.cookie()).statusCode())
                .isEqualTo(403);
        assertThat(ui.post("/ui/projects/default/webhooks/" + webhook + "/delete", form("_csrf", victor.csrf()), victor)
                        .statusCode())
                .isEqualTo(403);

        assertThat(ui.post("/ui/projects/default/webhooks/" + webhook + "/delete", form("_csrf", alice.csrf()), alice)
                        .statusCode())
                .isEqualTo(303);
        assertThat(server.send("GET", "/api/v1/audit?project=default&action=webhook.delete", null, admin)
                        .body())
                .contains(webhook, "user:alice");
    }
}

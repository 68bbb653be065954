package dev.statefort.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.InvalidInputException;
import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookTargetsTest {
    private final WebhookTargets strict = new WebhookTargets(false, Set.of());

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.8.9.10",
                "10.1.2.3",
                "172.16.0.1",
                "192.168.1.1",
                "169.254.169.254",
                "0.0.0.0",
                "100.64.0.1",
                "::1",
                "fe80::1",
                "fd00:ec2::254",
                "::ffff:127.0.0.1",
                "::ffff:169.254.169.254",
                "64:ff9b::a9fe:a9fe",
                "224.0.0.1"
            })
    void privateLoopbackLinkLocalAndMetadataAddressesAreRefused(String address) throws Exception {
        InetAddress a = InetAddress.getByName(address);
        assertThat(WebhookTargets.refusal(a)).as(address).isNotNull();
        assertThatThrownBy(() -> strict.vet("hooks.example.com", new InetAddress[] {a}))
                .isInstanceOf(WebhookTargets.Refused.class)
                .hasMessageContaining("webhook-allowed-hosts");
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"})
    void publicAddressesPass(String address) throws Exception {
        InetAddress a = InetAddress.getByName(address);
        assertThat(WebhookTargets.refusal(a)).isNull();
        assertThat(strict.vet("hooks.example.com", new InetAddress[] {a})).containsExactly(a);
    }

    @Test
    void aNameResolvingToAPublicAndAPrivateAddressIsRefused() throws Exception {
        InetAddress[] both = {InetAddress.getByName("1.1.1.1"), InetAddress.getByName("10.0.0.1")};
        assertThatThrownBy(() -> strict.vet("rebinding.example.com", both))
                .isInstanceOf(WebhookTargets.Refused.class)
                .hasMessageContaining("private address 10.0.0.1");
    }

    @Test
    void theOperatorsAllowListOpensAHostAsWrittenInTheUrl() throws Exception {
        WebhookTargets allowing = new WebhookTargets(true, Set.of("127.0.0.1", "Hooks.Internal"));
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        assertThat(allowing.vet("127.0.0.1", new InetAddress[] {loopback})).containsExactly(loopback);
        assertThat(allowing.vet("hooks.internal", new InetAddress[] {InetAddress.getByName("10.0.0.1")}))
                .hasSize(1);
        assertThatThrownBy(() -> allowing.vet("localhost", new InetAddress[] {loopback}))
                .as("another name for the same address is not listed")
                .isInstanceOf(WebhookTargets.Refused.class);
        assertThat(allowing.checkUrl("http://127.0.0.1:8080/hook").getPort()).isEqualTo(8080);
    }

    @Test
    void urlsAreHttpsWithAHostAndNoPrivateLiteral() {
        assertThat(strict.checkUrl("https://hooks.slack.com/services/T/B/x").getHost())
                .isEqualTo("hooks.slack.com");
        assertThatThrownBy(() -> strict.checkUrl("http://hooks.example.com/x"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("webhook-allow-http");
        assertThatThrownBy(() -> strict.checkUrl("https://127.0.0.1/x"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> strict.checkUrl("https://169.254.169.254/latest/meta-data/"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("link-local");
        assertThatThrownBy(() -> strict.checkUrl("https://[::1]/x")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> strict.checkUrl("https://user:pw@hooks.example.com/x"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> strict.checkUrl("file:///etc/passwd")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> strict.checkUrl("gopher://x")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> strict.checkUrl(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> strict.checkUrl("https://999.1.1.1/x")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> strict.checkUrl("https://hooks.example.com:99999/x"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("port");
        assertThatThrownBy(() -> strict.checkUrl("https://1.2.3/x"))
                .as("not looked up as a name")
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void auditAndLogsSeeOnlyTheOriginOfAUrlWhosePathMayBeItsCredential() {
        assertThat(WebhookTargets.origin("https://hooks.slack.com/services/T000/B000/XXXXSECRET"))
                .isEqualTo("https://hooks.slack.com/…");
        assertThat(WebhookTargets.origin("http://127.0.0.1:8080")).isEqualTo("http://127.0.0.1:8080");
    }
}

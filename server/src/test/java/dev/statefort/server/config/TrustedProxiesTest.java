package dev.statefort.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

/** Issue 14 point 4: forwarding headers are believed only from trusted proxies, and only so far. */
class TrustedProxiesTest {
    private final TrustedProxies proxies = new TrustedProxies(List.of("10.0.0.0/8", "127.0.0.1", "fd00::/8"));

    private static HttpFields headers(String... nameValue) {
        HttpFields.Mutable fields = HttpFields.build();
        for (int i = 0; i < nameValue.length; i += 2) {
            fields.add(nameValue[i], nameValue[i + 1]);
        }
        return fields;
    }

    @Test
    void anUntrustedPeerIsTakenAsItArrivedWhateverItsHeadersSay() {
        HttpFields spoofing = headers("X-Forwarded-For", "198.51.100.1", "X-Forwarded-Proto", "https");
        assertThat(proxies.clientAddress("203.0.113.5", spoofing)).isEqualTo("203.0.113.5");
        assertThat(proxies.forwardedHttps("203.0.113.5", spoofing)).isFalse();
        assertThat(TrustedProxies.none().clientAddress("127.0.0.1", spoofing)).isEqualTo("127.0.0.1");
    }

    @Test
    void throughTrustedProxiesTheNearestUntrustedHopIsTheClient() {
        // the client may send its own X-Forwarded-For: only what our proxies appended is believed
        HttpFields chain = headers("X-Forwarded-For", "6.6.6.6, 198.51.100.7", "X-Forwarded-For", "10.1.2.3");
        assertThat(proxies.clientAddress("127.0.0.1", chain)).isEqualTo("198.51.100.7");
        assertThat(proxies.clientAddress("127.0.0.1", headers("X-Forwarded-For", "10.9.9.9")))
                .as("only proxies on the way: the farthest")
                .isEqualTo("10.9.9.9");
        assertThat(proxies.clientAddress("127.0.0.1", headers())).isEqualTo("127.0.0.1");
        assertThat(proxies.clientAddress("127.0.0.1", headers("X-Forwarded-For", "unknown, 10.1.1.1")))
                .as("an unknown hop ends the walk")
                .isEqualTo("10.1.1.1");
    }

    @Test
    void aClientsOwnForwardedHeaderNeverWinsOverWhatTheProxyAppended() {
        // HAProxy and nginx append X-Forwarded-For and pass the client's Forwarded through untouched:
        // the chains disagree, so neither is believed and the source is the proxy itself
        HttpFields spoofed = headers("Forwarded", "for=203.0.113.5;proto=https", "X-Forwarded-For", "198.51.100.9");
        assertThat(proxies.clientAddress("10.0.0.1", spoofed)).isEqualTo("10.0.0.1");
        assertThat(proxies.forwardedHttps("10.0.0.1", headers("Forwarded", "proto=https", "X-Forwarded-Proto", "http")))
                .isFalse();
        assertThat(proxies.trusts("999.1.1.1"))
                .as("not an address, and never looked up")
                .isFalse();
        assertThat(proxies.clientAddress("127.0.0.1", headers("X-Forwarded-For", "999.1.1.1")))
                .isEqualTo("127.0.0.1");
    }

    /**
     * Issue 25 finding 9: a proxy that appends only to {@code Forwarded} passes a client's own
     * {@code X-Forwarded-For} through; it used to win, so any client could pick its source address.
     */
    @Test
    void aClientsOwnXForwardedForNeverWinsOverWhatAForwardedOnlyProxyAppended() {
        HttpFields spoofed = headers("X-Forwarded-For", "203.0.113.5", "Forwarded", "for=198.51.100.9;proto=https");
        assertThat(proxies.clientAddress("10.0.0.1", spoofed))
                .isNotEqualTo("203.0.113.5")
                .isEqualTo("10.0.0.1");
        HttpFields spoofedChain =
                headers("X-Forwarded-For", "203.0.113.5, 10.0.0.7", "Forwarded", "for=203.0.113.5, for=198.51.100.9");
        assertThat(proxies.clientAddress("10.0.0.1", spoofedChain)).isEqualTo("10.0.0.1");
        assertThat(proxies.forwardedHttps(
                        "10.0.0.1", headers("X-Forwarded-Proto", "https", "Forwarded", "for=198.51.100.9")))
                .as("a proto only one of the two states is believed")
                .isTrue();
    }

    /** A proxy that sets both headers: they name the same client (in whatever spelling), which is believed. */
    @Test
    void aProxyThatSetsBothHeadersIsBelievedWhenTheyAgree() {
        HttpFields both = headers(
                "X-Forwarded-For", "2001:db8::1, 10.0.0.2", "Forwarded", "for=\"[2001:DB8:0::1]:4711\", for=10.0.0.2");
        assertThat(proxies.clientAddress("10.0.0.1", both)).isEqualTo("2001:db8::1");
        assertThat(proxies.forwardedHttps(
                        "10.0.0.1", headers("X-Forwarded-Proto", "https", "Forwarded", "for=10.0.0.2;proto=https")))
                .isTrue();
        assertThat(proxies.forwardedHttps(
                        "10.0.0.1", headers("X-Forwarded-Proto", "https", "Forwarded", "for=10.0.0.2;proto=http")))
                .isFalse();
    }

    @Test
    void aProxyThatSetsOnlyTheStandardForwardedHeaderIsBelievedWithPortsAndIpv6() {
        HttpFields forwarded = headers("Forwarded", "for=\"[2001:db8::1]:4711\";proto=https, for=10.0.0.2");
        assertThat(proxies.clientAddress("10.0.0.1", forwarded)).isEqualTo("2001:db8::1");
        assertThat(proxies.forwardedHttps("10.0.0.1", forwarded)).isTrue();
        assertThat(proxies.forwardedHttps("10.0.0.1", headers("X-Forwarded-Proto", "http, https")))
                .isTrue();
        assertThat(proxies.forwardedHttps("10.0.0.1", headers("X-Forwarded-Proto", "http")))
                .isFalse();
        assertThat(proxies.trusts("fd12::1")).isTrue();
        assertThat(proxies.trusts("example.com")).as("never a name lookup").isFalse();
    }

    @Test
    void aBadEntryStopsTheStartNamingTheSetting() {
        assertThatThrownBy(() -> new TrustedProxies(List.of("proxy.internal")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfigLoader.load(
                        Map.of("trusted-proxies", "10.0.0.0/8, nonsense", "data-dir", "/var/lib/x"), Map.of(), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("trusted-proxies");
        ServerConfig ok = ConfigLoader.load(
                Map.of("data-dir", "/var/lib/x"), Map.of("STATEFORT_TRUSTED_PROXIES", "10.0.0.0/8 192.168.1.1"), null);
        assertThat(ok.trustedProxies().trusts("192.168.1.1")).isTrue();
        assertThat(ok.trustedProxies().trusts("192.168.1.2")).isFalse();
    }
}

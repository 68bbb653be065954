package dev.statefort.server.http.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.server.http.TestServer.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behind a proxy: {@code public-url} is the server's own origin, of the browser check, the shown addresses and the cookies. */
class PublicUrlTest extends AccessFixture {
    static final String STATE = CrossSiteRequestTest.STATE;

    @Override
    Map<String, String> extraConfig() {
        return Map.of("public-url", "https://state.example.com/");
    }

    @Test
    void theOriginMustBeThePublicUrl() {
        String auth = "Bearer " + rootToken;
        assertThat(send(
                                "POST",
                                "/tf/default/a",
                                STATE,
                                Map.of("Authorization", auth, "Origin", "http://127.0.0.1:" + server.port()))
                        .status())
                .isEqualTo(403);
        assertThat(send(
                                "POST",
                                "/tf/default/a",
                                STATE,
                                Map.of("Authorization", auth, "Origin", "https://state.example.com"))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void loginCookiesAreSecureAndAliasAddressesUseThePublicUrl() {
        Response login = loginResponse("admin", adminPassword);
        assertThat(login.header("Set-Cookie")).contains("Secure").contains("HttpOnly");
        Response alias = tok("POST", "/api/v1/projects/default/aliases", "{\"state\":\"net\"}", rootToken);
        assertThat(alias.status()).as(alias.body()).isEqualTo(201);
        assertThat(alias.body()).contains("https://state.example.com/tf/alias/");
    }
}

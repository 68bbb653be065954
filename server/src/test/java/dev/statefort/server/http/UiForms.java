package dev.statefort.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What the UI's server-level tests do with forms: encode a form body, read the session cookie and a page's CSRF field. */
final class UiForms {
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([0-9a-f]+)\"");

    private UiForms() {}

    /**
     * {@code application/x-www-form-urlencoded} of name/value pairs, in the order names first appear;
     * a name given again replaces its value (how tests override a field, e.g. {@code _csrf}).
     */
    static String form(String... pairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put(pairs[i], pairs[i + 1]);
        }
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), UTF_8) + "=" + URLEncoder.encode(e.getValue(), UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** {@code statefort_session=...} from a login response's Set-Cookie, ready for a Cookie header. */
    static String sessionCookie(HttpResponse<?> login) {
        return login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    }

    /** The value of the page's {@code _csrf} form field (the page must have one). */
    static String csrfField(String html) {
        Matcher m = CSRF_FIELD.matcher(html);
        assertThat(m.find()).as("a CSRF field on the page").isTrue();
        return m.group(1);
    }
}

package dev.statefort.server.config;

import dev.statefort.core.identity.IssuerAddresses;
import dev.statefort.core.identity.WorkloadIdentityService;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code oidc.<name>.issuer}, {@code .audience}, {@code .jwks-url} and {@code .ca-file} (from
 * the file, or the environment as {@code STATEFORT_OIDC_<NAME>_<KEY>}) and {@code jwt-lock-grace}
 * into {@link OidcSettings}. An issuer needs both an issuer and an audience; an {@code http://}
 * address is refused unless its host is a loopback address.
 */
final class OidcConfigReader {
    static final List<String> KEYS = List.of("issuer", "audience", "jwks-url", "ca-file");
    private static final Pattern ISSUER_KEY = Pattern.compile("oidc\\.([a-z][a-z0-9]{0,31})\\.([a-z-]+)");
    /** What {@code statefort run} reads its token from: never a server setting. */
    private static final List<String> CLIENT_VARIABLES = List.of("STATEFORT_OIDC_TOKEN", "STATEFORT_OIDC_TOKEN_FILE");

    private OidcConfigReader() {}

    static boolean isOidcKey(String key) {
        Matcher m = ISSUER_KEY.matcher(key);
        return m.matches() && KEYS.contains(m.group(2));
    }

    /** The OIDC settings among the environment's variables: file key to variable name; a variable naming no key is a problem. */
    static Map<String, String> fromEnvironment(Map<String, String> env, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((variable, value) -> {
            if (!variable.startsWith(GroupVariables.prefix("oidc"))
                    || CLIENT_VARIABLES.contains(variable)
                    || value == null
                    || value.isBlank()) {
                return;
            }
            String key = GroupVariables.fileKey(variable, "oidc", KEYS);
            if (key == null) {
                problems.add("environment variable " + variable + " names no OIDC setting (STATEFORT_OIDC_<NAME>_"
                        + "ISSUER, _AUDIENCE, _JWKS_URL or _CA_FILE)");
            } else {
                out.put(key, variable);
            }
        });
        return out;
    }

    static OidcSettings read(Settings s) {
        Map<String, Map<String, String>> byName = new TreeMap<>();
        s.values().forEach((key, value) -> {
            if (!key.startsWith("oidc.")) {
                return;
            }
            Matcher m = ISSUER_KEY.matcher(key);
            if (!m.matches()) {
                s.problem(s.where(key) + ": an OIDC issuer's name is a lower-case letter, then up to 31 lower-case"
                        + " letters or digits (oidc.<name>.issuer)");
                return;
            }
            byName.computeIfAbsent(m.group(1), n -> new LinkedHashMap<>()).put(m.group(2), value);
        });
        List<OidcSettings.Issuer> issuers = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        byName.forEach((name, keys) -> {
            String prefix = "oidc." + name + ".";
            String issuer = keys.get("issuer");
            String audience = keys.get("audience");
            if (issuer == null || issuer.isBlank()) {
                s.problem("OIDC issuer '" + name + "' needs " + prefix + "issuer (the exact iss of its tokens)");
            }
            if (audience == null || audience.isBlank()) {
                s.problem("OIDC issuer '" + name + "' needs " + prefix + "audience (what aud must contain)");
            }
            URI issuerUri = address(s, prefix + "issuer", issuer);
            URI jwks = address(s, prefix + "jwks-url", keys.get("jwks-url"));
            Path caFile = s.path(prefix + "ca-file", null);
            s.requireReadable(prefix + "ca-file", caFile);
            String sameIssuer = issuer == null ? null : names.put(issuer, name);
            if (sameIssuer != null) {
                s.problem(s.where(prefix + "issuer") + ": issuer " + issuer + " is configured twice (also as '"
                        + sameIssuer + "')");
            }
            if (issuerUri != null && audience != null && !audience.isBlank()) {
                issuers.add(new OidcSettings.Issuer(name, issuer, audience, jwks, caFile));
            }
        });
        return new OidcSettings(issuers, s.duration("jwt-lock-grace", WorkloadIdentityService.DEFAULT_LOCK_GRACE));
    }

    /** An absolute https address, or http on a loopback host; null (with a problem) otherwise or when unset. */
    private static URI address(Settings s, String key, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (uri.isAbsolute() && IssuerAddresses.isAllowed(uri)) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        s.problem(s.where(key) + " must be an https:// address (http:// only on a loopback host such as 127.0.0.1),"
                + " not '" + value + "'");
        return null;
    }
}

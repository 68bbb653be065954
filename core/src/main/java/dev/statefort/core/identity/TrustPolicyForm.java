package dev.statefort.core.identity;

import java.util.Map;

/**
 * What a new trust policy should be, as the REST API's body, the UI's form and the CLI ask for it.
 *
 * @param name unique in the project ({@code deploy-main})
 * @param issuer the name of a configured issuer ({@code github})
 * @param claims claim name to glob ({@code repository: acme/infra}, {@code ref: refs/heads/main}); at least one
 * @param permission {@code outputs}, {@code read} or {@code write}
 * @param states glob over state names; null: every state ({@code *})
 */
public record TrustPolicyForm(
        String name, String issuer, Map<String, String> claims, String permission, String states) {}

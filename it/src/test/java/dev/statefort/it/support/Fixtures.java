package dev.statefort.it.support;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** LockInfo and state bodies shaped exactly like the ones Terraform and OpenTofu send. */
public final class Fixtures {
    private Fixtures() {}

    public static String newLockId() {
        return UUID.randomUUID().toString();
    }

    /** LockInfo as Terraform 1.11.4 sends it: compact JSON, this key order. */
    public static byte[] lockInfo(String id, String operation) {
        return ("{\"ID\":\"" + id + "\",\"Operation\":\"" + operation
                        + "\",\"Info\":\"\",\"Who\":\"root@it-host\",\"Version\":\"1.11.4\","
                        + "\"Created\":\"2026-11-22T02:47:00.707648978Z\",\"Path\":\"\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] lockInfo(String id) {
        return lockInfo(id, "OperationTypeApply");
    }

    /** What OpenTofu >= 1.10 sends for {@code tofu force-unlock ID}. */
    public static byte[] openTofuForceUnlockBody(String id) {
        return ("{\"ID\":\"" + id + "\",\"Operation\":\"\",\"Info\":\"\",\"Who\":\"\",\"Version\":\"\","
                        + "\"Created\":\"0001-01-01T00:00:00Z\",\"Path\":\"\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Terraform's pretty-printed format-4 state (two-space indent, trailing newline). */
    public static byte[] terraformState(long serial, String lineage, String input) {
        return ("{\n"
                        + "  \"version\": 4,\n"
                        + "  \"terraform_version\": \"1.11.4\",\n"
                        + "  \"serial\": " + serial + ",\n"
                        + "  \"lineage\": \"" + lineage + "\",\n"
                        + "  \"outputs\": {},\n"
                        + "  \"resources\": [\n"
                        + "    {\n"
                        + "      \"mode\": \"managed\",\n"
                        + "      \"type\": \"terraform_data\",\n"
                        + "      \"name\": \"example\",\n"
                        + "      \"provider\": \"provider[\\\"terraform.io/builtin/terraform\\\"]\",\n"
                        + "      \"instances\": [\n"
                        + "        {\n"
                        + "          \"schema_version\": 0,\n"
                        + "          \"attributes\": {\n"
                        + "            \"id\": \"8c1f5a52-3f0e-4b3a-9a57-2b1f3f1f6a11\",\n"
                        + "            \"input\": {\n"
                        + "              \"value\": \"" + input + "\",\n"
                        + "              \"type\": \"string\"\n"
                        + "            },\n"
                        + "            \"output\": null,\n"
                        + "            \"triggers_replace\": null\n"
                        + "          },\n"
                        + "          \"sensitive_attributes\": []\n"
                        + "        }\n"
                        + "      ]\n"
                        + "    }\n"
                        + "  ],\n"
                        + "  \"check_results\": null\n"
                        + "}\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** OpenTofu-style compact state (no whitespace, different key order). */
    public static byte[] compactOpenTofuState(long serial, String lineage) {
        return ("{\"version\":4,\"terraform_version\":\"1.10.6\",\"serial\":" + serial + ",\"lineage\":\"" + lineage
                        + "\",\"outputs\":{\"greeting\":{\"value\":\"h\\u00e9llo\",\"type\":\"string\"}},"
                        + "\"resources\":[],\"check_results\":null}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** OpenTofu client-side encrypted state: no {@code version}, no {@code resources}. */
    public static byte[] openTofuEncryptedState(long serial, String lineage) {
        return ("{\"serial\":" + serial + ",\"lineage\":\"" + lineage
                        + "\",\"meta\":{\"key_provider.pbkdf2.main\":\"eyJzYWx0IjoiQUFBQUFBQUFBQUFBQUFBQUFBQUFBQT09IiwiaXRlcmF0aW9ucyI6NjAwMDAwLCJoYXNoX2Z1bmN0aW9uIjoic2hhNTEyIiwia2V5X2xlbmd0aCI6MzJ9\"},"
                        + "\"encrypted_data\":\"c3RhdGVmb3J0LW9wYXF1ZS1jaXBoZXJ0ZXh0LWJ5dGVzLW5vdC1yZWFsbHktZW5jcnlwdGVkLWJ1dC1vcGFxdWU=\","
                        + "\"encryption_version\":\"v0\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
